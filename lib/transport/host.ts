// What the transports need from the live engine they serve.
import type { EngineRuntime } from "../runtime/runtime";
import type { WallDriver } from "../runtime/drivers/wall";
import type { ParticipantRef } from "../trace/types";
import type { KvStore } from "./kv-store";
import type { ActorStartConfig, CauseContext } from "./remote-runner";
import type { TunnelRegistry } from "./tunnels";

export interface EngineHost {
  readonly runtime: EngineRuntime;
  readonly driver: WallDriver;
  readonly namespace: string;
  readonly tunnels: TunnelRegistry;
  readonly kv: KvStore;
  /** Name, key, creation time and input of an actor, as CommandStartActor carries them. */
  actorStartConfig(actorId: string): ActorStartConfig | null;
  /**
   * A runner with this name connected for the first time: if a serverless `/start` of its pool is
   * waiting for its runner, it is this one ("Same process"); returns the cause to record it with.
   */
  claimServerlessStart(runnerName: string, runner: ParticipantRef): CauseContext | null;
}
