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
