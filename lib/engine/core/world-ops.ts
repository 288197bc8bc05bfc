// Changes to the shared platform state (`World`), as effects. A step never writes the world: it
// asks for these, sees them at once in its own draft (world-draft.ts), and the runtime applies them
// to the world when the step has returned. `applyWorldOp` is the one place the world is written,
// for both.
import type { ActorRecord, RunnerRecord } from "../world";

export type WorldOp =
  | { op: "put-actor"; actor: ActorRecord }
  | { op: "update-actor"; actorId: string; set: Partial<Omit<ActorRecord, "actorId">> }
  | { op: "put-runner"; runner: RunnerRecord; key: string }
  | { op: "update-runner"; runnerId: string; set: Partial<Omit<RunnerRecord, "runnerId" | "actorIds">> }
  /** A runner (of a connection that never comes back) is forgotten, with its key if still its own. */
  | { op: "remove-runner"; runnerId: string; key: string }
  | { op: "host-actor"; runnerId: string; actorId: string; hosted: boolean }
  | { op: "clear-hosted"; runnerId: string }
  | { op: "enqueue-pending"; name: string; actorId: string }
  | { op: "remove-pending"; name: string; actorId: string }
  | { op: "desired-slots"; pool: string; slots: number }
  | { op: "pool-error"; pool: string; error: string | null }
  | { op: "subscribe"; actorId: string; requestId: string; subscribed: boolean }
  | { op: "hibernatable"; actorId: string; requestId: string; hibernatable: boolean }
  /** The simulated cloud started one more runner process (names stay unique across pools). */
  | { op: "process-started" };

/** The world's tables as `applyWorldOp` writes them: the world's own maps, or a step's draft. */
export interface Table<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
  delete(key: K): unknown;
}

export interface WorldTables {
  actors: Table<string, ActorRecord>;
  runners: Table<string, RunnerRecord>;
  runnerByKey: Table<string, string>;
  pending: Table<string, string[]>;
  desiredSlots: Table<string, number>;
  poolErrors: Table<string, string | null>;
  subscribers: Table<string, Set<string>>;
  hibernatable: Table<string, Set<string>>;
  counters: Table<"processes", number>;
}

export function applyWorldOp(world: WorldTables, op: WorldOp): void {
  switch (op.op) {
    case "put-actor":
      world.actors.set(op.actor.actorId, op.actor);
      return;
    case "update-actor": {
      const actor = world.actors.get(op.actorId);
      if (actor) Object.assign(actor, op.set);
      return;
    }
    case "put-runner":
      world.runners.set(op.runner.runnerId, op.runner);
      world.runnerByKey.set(op.key, op.runner.runnerId);
      return;
    case "update-runner": {
      const runner = world.runners.get(op.runnerId);
      if (runner) Object.assign(runner, op.set);
      return;
    }
    case "remove-runner":
      world.runners.delete(op.runnerId);
      if (world.runnerByKey.get(op.key) === op.runnerId) world.runnerByKey.delete(op.key);
      return;
    case "host-actor": {
      const runner = world.runners.get(op.runnerId);
      if (!runner) return;
      if (op.hosted) runner.actorIds.add(op.actorId);
      else runner.actorIds.delete(op.actorId);
      return;
    }
    case "clear-hosted":
      world.runners.get(op.runnerId)?.actorIds.clear();
      return;
    case "enqueue-pending": {
      const queue = world.pending.get(op.name) ?? [];
      if (!queue.includes(op.actorId)) queue.push(op.actorId);
      world.pending.set(op.name, queue);
      return;
    }
    case "remove-pending": {
      const queue = world.pending.get(op.name);
      const index = queue ? queue.indexOf(op.actorId) : -1;
      if (queue && index >= 0) queue.splice(index, 1);
      return;
    }
    case "desired-slots":
      world.desiredSlots.set(op.pool, op.slots);
      return;
    case "pool-error":
      world.poolErrors.set(op.pool, op.error);
      return;
    case "subscribe": {
      if (!op.subscribed && !world.subscribers.get(op.actorId)) return;
      const set = world.subscribers.get(op.actorId) ?? new Set<string>();
      if (op.subscribed) set.add(op.requestId);
      else set.delete(op.requestId);
      world.subscribers.set(op.actorId, set);
      return;
    }
    case "hibernatable": {
      const set = world.hibernatable.get(op.actorId) ?? new Set<string>();
      if (op.hibernatable) set.add(op.requestId);
      else set.delete(op.requestId);
      if (set.size > 0) world.hibernatable.set(op.actorId, set);
      else world.hibernatable.delete(op.actorId);
      return;
    }
    case "process-started":
      world.counters.set("processes", (world.counters.get("processes") ?? 0) + 1);
      return;
    default:
      return assertNeverOp(op);
  }
}

function assertNeverOp(op: never): never {
  throw new Error(`unknown world op ${JSON.stringify(op)}`);
}
