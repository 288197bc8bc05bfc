// Export a recorded run as one JSON bundle, and import a bundle as a new run that draws the same.
import type { z } from "zod";
import { newRunId } from "@/lib/recorder";
import type { Db } from "@/lib/store/db";
import { ownerOf, processOwnerKind } from "@/lib/store/run-owner";
import { insertCompleteRun } from "@/lib/store/trace-store";
import type { CycleInfo, RunInfo, TraceBundle, TraceEvent } from "@/lib/trace/types";
import { invalidInput, type ServiceError } from "./errors";
import { bundleHeadSchema, bundleReferenceProblem, cycleSchema, traceEventSchema } from "./bundle-schema";
import { getRun } from "./run-queries";
import { loadRunTrace } from "./selection";
import { JsonSyntaxError, parseJsonInSlices, Slicer } from "./sliced-json";

export async function exportRun(db: Db, runId: string): Promise<TraceBundle> {
  const run = await getRun(db, runId);
  const { events, cycles } = await loadRunTrace(db, run);
  return { format: "wakeline-bundle", version: 1, run: { ...run, eventCount: events.length }, events, cycles };
}

/** Members of a bundle that hold one item per event or cycle: parsed item by item. */
const LONG_MEMBERS: ReadonlySet<string> = new Set(["events", "cycles"]);

/**
 * Stores a bundle as a new run (source "import"). Cycle ids are rewritten to the new run id;
 * everything else is kept, so its diagrams are the same as the original's. The whole bundle is
 * checked before anything is written (a bad one is a 400 `invalid_bundle` naming its first
 * problem, and leaves no run behind), in slices that let the event loop run in between.
 */
export async function importBundle(db: Db, input: unknown): Promise<RunInfo> {
  const { run, events, cycles } = await readBundle(input, new Slicer());
  await insertCompleteRun(db, run, events, cycles, ownerOf(processOwnerKind()));
  return run;
}

/**
 * importBundle for the bundle's JSON text, as a file or a request body holds it: parsed in slices
 * too, so that a bundle of many megabytes never holds the event loop for long. Text that is not
 * JSON is a 400 `invalid_json`.
 */
export async function importBundleText(db: Db, text: string): Promise<RunInfo> {
  const slicer = new Slicer();
  let json: unknown;
  try {
    json = await parseJsonInSlices(text, LONG_MEMBERS, slicer);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw invalidInput(`The bundle is not valid JSON: ${err.message}`, "invalid_json");
    throw err;
  }
  const { run, events, cycles } = await readBundle(json, slicer);
  await insertCompleteRun(db, run, events, cycles, ownerOf(processOwnerKind()));
  return run;
}

/** The run, events and cycles to store for a bundle, checked all through; nothing is written. */
export async function readBundle(input: unknown, slicer = new Slicer()): Promise<{ run: RunInfo; events: TraceEvent[]; cycles: CycleInfo[] }> {
  const head = bundleHeadSchema.safeParse(input);
  if (!head.success) throw notABundle(head.error);
  const bundle = head.data;
  const checked = <T>(schema: z.ZodType<T>, items: unknown[], name: string): Promise<T[]> => checkEach(schema, items, name, slicer);
  const rawEvents = await checked(traceEventSchema, bundle.events, "events");
  const rawCycles = await checked(cycleSchema, bundle.cycles, "cycles");
  const problem = await bundleReferenceProblem(rawEvents, rawCycles, () => slicer.pause());
  if (problem) throw invalidInput(problem, "invalid_bundle");

  const id = newRunId();
  const cycleIds = new Map<string, string>();
  const cycles: CycleInfo[] = rawCycles.map((cycle) => {
    const newId = `${id}:${cycle.actorId}:${cycle.ordinal}`;
    cycleIds.set(cycle.id, newId);
    return { ...cycle, id: newId, runId: id };
  });
  // The checked events are this function's own copies: completed in place, not copied again (a
  // large bundle is hundreds of thousands of them, and every copy lengthens the collector's pauses).
  const events = rawEvents as TraceEvent[];
  for (let index = 0; index < events.length; index++) {
    if (index % 4096 === 0) await slicer.pause();
    const event = events[index];
    event.payload ??= null;
    if (event.cycleId !== null) event.cycleId = cycleIds.get(event.cycleId)!;
  }
  const run: RunInfo = {
    ...bundle.run,
    id,
    source: "import",
    config: bundle.run.config ?? null,
    // A snapshot of a run that was still recording is complete as far as this copy goes.
    status: bundle.run.status === "running" ? "finished" : bundle.run.status,
    eventCount: events.length,
  };
  return { run, events, cycles };
}

/** Each item against its schema, yielding between slices; the first failure names its index. */
async function checkEach<T>(schema: z.ZodType<T>, items: unknown[], name: string, slicer: Slicer): Promise<T[]> {
  const out: T[] = new Array(items.length);
  for (let index = 0; index < items.length; index++) {
    if (index % 256 === 0) await slicer.pause();
    const result = schema.safeParse(items[index]);
    if (!result.success) throw notABundle(result.error, [name, index]);
    out[index] = result.data;
    // The parsed item is garbage once checked (the schema returns a copy).
    items[index] = undefined;
  }
  return out;
}

function notABundle(error: z.ZodError, prefix: (string | number)[] = []): ServiceError {
  const issue = error.issues[0];
  const path = [...prefix, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))];
  const where = path.length ? path.join(".") : "the file";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  return invalidInput(`Not a Wakeline bundle: ${where}: ${issue.message}${more}`, "invalid_bundle");
}
