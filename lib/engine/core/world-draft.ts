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
    private readonly base: WorldView,
    /** Module-level functions, so a table costs no closures (a busy run makes one per step). */
    private readonly read: (base: WorldView, key: string) => V | undefined,
    /** A copy the draft may change without touching the view's record. */
    private readonly copy: (value: V) => V,
  ) {}

  /** For writing: the draft's own copy, made on first use. */
  get(key: string): V | undefined {
    const own = this.changed.get(key);
    if (own === GONE) return undefined;
    if (own !== undefined) return own;
    const found = this.read(this.base, key);
    if (found === undefined) return undefined;
    const mine = this.copy(found);
    this.changed.set(key, mine);
    return mine;
  }

  /** For reading: no copy. */
  peek(key: string): V | undefined {
    const own = this.changed.get(key);
    if (own === GONE) return undefined;
    return own ?? this.read(this.base, key);
  }

  set(key: string, value: V): void {
    this.changed.set(key, value);
  }

  delete(key: string): void {
    this.changed.set(key, GONE);
  }
}

const readActor = (base: WorldView, id: string) => base.actor(id) as ActorRecord | undefined;
const readRunner = (base: WorldView, id: string) => base.runner(id) as RunnerRecord | undefined;
const readRunnerByKey = (base: WorldView, key: string) => base.runnerIdByKey(key);
const readPending = (base: WorldView, name: string) => [...base.pending(name)];
const readDesiredSlots = (base: WorldView, pool: string) => base.desiredSlots(pool);
const readPoolError = (base: WorldView, pool: string) => base.poolError(pool);
const readNothing = (): undefined => undefined;
const readHibernatable = (base: WorldView, actorId: string) => new Set(base.hibernatable(actorId));
const readProcesses = (base: WorldView) => base.processesStarted();
const copyActor = (actor: ActorRecord): ActorRecord => ({ ...actor });
// The hosted set is shared with the view's record until a step changes it (see ownHosted).
const copyRunner = (runner: RunnerRecord): RunnerRecord => ({ ...runner });
const copyArray = (queue: string[]) => [...queue];
const copySet = (set: Set<string>) => new Set(set);
const same = <V>(value: V): V => value;

/** The draft's tables, each made when the step first changes it (a step changes one or two). */
class LazyTables implements DraftTables {
  madeActors?: DraftTable<ActorRecord>;
  madeRunners?: DraftTable<RunnerRecord>;
  madeRunnerByKey?: DraftTable<string>;
  madePending?: DraftTable<string[]>;
  madeDesiredSlots?: DraftTable<number>;
  madePoolErrors?: DraftTable<string | null>;
  madeSubscribers?: DraftTable<Set<string>>;
  madeHibernatable?: DraftTable<Set<string>>;
  madeCounters?: DraftTable<number>;

  constructor(private readonly base: WorldView) {}

  get actors() {
    return (this.madeActors ??= new DraftTable<ActorRecord>(this.base, readActor, copyActor));
  }
  get runners() {
    return (this.madeRunners ??= new DraftTable<RunnerRecord>(this.base, readRunner, copyRunner));
  }

  /** The draft runner with a hosted-actor set of its own, before a step changes that set. */
  ownHosted(runnerId: string): void {
    const runner = this.runners.get(runnerId);
    if (!runner) return;
    this.ownSets ??= new WeakSet();
    if (this.ownSets.has(runner)) return;
    runner.actorIds = new Set(runner.actorIds);
    this.ownSets.add(runner);
  }

  private ownSets?: WeakSet<RunnerRecord>;

  get runnerByKey() {
    return (this.madeRunnerByKey ??= new DraftTable<string>(this.base, readRunnerByKey, same));
  }
  get pending() {
    return (this.madePending ??= new DraftTable<string[]>(this.base, readPending, copyArray));
  }
  get desiredSlots() {
    return (this.madeDesiredSlots ??= new DraftTable<number>(this.base, readDesiredSlots, same));
  }
  get poolErrors() {
    return (this.madePoolErrors ??= new DraftTable<string | null>(this.base, readPoolError, same));
  }
  /** Subscriptions are kept apart (see WorldDraft.subscriberChanges). */
  get subscribers() {
    return (this.madeSubscribers ??= new DraftTable<Set<string>>(this.base, readNothing, same));
  }
  get hibernatable() {
    return (this.madeHibernatable ??= new DraftTable<Set<string>>(this.base, readHibernatable, copySet));
  }
  get counters() {
    return (this.madeCounters ??= new DraftTable<number>(this.base, readProcesses, same));
  }
}

/**
 * A step's world: reads see the step's own changes; every change is also one world-op effect in the
 * step's effects, which the runtime applies to the world after the step.
 */
export class WorldDraft implements WorldView {
  /** Made on the step's first change: most steps change nothing and read the view as it is. */
  private draft: LazyTables | null = null;

  constructor(
    private readonly base: WorldView,
    /** The step's effects: each change is also one world effect there, in order. */
    private readonly effects: Effect[],
  ) {}

  private get tables(): LazyTables {
    return (this.draft ??= new LazyTables(this.base));
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
      if (op.op === "host-actor" || op.op === "clear-hosted") this.tables.ownHosted(op.runnerId);
      applyWorldOp(this.tables, op);
    }
    this.effects.push({ kind: "world", op });
  }

  actor(actorId: string): Readonly<ActorRecord> | undefined {
    const table = this.draft?.madeActors;
    return table ? table.peek(actorId) : this.base.actor(actorId);
  }

  *actors(): Iterable<Readonly<ActorRecord>> {
    const table = this.draft?.madeActors;
    if (!table) return yield* this.base.actors();
    const changed = table.changed;
    for (const actor of this.base.actors()) if (!changed.has(actor.actorId)) yield actor;
    for (const actor of changed.values()) if (typeof actor !== "symbol") yield actor;
  }

  runner(runnerId: string): ReadonlyRunner | undefined {
    const table = this.draft?.madeRunners;
    return table ? table.peek(runnerId) : this.base.runner(runnerId);
  }

  *runners(): Iterable<ReadonlyRunner> {
    const table = this.draft?.madeRunners;
    if (!table) return yield* this.base.runners();
    const changed = table.changed;
    for (const runner of this.base.runners()) {
      if (!changed.has(runner.runnerId)) yield runner;
    }
    for (const runner of changed.values()) if (typeof runner !== "symbol") yield runner;
  }

  runnerIdByKey(key: string): string | undefined {
    const table = this.draft?.madeRunnerByKey;
    return table ? table.peek(key) : this.base.runnerIdByKey(key);
  }

  pending(name: string): readonly string[] {
    const table = this.draft?.madePending;
    return table ? (table.peek(name) ?? []) : this.base.pending(name);
  }

  desiredSlots(pool: string): number {
    const table = this.draft?.madeDesiredSlots;
    return table ? (table.peek(pool) ?? 0) : this.base.desiredSlots(pool);
  }

  poolError(pool: string): string | null {
    const table = this.draft?.madePoolErrors;
    return table ? (table.peek(pool) ?? null) : this.base.poolError(pool);
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
    const table = this.draft?.madeHibernatable;
    return table ? [...(table.peek(actorId) ?? [])] : this.base.hibernatable(actorId);
  }

  processesStarted(): number {
    const table = this.draft?.madeCounters;
    return table ? (table.peek("processes") ?? 0) : this.base.processesStarted();
  }
}
