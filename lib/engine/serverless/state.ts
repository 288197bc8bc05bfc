// The serverless autoscaler's own state: the pool it serves (by name: the live engine updates a
// pool's settings in place, so they are read from the config each step) and its `/start` requests.
import type { EngineConfig, PoolConfig } from "../config";
import type { TimerRef } from "../core/effects";

export interface StartRequest {
  startId: string;
  startedAt: number;
  runnerId: string | null;
  /** Drained (Stop sent, or aborted before its runner connected): no longer counts as capacity. */
  draining: boolean;
  lifespanTimer: TimerRef | null;
  /**
   * Failures of this start so far and when it last retried: as the real engine's count, a success
   * does not reset it, a retry more than backoffResetMs after the previous one does.
   */
  failures: number;
  lastRetryAt: number | null;
  /** Backing off after a failure: it still counts as a runner being started. */
  retryTimer: TimerRef | null;
}

export interface ServerlessState {
  pool: string;
  /** By start id, in the order they were (last) sent: the drain order breaks ties by it. */
  requests: Map<string, StartRequest>;
}

export function initialServerlessState(pool: string): ServerlessState {
  return { pool, requests: new Map() };
}

/** A start not yet sent: its first attempt gives it a start id. */
export function newStartRequest(now: number): StartRequest {
  return { startId: "", startedAt: now, runnerId: null, draining: false, lifespanTimer: null, failures: 0, lastRetryAt: null, retryTimer: null };
}

/** The request whose runner is that one, if any. */
export function requestOfRunner(state: ServerlessState, runnerId: string): StartRequest | undefined {
  for (const request of state.requests.values()) if (request.runnerId === runnerId) return request;
  return undefined;
}

/** Requests still bringing (or about to bring) capacity. */
export function activeRequests(state: ServerlessState): StartRequest[] {
  return [...state.requests.values()].filter((r) => !r.draining);
}

/** The pool's current settings; an instance only exists for a configured pool. */
export function poolSettings(config: EngineConfig, name: string): PoolConfig {
  const pool = config.pools.find((p) => p.name === name);
  if (!pool) throw new Error(`no pool named ${name} in the engine config`);
  return pool;
}
