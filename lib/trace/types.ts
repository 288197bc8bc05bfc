// The recorded trace: the one shape every later stage (store, cycles, diagrams, conformance,
// exports, the browser) reads. The engine's runtime produces these; nothing downstream needs
// to know how the engine works inside.

/** Lifelines, in the order every diagram draws them. */
export const ROLES = [
  "API",
  "User",
  "Gateway",
  "Runner",
  "RunnerWS",
  "RunnerWorkflow",
  "ActorWorkflow",
  "Serverless",
  "ServerlessEndpoint",
] as const;
export type Role = (typeof ROLES)[number];

/** Short lifeline ids and display names used by the reference diagrams. */
export const ROLE_SHORT: Record<Role, string> = {
  API: "A",
  User: "U",
  Gateway: "G",
  Runner: "R",
  RunnerWS: "RWS",
  RunnerWorkflow: "RWF",
  ActorWorkflow: "AWF",
  Serverless: "S",
  ServerlessEndpoint: "SE",
};
export const ROLE_TITLE: Record<Role, string> = {
  API: "API",
  User: "User",
  Gateway: "Gateway",
  Runner: "Runner",
  RunnerWS: "Runner WS",
  RunnerWorkflow: "Runner Workflow",
  ActorWorkflow: "Actor Workflow",
  Serverless: "Serverless",
  ServerlessEndpoint: "Serverless<br/>Endpoint",
};

/** One participant instance: a role and the id of the instance (runner id, actor id, pool name…). */
export interface ParticipantRef {
  role: Role;
  id: string;
}

export type EventKind = "message" | "note" | "phase-start" | "phase-end" | "relation";

/**
 * One recorded event.
 * - message: `from` sent it to `to`; recorded when it is delivered to `to`.
 * - note: a state annotation over `from` (and spanning to `to` when set).
 * - phase-start / phase-end: a span (drawn as `critical label … end`); the end's `phaseId` is the
 *   seq of its start.
 * - relation: not a message (e.g. "Same process" between the serverless endpoint and the runner).
 */
export interface TraceEvent {
  /** Gap-free per run, starting at 1. */
  seq: number;
  /** Engine milliseconds since the run's start (virtual or real clock). */
  time: number;
  kind: EventKind;
  from: ParticipantRef | null;
  to: ParticipantRef | null;
  /** Machine-readable type, e.g. "Wake", "ToServerInit", "CommandStartActor", "note:Allocate". */
  type: string;
  /** The human label as the reference diagrams write it (may carry extra detail). */
  label: string;
  payload: unknown;
  actorId: string | null;
  runnerId: string | null;
  /** Assigned by cycle detection (lib/trace/cycles), null until then. */
  cycleId: string | null;
  /** Seq of the event that caused this one. */
  causeSeq: number | null;
  /** For a message forwarded unchanged one hop further: seq of the message it relays. */
  relayOf: number | null;
  /** Seq of the innermost open phase-start (for phase events: of the enclosing phase). */
  phaseId: number | null;
  /** Protocol housekeeping (pings, acks, KV, init replies): hidden in the default view. */
  housekeeping: boolean;
}

/** What the run recorded, as exported and imported. */
export interface RunInfo {
  id: string;
  name: string;
  source: RunSource;
  seed: number | null;
  config: unknown;
  status: RunStatus;
  error: string | null;
  eventCount: number;
  startedAt: string;
  endedAt: string | null;
  /** The live run this one continues after the engine restarted (its actors and KV carried over). */
  followsRunId?: string | null;
}

/**
 * `stopped`: ended on purpose before its natural end (a server's clean shutdown, a stopped paced
 * run); `interrupted`: its recording process died, so the run holds what was committed until then.
 */
/** Where a run came from: a scenario, the embedded live engine, an import, OTLP, or a real engine recorded through the proxy. */
export const RUN_SOURCES = ["scenario", "live", "import", "otlp", "real"] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

export type RunStatus = "running" | "finished" | "failed" | "stopped" | "interrupted";
export const RUN_STATUSES: readonly RunStatus[] = ["running", "finished", "failed", "stopped", "interrupted"];
/** The statuses a run may end with. */
export type RunEndStatus = Exclude<RunStatus, "running">;

export type CycleOutcome = "open" | "slept" | "destroyed" | "failed";

export interface CycleInfo {
  id: string;
  runId: string;
  actorId: string;
  ordinal: number;
  firstSeq: number;
  lastSeq: number;
  startTime: number;
  endTime: number | null;
  outcome: CycleOutcome;
  wakeToReadyMs: number | null;
  coldStartMs: number | null;
  requestsServed: number;
  eventCount: number;
  anomalies: Anomaly[];
}

export interface Anomaly {
  kind:
    | "ignored-wake"
    | "ignored-sleep-intent"
    | "deferred-wake"
    | "actor-lost"
    | "retry-wake"
    | "timeout"
    | "user-error"
    | "start-failed";
  seq: number;
  message: string;
}

export interface TraceBundle {
  format: "wakeline-bundle";
  version: 1;
  run: RunInfo;
  events: TraceEvent[];
  cycles: CycleInfo[];
}
