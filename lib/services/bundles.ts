// Export a recorded run as one JSON bundle, and import a bundle as a new run that draws the same.
import type { z } from "zod";
import { newRunId } from "@/lib/recorder";
import type { Db } from "@/lib/store/db";
import { insertCompleteRun } from "@/lib/store/trace-store";
import type { CycleInfo, RunInfo, TraceBundle, TraceEvent } from "@/lib/trace/types";
import { invalidInput } from "./errors";
import { traceBundleSchema } from "./bundle-schema";
import { getRun } from "./run-queries";
import { loadRunTrace } from "./selection";

export async function exportRun(db: Db, runId: string): Promise<TraceBundle> {
  const run = await getRun(db, runId);
  const { events, cycles } = await loadRunTrace(db, run);
  return { format: "wakeline-bundle", version: 1, run: { ...run, eventCount: events.length }, events, cycles };
}

/**
 * Stores a bundle as a new run (source "import"). Cycle ids are rewritten to the new run id;
 * everything else is kept, so its diagrams are the same as the original's.
 */
export async function importBundle(db: Db, input: unknown): Promise<RunInfo> {
  const parsed = traceBundleSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(`Not a Wakeline bundle: ${describeIssue(parsed.error)}`, "invalid_bundle");
  const bundle = parsed.data;
  checkSeqs(bundle.events);

  const id = newRunId();
  const cycleIds = new Map<string, string>();
  const cycles: CycleInfo[] = bundle.cycles.map((cycle) => {
    const newId = `${id}:${cycle.actorId}:${cycle.ordinal}`;
    if (cycleIds.has(cycle.id)) throw invalidInput(`Cycle ${cycle.id} appears twice`, "invalid_bundle");
    cycleIds.set(cycle.id, newId);
    return { ...cycle, id: newId, runId: id };
  });
  const events: TraceEvent[] = bundle.events.map((event) => {
    if (event.cycleId !== null && !cycleIds.has(event.cycleId)) {
      throw invalidInput(`Event ${event.seq} names cycle ${event.cycleId}, which is not in the bundle`, "invalid_bundle");
    }
    return { ...event, payload: event.payload ?? null, cycleId: event.cycleId === null ? null : cycleIds.get(event.cycleId)! };
  });
  const run: RunInfo = {
    ...bundle.run,
    id,
    source: "import",
    config: bundle.run.config ?? null,
    // A snapshot of a run that was still recording is complete as far as this copy goes.
    status: bundle.run.status === "running" ? "finished" : bundle.run.status,
    eventCount: events.length,
  };
  await insertCompleteRun(db, run, events, cycles);
  return run;
}

function checkSeqs(events: readonly { seq: number }[]): void {
  events.forEach((event, index) => {
    if (event.seq !== index + 1) {
      throw invalidInput(`Events must be numbered 1, 2, 3 … in order; position ${index + 1} has seq ${event.seq}`, "invalid_bundle");
    }
  });
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join(".") : "the file";
  return `${where}: ${issue.message}${error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : ""}`;
}
