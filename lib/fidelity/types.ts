// The fidelity run's vocabulary: which engine a recording comes from, which client drove it, which
// workload it ran, and what the client saw.
import type { Db } from "@/lib/store/db";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";

export type SideName = "embedded" | "real";
export const SIDES: readonly SideName[] = ["embedded", "real"];

export type ClientKind = "runner-v7" | "serverless-v7" | "rivetkit-2.3";
export const CLIENTS: readonly ClientKind[] = ["runner-v7", "serverless-v7", "rivetkit-2.3"];

export type WorkloadName = "wake" | "sleep" | "request-after-sleep" | "burst" | "repeated-wakes" | "runner-disconnect" | "pool-drain";
export const WORKLOADS: readonly WorkloadName[] = ["wake", "sleep", "request-after-sleep", "burst", "repeated-wakes", "runner-disconnect", "pool-drain"];

export const WORKLOAD_TITLE: Record<WorkloadName, string> = {
  wake: "request to a sleeping actor",
  sleep: "sleep",
  "request-after-sleep": "a second request right after sleep",
  burst: "a burst of requests to a sleeping actor",
  "repeated-wakes": "three sleeps, each followed by a wake",
  "runner-disconnect": "a runner that disconnects",
  "pool-drain": "a pool drain",
};

/** One answer the client got: the HTTP status and the engine's error code, if any. */
export interface ClientAnswer {
  status: number;
  code: string | null;
}

/** One workload run by one client against one engine. */
export interface WorkloadOutcome {
  workload: WorkloadName;
  client: ClientKind;
  side: SideName;
  /** The actor the workload drove (null when it could not even create one). */
  actorId: string | null;
  answers: ClientAnswer[];
  /** Why the workload stopped early (a timeout, a refused call), or null. */
  error: string | null;
  durationMs: number;
}

/** A side's recording once it has ended: the run, its events and its cycles. */
export interface RecordedSide {
  side: SideName;
  db: Db;
  run: RunInfo;
  events: TraceEvent[];
  cycles: CycleInfo[];
  engineVersion: string;
  /** What went wrong while reading the histories (real side), or null. */
  importError: string | null;
}
