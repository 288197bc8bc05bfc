// The JSON bundle format (TraceBundle) as a schema, to validate files before they are imported.
import { z } from "zod";
import { ROLES, RUN_SOURCES, RUN_STATUSES } from "@/lib/trace/types";

const seq = z.number().int().positive();
const participant = z.object({ role: z.enum(ROLES), id: z.string() });

export const traceEventSchema = z.object({
  seq,
  time: z.number().finite(),
  kind: z.enum(["message", "note", "phase-start", "phase-end", "relation"]),
  from: participant.nullable(),
  to: participant.nullable(),
  type: z.string().min(1),
  label: z.string(),
  payload: z.unknown(),
  actorId: z.string().nullable(),
  runnerId: z.string().nullable(),
  cycleId: z.string().nullable(),
  causeSeq: seq.nullable(),
  relayOf: seq.nullable(),
  phaseId: seq.nullable(),
  housekeeping: z.boolean(),
});

const anomalySchema = z.object({
  kind: z.enum([
    "ignored-wake",
    "ignored-sleep-intent",
    "deferred-wake",
    "actor-lost",
    "retry-wake",
    "timeout",
    "user-error",
    "start-failed",
  ]),
  seq,
  message: z.string(),
});

export const cycleSchema = z.object({
  id: z.string().min(1),
  runId: z.string(),
  actorId: z.string().min(1),
  ordinal: z.number().int().positive(),
  firstSeq: seq,
  lastSeq: seq,
  startTime: z.number().finite(),
  endTime: z.number().finite().nullable(),
  outcome: z.enum(["open", "slept", "destroyed", "failed"]),
  wakeToReadyMs: z.number().finite().nullable(),
  coldStartMs: z.number().finite().nullable(),
  requestsServed: z.number().int().nonnegative(),
  eventCount: z.number().int().nonnegative(),
  anomalies: z.array(anomalySchema),
});

export const runInfoSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  source: z.enum(RUN_SOURCES),
  seed: z.number().int().nullable(),
  config: z.unknown(),
  status: z.enum(RUN_STATUSES),
  error: z.string().nullable(),
  eventCount: z.number().int().nonnegative(),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }).nullable(),
});

export const traceBundleSchema = z.object({
  format: z.literal("wakeline-bundle"),
  version: z.literal(1),
  run: runInfoSchema,
  events: z.array(traceEventSchema),
  cycles: z.array(cycleSchema),
});

/** The bundle with its events and cycles not looked into yet: they are checked one by one. */
export const bundleHeadSchema = traceBundleSchema.extend({ events: z.array(z.unknown()), cycles: z.array(z.unknown()) });

export type BundleEvent = z.infer<typeof traceEventSchema>;
export type BundleCycle = z.infer<typeof cycleSchema>;

/** Deepest nesting of phases a bundle may have (the engine nests a few levels). */
export const MAX_PHASE_DEPTH = 64;

/**
 * What is wrong with the references of a bundle whose events and cycles each match their schema,
 * or null: seqs run 1, 2, 3 … in order; every causeSeq names an earlier event, every relayOf an
 * earlier message, every phaseId an earlier phase-start; phases nest at most MAX_PHASE_DEPTH deep;
 * each cycle lies within the run's seqs, is of an actor the events name, and has an ordinal of its
 * own for that actor; each event's cycleId names a cycle of the bundle. The message names the
 * first problem by its seq.
 */
export async function bundleReferenceProblem(events: readonly BundleEvent[], cycles: readonly BundleCycle[], pause: () => Promise<void>): Promise<string | null> {
  const kinds: BundleEvent["kind"][] = new Array(events.length);
  /** Phase depth of each phase-start, by seq. */
  const depth = new Map<number, number>();
  const actors = new Set<string>();
  for (let index = 0; index < events.length; index++) {
    if (index % 1024 === 0) await pause();
    const event = events[index];
    const seq = event.seq;
    if (seq !== index + 1) return `Events must be numbered 1, 2, 3 … in order; position ${index + 1} has seq ${seq}`;
    kinds[index] = event.kind;
    if (event.actorId !== null) actors.add(event.actorId);
    if (event.causeSeq !== null && event.causeSeq >= seq) return `Event ${seq} has causeSeq ${event.causeSeq}, which is not an earlier event`;
    if (event.relayOf !== null) {
      if (event.relayOf >= seq) return `Event ${seq} has relayOf ${event.relayOf}, which is not an earlier event`;
      const kind = kinds[event.relayOf - 1];
      if (kind !== "message") return `Event ${seq} has relayOf ${event.relayOf}, which is a ${kind}, not a message`;
    }
    if (event.phaseId !== null) {
      if (event.phaseId >= seq) return `Event ${seq} has phaseId ${event.phaseId}, which is not an earlier event`;
      const kind = kinds[event.phaseId - 1];
      if (kind !== "phase-start") return `Event ${seq} has phaseId ${event.phaseId}, which is a ${kind}, not a phase-start`;
    }
    if (event.kind === "phase-start") {
      const level = (event.phaseId === null ? 0 : depth.get(event.phaseId)!) + 1;
      if (level > MAX_PHASE_DEPTH) return `Event ${seq} opens a phase nested ${level} deep; at most ${MAX_PHASE_DEPTH} levels are allowed`;
      depth.set(seq, level);
    }
  }
  const last = events.length;
  const within = (seq: number) => seq >= 1 && seq <= last;
  const range = last === 0 ? "the run has no events" : `the run's seqs are 1–${last}`;
  const ids = new Set<string>();
  const ordinals = new Set<string>();
  for (const cycle of cycles) {
    if (ids.has(cycle.id)) return `Cycle ${cycle.id} appears twice`;
    ids.add(cycle.id);
    if (!within(cycle.firstSeq) || !within(cycle.lastSeq)) return `Cycle ${cycle.id} spans seqs ${cycle.firstSeq}–${cycle.lastSeq}, outside the run (${range})`;
    if (cycle.firstSeq > cycle.lastSeq) return `Cycle ${cycle.id} starts at seq ${cycle.firstSeq}, after its last seq ${cycle.lastSeq}`;
    if (!actors.has(cycle.actorId)) return `Cycle ${cycle.id} is of actor ${cycle.actorId}, which no event of the run names`;
    const ordinal = JSON.stringify([cycle.actorId, cycle.ordinal]);
    if (ordinals.has(ordinal)) return `Cycle ${cycle.id}: actor ${cycle.actorId} has more than one cycle ${cycle.ordinal}`;
    ordinals.add(ordinal);
    const anomaly = cycle.anomalies.find((a) => !within(a.seq));
    if (anomaly) return `Cycle ${cycle.id} has an anomaly at seq ${anomaly.seq}, outside the run (${range})`;
  }
  for (let index = 0; index < events.length; index++) {
    if (index % 4096 === 0) await pause();
    const { cycleId, seq } = events[index];
    if (cycleId !== null && !ids.has(cycleId)) return `Event ${seq} names cycle ${cycleId}, which is not in the bundle`;
  }
  return null;
}
