// What a step sees of the world: a read-only view, and the step's draft of its own changes on top
// of it (copy-on-write per record, so a step costs what it touches, not the size of the world).
import type { ActorRecord, RunnerRecord, World } from "../world";
import type { Effect } from "./effects";
import { applyWorldOp, type Table, type WorldOp, type WorldTables } from "./world-ops";

/** The shared platform state as a participant reads it. */
export interface WorldView {
  actor(actorId: string): Readonly<ActorRecord> | undefined;
  actors(): Iterable<Readonly<ActorRecord>>;
  runner(runnerId: string): ReadonlyRunner | undefined;
  runners(): Iterable<ReadonlyRunner>;
  runnerIdByKey(key: string): string | undefined;
  /** Actors waiting for a slot on runners of that name, first come first. */
  pending(name: string): readonly string[];
  desiredSlots(pool: string): number;
  poolError(pool: string): string | null;
  hasSubscribers(actorId: string): boolean;
  /** Gateway requests waiting on the actor's topic. */
  subscribers(actorId: string): ReadonlySet<string>;
  /** Client WebSockets of an actor that outlive its sleep, in the order they were opened. */
  hibernatable(actorId: string): readonly string[];
  processesStarted(): number;
}

export type ReadonlyRunner = Readonly<Omit<RunnerRecord, "actorIds">> & { readonly actorIds: ReadonlySet<string> };

/** The world itself, read-only. */
export function viewOf(world: World): WorldView {
  return {
    actor: (actorId) => world.actors.get(actorId),
    actors: () => world.actors.values(),
    runner: (runnerId) => world.runners.get(runnerId),
    runners: () => world.runners.values(),
    runnerIdByKey: (key) => world.runnerByKey.get(key),
    pending: (name) => world.pending.get(name) ?? [],
    desiredSlots: (pool) => world.desiredSlots.get(pool) ?? 0,
    poolError: (pool) => world.poolErrors.get(pool) ?? null,
    hasSubscribers: (actorId) => (world.subscribers.get(actorId)?.size ?? 0) > 0,
    subscribers: (actorId) => world.subscribers.get(actorId) ?? EMPTY,
    hibernatable: (actorId) => [...(world.hibernatable.get(actorId) ?? [])],
    processesStarted: () => world.counters.get("processes") ?? 0,
  };
}

const GONE = Symbol("gone");

interface DraftTables extends WorldTables {
  actors: DraftTable<ActorRecord>;
  runners: DraftTable<RunnerRecord>;
  runnerByKey: DraftTable<string>;
  pending: DraftTable<string[]>;
  desiredSlots: DraftTable<number>;
  poolErrors: DraftTable<string | null>;
  subscribers: DraftTable<Set<string>>;
  hibernatable: DraftTable<Set<string>>;
  counters: DraftTable<number>;
}
const EMPTY: ReadonlySet<string> = new Set();

/** A table of the draft: its own copies of what the step changed, the view's records otherwise. */
class DraftTable<V> implements Table<string, V> {
  readonly changed = new Map<string, V | typeof GONE>();

  constructor(
    private readonly read: (key: string) => V | undefined,
    /** A copy the draft may change without touching the view's record. */
    private readonly copy: (value: V) => V,
  ) {}

  /** For writing: the draft's own copy, made on first use. */
  get(key: string): V | undefined {
    const own = this.changed.get(key);
    if (own === GONE) return undefined;
    if (own !== undefined) return own;
    const base = this.read(key);
    if (base === undefined) return undefined;
    const mine = this.copy(base);
    this.changed.set(key, mine);
    return mine;
  }

  /** For reading: no copy. */
  peek(key: string): V | undefined {
    const own = this.changed.get(key);
    if (own === GONE) return undefined;
    return own ?? this.read(key);
  }

  set(key: string, value: V): void {
    this.changed.set(key, value);
  }

  delete(key: string): void {
    this.changed.set(key, GONE);
  }
}

/**
 * A step's world: reads see the step's own changes; every change is also handed to `record`, the
 * world op effect the runtime applies later.
 */
export class WorldDraft implements WorldView {
  /** Made on the step's first change: most steps change nothing and read the view as it is. */
  private draft: DraftTables | null = null;

  constructor(
    private readonly base: WorldView,
    /** The step's effects: each change is also one world effect there, in order. */
    private readonly effects: Effect[],
  ) {}

