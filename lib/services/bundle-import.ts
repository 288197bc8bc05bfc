// Importing a bundle as it is read: its JSON comes in pieces (a request body, a file stream), each
// event is checked and written as it arrives, and only what the checks need is kept (a byte per
// event, the cycles), so memory stays bounded whatever the bundle's size. A bundle that fails a
// check, or a stream that breaks, leaves no run behind: what was written of it is removed.
import type { z } from "zod";
import { newRunId } from "@/lib/recorder";
import type { Db } from "@/lib/store/db";
import { ownerOf, processOwnerKind } from "@/lib/store/run-owner";
import { beginStoredRun, IMPORT_CHUNK, type StoredRunWriter } from "@/lib/store/trace-store";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";
import { BundleReferences } from "./bundle-references";
import { bundleHeadSchema, cycleSchema, traceBundleSchema, traceEventSchema, type BundleCycle } from "./bundle-schema";
import { invalidInput, type ServiceError } from "./errors";
import { Slicer } from "./slicer";
import { JsonSyntaxError, readStreamedJson, type StreamedItem } from "./streamed-json";

/** Members of a bundle that hold one item per event or cycle: read element by element. */
const LONG_MEMBERS: ReadonlySet<string> = new Set(["events", "cycles"]);

export interface ImportProgress {
  /** Bytes of the bundle read so far. */
  bytes: number;
  /** Events checked and written so far. */
  events: number;
}

export interface ImportOptions {
  /** Called after each batch of events is written, and once more when the run is complete. */
  onProgress?: (progress: ImportProgress) => void;
}

const headSchema = traceBundleSchema.pick({ format: true, version: true, run: true });
type Head = z.infer<typeof headSchema>;

/**
 * Stores the bundle read from `source` as a new run (source "import"). Cycle ids are moved to the
 * new run id; everything else is kept, so its diagrams are the same as the original's. A bundle
 * that is not one is a 400: `invalid_json` for text that is not JSON, else `invalid_bundle` naming
 * its first problem (by path, seq or cycle id).
 */
export function importBundleStream(db: Db, source: AsyncIterable<Uint8Array | string>, options: ImportOptions = {}): Promise<RunInfo> {
  const reading = new BundleReading(db, options);
  async function* counted(): AsyncGenerator<Uint8Array | string> {
    for await (const piece of source) {
      reading.bytes += typeof piece === "string" ? Buffer.byteLength(piece) : piece.byteLength;
      yield piece;
    }
  }
  return importItems(reading, readStreamedJson(counted(), LONG_MEMBERS));
}

/**
 * importBundleStream for a bundle already parsed (its members and elements taken as they are):
 * checked as it is written; a bad one is a 400 `invalid_bundle` naming its first problem, and
 * leaves no run behind.
 */
export function importBundle(db: Db, input: unknown, options: ImportOptions = {}): Promise<RunInfo> {
  return importItems(new BundleReading(db, options), itemsOf(input));
}

async function importItems(reading: BundleReading, items: AsyncIterable<StreamedItem>): Promise<RunInfo> {
  try {
    for await (const item of items) {
      if (item.kind === "member") await reading.member(item.name, item.value);
      else if (item.kind === "array") reading.arrayBegins(item.name);
      else if (item.member === "events") await reading.event(item.value, item.index);
      else await reading.cycle(item.value, item.index);
    }
    return await reading.complete();
  } catch (err) {
    await reading.discard();
    if (err instanceof JsonSyntaxError) throw invalidInput(`The bundle is not valid JSON: ${err.message}`, "invalid_json");
    throw err;
  }
}

/** A parsed value as the streamed reader would hand it out. */
async function* itemsOf(input: unknown): AsyncGenerator<StreamedItem> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw invalidInput("Not a Wakeline bundle: the file: a bundle is a JSON object", "invalid_bundle");
  for (const [name, value] of Object.entries(input)) {
    if (LONG_MEMBERS.has(name) && Array.isArray(value)) {
      yield { kind: "array", name };
      for (let index = 0; index < value.length; index++) yield { kind: "element", member: name, index, value: value[index] };
    } else yield { kind: "member", name, value };
  }
}

/** One import under way: the head as far as read, the run being written, what the checks keep. */
class BundleReading {
  bytes = 0;
  private readonly members: Record<string, unknown> = {};
  private readonly arrays = new Set<string>();
  private readonly slicer = new Slicer();
  private readonly references = new BundleReferences();
  private head: Head | null = null;
  private run: RunInfo | null = null;
  private stored: StoredRunWriter | null = null;
  /** Events checked, not yet written; before the head is known, raw events waiting for it. */
  private batch: TraceEvent[] = [];
  private early: { value: unknown; index: number }[] = [];
  private readonly cycles: BundleCycle[] = [];
  private written = 0;

