// The engine's shared durable state — what the real platform keeps in its database: actors,
// runners and the allocation index, the pending queue, the autoscaler's desired-slot counters.
// Workflows read and change it inside their steps, as transactions.
import type { CrashPolicy } from "./messages";
import type { ReadonlyRunner, WorldView } from "./core/world-draft";
import type { WorldOp } from "./core/world-ops";

export type ActorState =
  | "Sleeping"
  | "Pending"
  | "Starting"
  | "Running"
  | "SleepIntent"
  | "StopIntent"
  | "GoingAway"
  | "Backoff"
  | "Destroyed";

export interface ActorRecord {
  actorId: string;
  name: string;
  key: string | null;
  pool: string;
  crashPolicy: CrashPolicy;
  input: string | null;
  state: ActorState;
  runnerId: string | null;
  generation: number;
  createTs: number;
  startTs: number | null;
  connectableTs: number | null;
  sleepTs: number | null;
  destroyTs: number | null;
  error: string | null;
}

export interface RunnerRecord {
  runnerId: string;
  name: string;
  runnerKey: string;
  version: number;
  totalSlots: number;
  freeSlots: number;
  lastPingAt: number;
  /** Connection currently serving this runner (Runner WS instance id), null while disconnected. */
  connId: string | null;
  /** Runner process instance id (the Runner lifeline instance). */
  processId: string;
  draining: boolean;
  /** False once the runner workflow has ended (lost, evicted or shut down). */
  alive: boolean;
  disconnectedAt: number | null;
  actorIds: Set<string>;
}

export interface World {
  actors: Map<string, ActorRecord>;
  runners: Map<string, RunnerRecord>;
  /** `${namespace}/${name}/${runnerKey}` → runner id, so a reconnect keeps its id. */
  runnerByKey: Map<string, string>;
  /** FIFO of actors waiting for a slot, per runner name. */
  pending: Map<string, string[]>;
  /** Serverless desired-slot counter per pool. */
  desiredSlots: Map<string, number>;
  /** Last error of each pool's serverless endpoint (reported by the gateway). */
  poolErrors: Map<string, string | null>;
  /** Gateway requests waiting on each actor's topic. */
  subscribers: Map<string, Set<string>>;
  /**
   * Client WebSockets the runner accepted as hibernatable, per actor (the real engine's
   * hibernating_request keys): they outlive the actor's sleep, and its next CommandStartActor lists them.
   */
  hibernatable: Map<string, Set<string>>;
  /** The simulated cloud's counters: runner processes started (their names stay unique). */
  counters: Map<"processes", number>;
}

export function emptyWorld(): World {
  return {
    actors: new Map(),
    runners: new Map(),
    runnerByKey: new Map(),
    pending: new Map(),
    desiredSlots: new Map(),
    poolErrors: new Map(),
    subscribers: new Map(),
    hibernatable: new Map(),
    counters: new Map(),
  };
}

/** Allocation index: a runner of that name with a free slot and a fresh ping, highest version, then most free. */
export function pickRunner(world: World, name: string, now: number, pingFreshMs: number): RunnerRecord | null {
  let best: RunnerRecord | null = null;
  for (const runner of world.runners.values()) {
    if (!inAllocationIndex(runner, now, pingFreshMs) || runner.name !== name) continue;
    if (
      !best ||
      runner.version > best.version ||
      (runner.version === best.version && runner.freeSlots > best.freeSlots)
    ) {
      best = runner;
    }
  }
  return best;
}

export function inAllocationIndex(runner: ReadonlyRunner, now: number, pingFreshMs: number): boolean {
  return (
    runner.alive &&
    !runner.draining &&
    runner.connId !== null &&
    runner.freeSlots > 0 &&
    now - runner.lastPingAt <= pingFreshMs
  );
}

export function adjustDesiredSlots(world: World, pool: string, delta: number): number {
  const next = Math.max(0, (world.desiredSlots.get(pool) ?? 0) + delta);
  world.desiredSlots.set(pool, next);
  return next;
}

export function enqueuePending(world: World, name: string, actorId: string): void {
  const queue = world.pending.get(name) ?? [];
  if (!queue.includes(actorId)) queue.push(actorId);
  world.pending.set(name, queue);
}

export function removePending(world: World, name: string, actorId: string): boolean {
  const queue = world.pending.get(name);
  if (!queue) return false;
  const index = queue.indexOf(actorId);
  if (index < 0) return false;
  queue.splice(index, 1);
  return true;
}

export function subscribe(world: World, actorId: string, requestId: string): void {
  const set = world.subscribers.get(actorId) ?? new Set<string>();
  set.add(requestId);
  world.subscribers.set(actorId, set);
}

export function unsubscribe(world: World, actorId: string, requestId: string): void {
  world.subscribers.get(actorId)?.delete(requestId);
}

export function hasSubscribers(world: World, actorId: string): boolean {
  return (world.subscribers.get(actorId)?.size ?? 0) > 0;
}

export function setHibernatable(world: World, actorId: string, requestId: string, hibernatable: boolean): void {
  const set = world.hibernatable.get(actorId) ?? new Set<string>();
  if (hibernatable) set.add(requestId);
  else set.delete(requestId);
  if (set.size > 0) world.hibernatable.set(actorId, set);
  else world.hibernatable.delete(actorId);
}

/** The hibernatable sockets of an actor, in the order they were opened. */
export function hibernatableRequests(world: World, actorId: string): string[] {
  return [...(world.hibernatable.get(actorId) ?? [])];
}

/** An actor that exists before the run starts, asleep (`from: null` when it is created awake). */
export function newActorRecord(init: Pick<ActorRecord, "actorId" | "name" | "key" | "pool" | "crashPolicy" | "input" | "createTs"> & { state: ActorState }): ActorRecord {
  return { ...init, runnerId: null, generation: 0, startTs: null, connectableTs: null, sleepTs: null, destroyTs: null, error: null };
}

// ── The same rules for a step, which reads a WorldView and changes the world through WorldOps ──

/** Allocation index over a step's view: a runner of that name with a free slot and a fresh ping, highest version, then most free. */
export function pickRunnerIn(world: WorldView, name: string, now: number, pingFreshMs: number): ReadonlyRunner | null {
  let best: ReadonlyRunner | null = null;
  for (const runner of world.runners()) {
    if (!inAllocationIndex(runner, now, pingFreshMs) || runner.name !== name) continue;
    if (!best || runner.version > best.version || (runner.version === best.version && runner.freeSlots > best.freeSlots)) best = runner;
  }
  return best;
}

/** The op that moves a pool's desired-slot counter by `delta` (never below zero). */
export function desiredSlotsOp(world: WorldView, pool: string, delta: number): WorldOp {
  return { op: "desired-slots", pool, slots: Math.max(0, world.desiredSlots(pool) + delta) };
}