  private get tables(): DraftTables {
    if (this.draft) return this.draft;
    const base = this.base;
    this.draft = {
      actors: new DraftTable<ActorRecord>((id) => base.actor(id) as ActorRecord | undefined, (a) => ({ ...a })),
      runners: new DraftTable<RunnerRecord>((id) => base.runner(id) as RunnerRecord | undefined, (r) => ({ ...r, actorIds: new Set(r.actorIds) })),
      runnerByKey: new DraftTable<string>((key) => base.runnerIdByKey(key), (id) => id),
      pending: new DraftTable<string[]>((name) => [...base.pending(name)], (queue) => [...queue]),
      desiredSlots: new DraftTable<number>((pool) => base.desiredSlots(pool), (n) => n),
      poolErrors: new DraftTable<string | null>((pool) => base.poolError(pool), (e) => e),
      // Subscriptions are kept apart (see subscriberChanges).
      subscribers: new DraftTable<Set<string>>(() => undefined, (set) => set),
      hibernatable: new DraftTable<Set<string>>((actorId) => new Set(base.hibernatable(actorId)), (set) => new Set(set)),
      counters: new DraftTable<number>(() => base.processesStarted(), (n) => n),
    };
    return this.draft;
  }

  /**
   * Subscriptions this step changed, per actor: a burst of requests waits on one actor, so its
   * set is not copied per step; what the step added and removed is kept beside it.
   */
  private subscriberChanges: Map<string, Map<string, boolean>> | null = null;

  apply(op: WorldOp): void {
    if (op.op === "subscribe") {
      this.subscriberChanges ??= new Map();
      const changes = this.subscriberChanges.get(op.actorId) ?? new Map<string, boolean>();
      changes.set(op.requestId, op.subscribed);
      this.subscriberChanges.set(op.actorId, changes);
    } else {
      applyWorldOp(this.tables, op);
    }
    this.effects.push({ kind: "world", op });
  }

  actor(actorId: string): Readonly<ActorRecord> | undefined {
    return this.draft ? this.draft.actors.peek(actorId) : this.base.actor(actorId);
  }

  *actors(): Iterable<Readonly<ActorRecord>> {
    if (!this.draft) return yield* this.base.actors();
    const changed = this.draft.actors.changed;
    for (const actor of this.base.actors()) if (!changed.has(actor.actorId)) yield actor;
    for (const actor of changed.values()) if (typeof actor !== "symbol") yield actor;
  }

  runner(runnerId: string): ReadonlyRunner | undefined {
    return this.draft ? this.draft.runners.peek(runnerId) : this.base.runner(runnerId);
  }

  *runners(): Iterable<ReadonlyRunner> {
    if (!this.draft) return yield* this.base.runners();
    const changed = this.draft.runners.changed;
    for (const runner of this.base.runners()) {
      if (!changed.has(runner.runnerId)) yield runner;
    }
    for (const runner of changed.values()) if (typeof runner !== "symbol") yield runner;
  }

  runnerIdByKey(key: string): string | undefined {
    return this.draft ? this.draft.runnerByKey.peek(key) : this.base.runnerIdByKey(key);
  }

  pending(name: string): readonly string[] {
    return this.draft ? (this.draft.pending.peek(name) ?? []) : this.base.pending(name);
  }

  desiredSlots(pool: string): number {
    return this.draft ? (this.draft.desiredSlots.peek(pool) ?? 0) : this.base.desiredSlots(pool);
  }

  poolError(pool: string): string | null {
    return this.draft ? (this.draft.poolErrors.peek(pool) ?? null) : this.base.poolError(pool);
  }

  hasSubscribers(actorId: string): boolean {
    const base = this.base.subscribers(actorId);
    const changes = this.subscriberChanges?.get(actorId);
    if (!changes) return base.size > 0;
    let count = base.size;
    for (const [requestId, subscribed] of changes) {
      if (subscribed && !base.has(requestId)) count += 1;
      if (!subscribed && base.has(requestId)) count -= 1;
    }
    return count > 0;
  }

  subscribers(actorId: string): ReadonlySet<string> {
    const changes = this.subscriberChanges?.get(actorId);
    if (!changes) return this.base.subscribers(actorId);
    const set = new Set(this.base.subscribers(actorId));
    for (const [requestId, subscribed] of changes) {
      if (subscribed) set.add(requestId);
      else set.delete(requestId);
    }
    return set;
  }

  hibernatable(actorId: string): readonly string[] {
    return this.draft ? [...(this.draft.hibernatable.peek(actorId) ?? [])] : this.base.hibernatable(actorId);
  }

  processesStarted(): number {
    return this.draft ? (this.draft.counters.peek("processes") ?? 0) : this.base.processesStarted();
  }
}
