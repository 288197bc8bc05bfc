// Turns the runtime's stream of trace events into rows. Recording is synchronous (the runtime
// calls `record` from inside its step loop); writing is asynchronous and batched: a batch is
// written when it reaches WRITE_CHUNK events, or FLUSH_INTERVAL_MS after its first event for a
// live run whose events trickle in. The cycles are tracked as the events come (cycle-tracker.ts):
// each row is written with its cycle as far as it is known when it is written, and ending the run
// stores the cycles and moves the few events whose cycle changed since, without reading the run
// back.
import { randomBytes } from "node:crypto";
import { CycleTracker } from "@/lib/trace/cycle-tracker";
import type { CycleInfo, RunEndStatus, RunInfo, TraceEvent } from "@/lib/trace/types";
import type { Db } from "@/lib/store/db";
import { eventWriterFor, yieldToLoop, type EventBatch } from "@/lib/store/event-writer";
import { eventToRow, openedCycleToRow } from "@/lib/store/mappers";
import { HEARTBEAT_INTERVAL_MS, ownerOf, processOwnerKind } from "@/lib/store/run-owner";
import { notifyCommitted } from "./commit-bus";
import { WRITE_CHUNK, endRun, finishRun, insertRun, loadEvents, touchRun } from "@/lib/store/trace-store";
import { computeCycles } from "@/lib/trace/cycles";

export const FLUSH_INTERVAL_MS = 100;
/**
 * A live run is watched as it happens: its batches are written sooner, so an open page draws an
 * event within a quarter second (`npm run bench:live-latency`). Still batched: one transaction per
 * interval however many events arrive in it.
 */
export const LIVE_FLUSH_INTERVAL_MS = 25;

/**
 * Events whose cycles are tracked as they are recorded (about 25 bytes each). The live run of a
 * long-lived server grows without end: past this many events its tracker is dropped and its cycles
 * are computed from the stored events when it ends (at a stop, when the engine is going anyway).
 * A scenario run ends, and is tracked to a far larger size.
 */
export const TRACKED_EVENTS = { live: 200_000, other: 5_000_000 } as const;

export interface NewRun {
  /** Default: a fresh, time-ordered id. */
  id?: string;
  name: string;
  source: RunInfo["source"];
  seed?: number | null;
  config?: unknown;
  /** The live run this one continues (after a restart). */
  followsRunId?: string | null;
  /** Events whose cycles are tracked as they come; default TRACKED_EVENTS for the run's source. */
  trackedEvents?: number;
}

export type RecorderUpdate =
  | { type: "event"; event: TraceEvent }
  /** Every event up to `lastSeq` is committed and can be read from the database. */
  | { type: "committed"; lastSeq: number }
  | { type: "finished"; run: RunInfo; cycles: CycleInfo[] };

export type RecorderListener = (update: RecorderUpdate) => void;

export interface Recorder {
  readonly run: RunInfo;
  /** The last seq recorded (0 before the first event). */
  readonly lastSeq: number;
  /** Takes the next event; its seq must be exactly one more than the last one. */
  record(event: TraceEvent): void;
  /** Resolves when every event recorded so far is committed. */
  flush(): Promise<void>;
  /**
   * Resolves once at most `maxBehind` of the events recorded so far are still to be committed (at
   * once if that is so already, or if recording has failed: `record` then says why).
   */
  caughtUp(maxBehind: number): Promise<void>;
  /** Commits the rest, computes and stores the cycles, then marks the run ended. */
  finish(status?: RunEndStatus, error?: string | null): Promise<{ run: RunInfo; cycles: CycleInfo[] }>;
  /** In-process fan-out for live views; returns the unsubscribe function. */
  subscribe(listener: RecorderListener): () => void;
}

export class RecorderError extends Error {
  readonly code: "seq_out_of_order" | "recorder_finished" | "write_failed";
  constructor(code: RecorderError["code"], message: string) {
    super(message);
    this.name = "RecorderError";
    this.code = code;
  }
}

