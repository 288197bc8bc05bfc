// What the engine API knows about actors beyond their lifecycle: name, key, namespace, runner name
// selector, input, creation time. The engine's World keeps the lifecycle (state, runner,
// generation); this directory keeps the identity clients look actors up by.
import type { CrashPolicy } from "../engine/messages";
import type { WorldView } from "../engine/core/world-draft";

export interface ActorIdentity {
  actorId: string;
  name: string;
  /** Opaque serialized key, as clients send it. */
  key: string | null;
  namespace: string;
  runnerNameSelector: string;
  crashPolicy: CrashPolicy;
  /** Base64 of the input bytes (CBOR for rivetkit), passed through unchanged. */
  input: string | null;
  /** Epoch milliseconds. */
  createTs: number;
}

/** The actor JSON of the engine API (snake_case, nullable timestamps in epoch ms). */
export interface ActorJson {
  actor_id: string;
  name: string;
  /** "" for an actor without a key (clients read it as a string). */
  key: string;
  namespace_id: string;
  runner_name_selector: string;
  crash_policy: CrashPolicy;
  create_ts: number;
  start_ts: number | null;
  connectable_ts: number | null;
  pending_allocation_ts: number | null;
  sleep_ts: number | null;
  destroy_ts: number | null;
  error: string | null;
}

export class ActorDirectory {
  private readonly byId = new Map<string, ActorIdentity>();

  add(identity: ActorIdentity): void {
    this.byId.set(identity.actorId, identity);
  }

  get(actorId: string): ActorIdentity | undefined {
    return this.byId.get(actorId);
  }

  /** Live (not destroyed) actors with this name and key in a namespace. */
  findByKey(world: WorldView, namespace: string, name: string, key: string | null): ActorIdentity | undefined {
    for (const identity of this.byId.values()) {
      if (identity.namespace !== namespace || identity.name !== name || identity.key !== key) continue;
      if (world.actor(identity.actorId)?.state === "Destroyed") continue;
      return identity;
    }
    return undefined;
  }

  list(namespace: string, filter: { name?: string; key?: string | null; includeDestroyed?: boolean }, world: WorldView): ActorIdentity[] {
    return [...this.byId.values()].filter(
      (identity) =>
        identity.namespace === namespace &&
        (filter.name === undefined || identity.name === filter.name) &&
        (filter.key === undefined || identity.key === filter.key) &&
        (filter.includeDestroyed || world.actor(identity.actorId)?.state !== "Destroyed"),
    );
  }

  /** The API form of an actor; engine times become epoch milliseconds through `toEpoch`. */
  toJson(identity: ActorIdentity, world: WorldView, toEpoch: (engineMs: number) => number): ActorJson {
    const record = world.actor(identity.actorId);
    const at = (engineMs: number | null | undefined) => (engineMs === null || engineMs === undefined ? null : Math.round(toEpoch(engineMs)));
    return {
      actor_id: identity.actorId,
      name: identity.name,
      key: identity.key ?? "",
      namespace_id: identity.namespace,
      runner_name_selector: identity.runnerNameSelector,
      crash_policy: identity.crashPolicy,
      create_ts: identity.createTs,
      start_ts: at(record?.startTs),
      connectable_ts: at(record?.connectableTs),
      pending_allocation_ts: null,
      sleep_ts: record?.state === "Sleeping" ? at(record.sleepTs) : null,
      destroy_ts: at(record?.destroyTs),
      error: record?.error ?? null,
    };
  }
}

/** What the engine API asks the live engine to create. */
export interface CreateActorInput {
  name: string;
  key: string | null;
  runnerNameSelector: string;
  crashPolicy: CrashPolicy;
  input: string | null;
}
