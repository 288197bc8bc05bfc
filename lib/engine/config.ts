// Engine configuration: every timing of engine.md is configuration, with the platform's defaults.
import type { Role } from "../trace/types";

export interface PoolConfig {
  /** Runner name the pool serves (actors select it with `runnerNameSelector`). */
  name: string;
  url: string;
  headers: Record<string, string>;
  /** Seconds a `/start` request lives before its runner is drained. */
  requestLifespan: number;
  slotsPerRunner: number;
  minRunners: number;
  maxRunners: number;
  runnersMargin: number;
  /** Seconds between draining a runner and evicting its WebSocket. */
  drainGracePeriod: number;
}

export interface TimingConfig {
  runnerLostThresholdMs: number;
  actorStartThresholdMs: number;
  actorStopThresholdMs: number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  pingFreshMs: number;
  initTimeoutMs: number;
  actorReadyTimeoutMs: number;
  wakeRetryLimit: number;
  tunnelRetryAttempts: number;
  tunnelRetryBaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  backoffJitterMs: number;
  backoffResetMs: number;
  /** Built-in runner: time from StartActor to reporting Running. */
  actorStartMs: number;
  /** Built-in runner: time the demo actor takes to answer a request. */
  requestHandlingMs: number;
  /** Built-in runner: an idle actor asks to sleep after this long. */
  sleepTimeoutMs: number;
  /** Serverless endpoint: SSE ping interval on a `/start` stream. */
  endpointPingMs: number;
  /** Built-in runner: reconnect backoff base after a non-eviction close. */
  reconnectBaseMs: number;
}

export const DEFAULT_TIMING: TimingConfig = {
  runnerLostThresholdMs: 15_000,
  actorStartThresholdMs: 30_000,
  actorStopThresholdMs: 30_000,
  pingIntervalMs: 3_000,
  pongTimeoutMs: 15_000,
  pingFreshMs: 10_000,
  initTimeoutMs: 5_000,
  actorReadyTimeoutMs: 10_000,
  wakeRetryLimit: 16,
  tunnelRetryAttempts: 7,
  tunnelRetryBaseMs: 150,
  backoffBaseMs: 2_000,
  backoffMaxMs: 512_000,
  backoffJitterMs: 500,
  backoffResetMs: 600_000,
  actorStartMs: 2,
  requestHandlingMs: 3,
  sleepTimeoutMs: 30_000,
  endpointPingMs: 1_000,
  reconnectBaseMs: 1_000,
};

/** Every timing key, in the order of DEFAULT_TIMING. */
export const TIMING_KEYS = Object.keys(DEFAULT_TIMING) as (keyof TimingConfig)[];

/**
 * Timings that set the period of a timer that sets itself again (pings, retry and reconnect
 * backoff): at 0 it would fire for ever at one instant, so they must be above 0.
 */
export const REPEATING_TIMINGS: ReadonlySet<keyof TimingConfig> = new Set(["pingIntervalMs", "endpointPingMs", "backoffBaseMs", "reconnectBaseMs"]);

/** Timings that are counts rather than milliseconds. */
export const COUNT_TIMINGS: ReadonlySet<keyof TimingConfig> = new Set(["wakeRetryLimit", "tunnelRetryAttempts"]);

/** What is wrong with one timing setting (naming its key), or null when it is fine. */
export function timingProblem(key: string, value: unknown): string | null {
  if (!(TIMING_KEYS as string[]).includes(key)) return `unknown timing "${key}" (known: ${TIMING_KEYS.join(", ")})`;
  const name = key as keyof TimingConfig;
  if (typeof value !== "number" || !Number.isFinite(value)) return `timing ${key} must be a finite number`;
  if (COUNT_TIMINGS.has(name)) return Number.isInteger(value) && value >= 0 ? null : `timing ${key} must be a whole number ≥ 0, not ${value}`;
  if (REPEATING_TIMINGS.has(name) && value <= 0) return `timing ${key} must be above 0, not ${value}: it is the period of a repeating timer, which would fire for ever at one instant`;
  if (value < 0) return `timing ${key} must be ≥ 0, not ${value}`;
  return null;
}

export class EngineConfigError extends Error {
  readonly code = "invalid_engine_config";
  constructor(message: string) {
    super(message);
    this.name = "EngineConfigError";
  }
}

export const DEFAULT_POOL: PoolConfig = {
  name: "default",
  url: "http://localhost:3000/api/serverless",
  headers: {},
  requestLifespan: 300,
  slotsPerRunner: 1,
  minRunners: 0,
  maxRunners: 10,
  runnersMargin: 0,
  drainGracePeriod: 5,
};

/**
 * How long a message takes from one role to the next, and how long a participant of a role stays
 * busy after handling one input (workflows commit each step; network hops only forward).
 */
export interface LatencyConfig {
  defaultHopMs: number;
  /** Keyed "FromRole>ToRole". */
  hops: Partial<Record<string, number>>;
  processingMs: Partial<Record<Role, number>>;
}

export const DEFAULT_LATENCY: LatencyConfig = {
  defaultHopMs: 1,
  hops: {},
  processingMs: { ActorWorkflow: 20, RunnerWorkflow: 2, Serverless: 25 },
};

export interface EngineConfig {
  namespace: string;
  timing: TimingConfig;
  latency: LatencyConfig;
  pools: PoolConfig[];
  /** Drained runners send GoingAway to their actors (off, as in the reference flows). */
  goingAwayOnDrain: boolean;
  /**
   * Epoch milliseconds at engine time 0. Times on the runner protocol (an actor's alarm) are epoch
   * milliseconds; on the virtual clock of a scenario engine time is that epoch (0).
   */
  epochMs: number;
}

export function engineConfig(partial: Partial<Omit<EngineConfig, "timing" | "latency">> & {
  timing?: Partial<TimingConfig>;
  latency?: Partial<LatencyConfig>;
} = {}): EngineConfig {
  // Scenarios are checked with a coded error before they get here; this guards every other caller.
  for (const [key, value] of Object.entries(partial.timing ?? {})) {
    const problem = value === undefined ? null : timingProblem(key, value);
    if (problem) throw new EngineConfigError(problem);
  }
  return {
    namespace: partial.namespace ?? "default",
    timing: { ...DEFAULT_TIMING, ...partial.timing },
    latency: {
      ...DEFAULT_LATENCY,
      ...partial.latency,
      hops: { ...DEFAULT_LATENCY.hops, ...partial.latency?.hops },
      processingMs: { ...DEFAULT_LATENCY.processingMs, ...partial.latency?.processingMs },
    },
    pools: partial.pools ?? [DEFAULT_POOL],
    goingAwayOnDrain: partial.goingAwayOnDrain ?? false,
    epochMs: partial.epochMs ?? 0,
  };
}

/** Desired runners for a pool: min(max(margin + ceil(slots / slotsPerRunner), min), max). */
export function desiredRunners(pool: PoolConfig, desiredSlots: number): number {
  const needed = pool.runnersMargin + Math.ceil(Math.max(0, desiredSlots) / Math.max(1, pool.slotsPerRunner));
  return Math.min(Math.max(needed, pool.minRunners), pool.maxRunners);
}

/** Reallocation / retry backoff: first retry immediate, then base × 2^(n−1) + jitter, capped. */
export function backoffMs(attempt: number, timing: TimingConfig, random: () => number): number {
  if (attempt <= 0) return 0;
  const base = Math.min(timing.backoffBaseMs * 2 ** (attempt - 1), timing.backoffMaxMs);
  return Math.min(base + Math.floor(random() * timing.backoffJitterMs), timing.backoffMaxMs);
}