/** Sortable by start time, unique enough for one installation: base36 ms + 6 random chars. */
export function newRunId(now: Date = new Date()): string {
  const random = BigInt(`0x${randomBytes(5).toString("hex")}`).toString(36).padStart(6, "0").slice(-6);
  return `${now.getTime().toString(36)}${random}`;
}

export function createRecorder(db: Db, init: NewRun): Recorder {
  const run: RunInfo = {
    id: init.id ?? newRunId(),
    name: init.name,
    source: init.source,
    seed: init.seed ?? null,
    config: init.config ?? null,
    status: "running",
    error: null,
    eventCount: 0,
    startedAt: new Date().toISOString(),
    endedAt: null,
    followsRunId: init.followsRunId ?? null,
  };
  const listeners = new Set<RecorderListener>();
  let lastSeq = 0;
  let buffer: Required<EventBatch> = { rows: [], openedCycles: [] };
  let tracker: CycleTracker | null = new CycleTracker(run.id);
  const trackedEvents = init.trackedEvents ?? (run.source === "live" ? TRACKED_EVENTS.live : TRACKED_EVENTS.other);
  const writer = eventWriterFor(db);
  // Set up while the run row is written; a writer that cannot start says so at its first write.
  writer.warm?.().catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ended = false;
  let failure: Error | null = null;
  // Writes run strictly one after another; the run row goes first so events can reference it.
  // The row names this process as the run's owner: only it ends the run while it lives. A writer
  // that writes the row itself keeps it ahead of the appends handed over after it.
  const owner = ownerOf(processOwnerKind());
  let writes: Promise<void> = guard(writer.startRun ? writer.startRun(run, owner) : insertRun(db, run, owner));
  // A quiet live run still shows its owner alive (event writes renew the heartbeat too).
  const heartbeat = setInterval(() => {
    writes = writes.then(() => (failure ? undefined : touchRun(db, run.id).catch(() => undefined)));
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref?.();

  function guard(write: Promise<void>): Promise<void> {
    return write.catch((err: unknown) => {
      failure ??= new RecorderError("write_failed", `recording run ${run.id} failed: ${messageOf(err)}`);
    });
  }

  function emit(update: RecorderUpdate) {
    for (const listener of listeners) {
      try {
        listener(update);
      } catch {
        // A broken live view must never cost the trace an event.
      }
    }
  }

  // A writer that queues appends (SQLite's worker) is handed each batch as soon as it is due: it
  // joins the batches waiting for it into one transaction, and never sits idle while the engine
  // holds the event loop. Any other writer takes one batch at a time; the events recorded meanwhile
  // wait in the buffer and go as the next batch, however many they are, so a writer that falls
  // behind a fast engine catches up in fewer, larger writes instead of a queue of small ones.
  const runWritten = writer.startRun && writer.queuesAppends ? Promise.resolve() : writes;
  let writing = false;
  let due = false;
  let committedSeq = 0;
  let catchingUp: { maxBehind: number; resolve: () => void }[] = [];

  function wakeCaughtUp() {
    const ready = (waiter: { maxBehind: number }) => failure !== null || lastSeq - committedSeq <= waiter.maxBehind;
    for (const waiter of catchingUp.filter(ready)) waiter.resolve();
    catchingUp = catchingUp.filter((waiter) => !ready(waiter));
  }

  function writeBuffer() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (buffer.rows.length === 0) return;
    if (!writer.queuesAppends) {
      if (writing) {
        due = true;
        return;
      }
      writing = true;
      due = false;
    }
    tagCycles(buffer);
    const batch = buffer;
    buffer = { rows: [], openedCycles: [] };
    const upTo = batch.rows[batch.rows.length - 1].seq;
    // After the run row, which the events reference; a queueing writer keeps the batches' order.
    const written = (writer.queuesAppends ? runWritten : writes).then(() =>
      failure
        ? undefined
        : guard(writer.append(run.id, batch)).then(() => {
            if (failure) return;
            committedSeq = upTo;
            emit({ type: "committed", lastSeq: upTo });
            notifyCommitted(run.id, upTo);
          }),
    );
    writes = writes
      .then(() => written)
      .then(() => {
        writing = false;
        if (due) writeBuffer();
        wakeCaughtUp();
      });
  }

  /** Each row's cycle as far as the tracker knows it now, as it is written. */
  function tagCycles(batch: EventBatch) {
    if (!tracker || batch.rows.length === 0) return;
    const ids = tracker.cycleIdsToWrite(batch.rows[0].seq, batch.rows[batch.rows.length - 1].seq);
    batch.rows.forEach((row, index) => (row.cycleId = ids[index]));
  }

  async function settle(): Promise<void> {
    writeBuffer();
    // Loop: a write may have been queued while we waited.
    let pending: Promise<void>;
    do {
      pending = writes;
      await pending;
    } while (pending !== writes);
    if (failure) throw failure;
  }

  return {
    get run() {
      return run;
    },
    get lastSeq() {
      return lastSeq;
    },
    record(event) {
      if (ended) throw new RecorderError("recorder_finished", `run ${run.id} has ended; event ${event.seq} refused`);
      if (failure) throw failure;
      if (event.seq !== lastSeq + 1) {
        throw new RecorderError(
          "seq_out_of_order",
          `run ${run.id}: expected seq ${lastSeq + 1}, got ${event.seq} (${event.type})`,
        );
      }
      lastSeq = event.seq;
      run.eventCount = lastSeq;
      const row = eventToRow(run.id, event);
      if (tracker && tracker.eventCount >= trackedEvents) {
        // The events it tracked are written with their cycles; finishing computes the rest.
        tagCycles(buffer);
        tracker = null;
      }
      if (tracker) {
        tracker.add(event);
        for (const opened of tracker.takeOpened()) buffer.openedCycles.push(openedCycleToRow(run.id, opened, event.seq, event.time));
      }
      buffer.rows.push(row);
      emit({ type: "event", event });
      if (buffer.rows.length >= WRITE_CHUNK) writeBuffer();
      else if (!timer) {
        timer = setTimeout(writeBuffer, run.source === "live" ? LIVE_FLUSH_INTERVAL_MS : FLUSH_INTERVAL_MS);
        // A pending flush must not keep a finished CLI process alive.
        timer.unref?.();
      }
    },
    flush: settle,
    caughtUp(maxBehind) {
      if (failure !== null || lastSeq - committedSeq <= maxBehind) return Promise.resolve();
      // Rows still in the buffer go now rather than at their flush interval.
      writeBuffer();
      return new Promise((resolve) => catchingUp.push({ maxBehind, resolve }));
    },
    async finish(status = "finished", error = null) {
      if (ended) throw new RecorderError("recorder_finished", `run ${run.id} has already ended`);
      ended = true;
      clearInterval(heartbeat);
      try {
        await settle();
      } catch (err) {
        // Leave no run looking alive forever: mark it failed if the database still takes writes.
        await db.run
          .update({ where: { id: run.id }, data: { status: "failed", error: messageOf(err), endedAt: new Date(), owner: null, heartbeatAt: null } })
          .catch(() => undefined);
        // The cycles opened meanwhile were never completed.
        await db.cycle.deleteMany({ where: { runId: run.id } }).catch(() => undefined);
        throw err;
      }
      let cycles: CycleInfo[];
      if (tracker) {
        // In slices with turns of the event loop between them: a run of a million events ends
        // without holding the engine that shares this process.
        const completed = await tracker.complete(yieldToLoop);
        cycles = completed.cycles;
        const outcome = { status, error, endedAt: new Date() };
        if (writer.finishRun) {
          await writer.finishRun(run.id, cycles, completed.changed, outcome);
          Object.assign(run, { ...outcome, endedAt: outcome.endedAt.toISOString() });
        } else {
          await writer.storeCycles(run.id, cycles, completed.changed);
          Object.assign(run, await endRun(db, run.id, outcome));
        }
      } else {
        const computed = computeCycles(run.id, await loadEvents(db, run.id));
        cycles = computed.cycles;
        Object.assign(run, await finishRun(db, run.id, { status, error, endedAt: new Date(), ...computed }));
      }
      emit({ type: "finished", run: { ...run }, cycles });
      listeners.clear();
      return { run: { ...run }, cycles };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