  constructor(
    private readonly db: Db,
    private readonly options: ImportOptions,
  ) {}

  async member(name: string, value: unknown): Promise<void> {
    this.members[name] = value;
    // Exports put the head first; a hand-made file may not, so events wait for it.
    if (this.head === null && this.early.length > 0 && this.headComplete()) {
      const early = this.early;
      this.early = [];
      for (const { value: event, index } of early) await this.event(event, index);
    }
  }

  arrayBegins(name: string): void {
    this.arrays.add(name);
    delete this.members[name];
  }

  async event(value: unknown, index: number): Promise<void> {
    if (this.head === null) {
      if (!this.headComplete()) {
        this.early.push({ value, index });
        return;
      }
      await this.begin();
    }
    await this.slicer.pause();
    const checked = traceEventSchema.safeParse(value);
    if (!checked.success) throw notABundle(checked.error, ["events", index]);
    const problem = this.references.event(checked.data);
    if (problem) throw invalidInput(problem, "invalid_bundle");
    // The checked event is the schema's own copy: completed in place, not copied again.
    const event = checked.data as TraceEvent;
    event.payload ??= null;
    if (event.cycleId !== null) event.cycleId = this.cycleIdFor(event.cycleId);
    this.batch.push(event);
    if (this.batch.length >= IMPORT_CHUNK) await this.flush();
  }

  async cycle(value: unknown, index: number): Promise<void> {
    await this.slicer.pause();
    const checked = cycleSchema.safeParse(value);
    if (!checked.success) throw notABundle(checked.error, ["cycles", index]);
    this.cycles.push(checked.data);
  }

  async complete(): Promise<RunInfo> {
    // The whole head, events and cycles included, as the one-piece schema states it.
    const whole = bundleHeadSchema.safeParse({ ...this.members, events: this.arrays.has("events") ? [] : this.members.events, cycles: this.arrays.has("cycles") ? [] : this.members.cycles });
    if (!whole.success) throw notABundle(whole.error);
    if (this.head === null) await this.begin();
    await this.flush();
    const cycles: CycleInfo[] = [];
    const ids = new Set<string>();
    for (const cycle of this.cycles) {
      const problem = this.references.cycle(cycle);
      if (problem) throw invalidInput(problem, "invalid_bundle");
      const id = this.cycleIdFor(cycle.id);
      if (ids.has(id)) throw invalidInput(`Cycle ${cycle.id}: its id in the new run, ${id}, is another cycle's too`, "invalid_bundle");
      ids.add(id);
      cycles.push({ ...cycle, id, runId: this.run!.id });
    }
    const problem = this.references.end();
    if (problem) throw invalidInput(problem, "invalid_bundle");
    await this.stored!.complete(cycles);
    const run = { ...this.run!, eventCount: this.written };
    this.stored = null;
    this.options.onProgress?.({ bytes: this.bytes, events: this.written });
    return run;
  }

  async discard(): Promise<void> {
    const stored = this.stored;
    this.stored = null;
    await stored?.discard();
  }

  private headComplete(): boolean {
    return "format" in this.members && "version" in this.members && "run" in this.members;
  }

  /** The head is checked and the run created: events can be written. */
  private async begin(): Promise<void> {
    const head = headSchema.safeParse(this.members);
    if (!head.success) throw notABundle(head.error);
    this.head = head.data;
    const original = head.data.run;
    this.run = {
      ...original,
      id: newRunId(),
      source: "import",
      config: original.config ?? null,
      // A snapshot of a run that was still recording is complete as far as this copy goes.
      status: original.status === "running" ? "finished" : original.status,
      eventCount: 0,
    };
    this.stored = await beginStoredRun(this.db, this.run, ownerOf(processOwnerKind()));
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    await this.stored!.append(batch);
    this.written += batch.length;
    this.options.onProgress?.({ bytes: this.bytes, events: this.written });
  }

  /**
   * A cycle's id in the new run, known from its old id alone (events name cycles before the cycles
   * come): the old run's id, which Wakeline's own ids begin with, is replaced by the new one.
   */
  private cycleIdFor(oldId: string): string {
    const prefix = `${this.head!.run.id}:`;
    return `${this.run!.id}:${oldId.startsWith(prefix) ? oldId.slice(prefix.length) : oldId}`;
  }
}

function notABundle(error: z.ZodError, prefix: (string | number)[] = []): ServiceError {
  const issue = error.issues[0];
  const path = [...prefix, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))];
  const where = path.length ? path.join(".") : "the file";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  return invalidInput(`Not a Wakeline bundle: ${where}: ${issue.message}${more}`, "invalid_bundle");
}
