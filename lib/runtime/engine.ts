// The one composition root: every engine — a scenario on the virtual clock, a paced run, the live
// server on the wall clock — is built here, with the same participants in the same order. What
// differs is only what stands at the edges: the built-in endpoint and runners of a scenario, or
// the adapters of real ones (lib/transport), and which driver moves the clock (./drivers).
import type { PoolConfig, EngineConfig } from "../engine/config";
import { actorWorkflowInstance } from "../engine/actor-workflow/actor-workflow";
import { apiInstance } from "../engine/api/api";
import type { Instance } from "../engine/core/module";
import { gatewayInstance } from "../engine/gateway/gateway";
import { serverlessInstance } from "../engine/serverless/serverless";
import type { ActorRecord } from "../engine/world";
import type { TraceEvent } from "../trace/types";
import type { HopFault } from "./faults";
import { EngineRuntime } from "./runtime";

/** What stands in for a pool's serverless endpoint: the simulated one, or an adapter of a real one. */
export type EndpointFor = (pool: PoolConfig) => Instance;

export interface EngineSpec {
  config: EngineConfig;
  seed: number;
  sink: (event: TraceEvent) => void;
  faults?: HopFault[];
  endpointFor: EndpointFor;
  /** Told when the engine is done with a request whose tunnel an adapter holds. */
  onForgetRequest?: (requestId: string) => void;
}

export function buildEngine(spec: EngineSpec): EngineRuntime {
  const runtime = new EngineRuntime({ config: spec.config, seed: spec.seed, sink: spec.sink, faults: spec.faults, onForgetRequest: spec.onForgetRequest });
  runtime.add(gatewayInstance());
  runtime.add(apiInstance());
  for (const pool of spec.config.pools) addPool(runtime, pool, spec.endpointFor(pool));
  return runtime;
}

/** A pool's autoscaler and its endpoint. */
export function addPool(runtime: EngineRuntime, pool: PoolConfig, endpoint: Instance): void {
  runtime.add(serverlessInstance(pool));
  runtime.add(endpoint);
}

/**
 * An actor that exists before the engine runs (a scenario's, or one an earlier life of the live
 * engine stored), with its workflow; a stored alarm is armed again by the workflow's first step.
 */
export function addActor(runtime: EngineRuntime, record: ActorRecord, alarmAt: number | null = null): void {
  runtime.applyWorld([{ op: "put-actor", actor: record }]);
  runtime.add(actorWorkflowInstance(record.actorId, alarmAt), alarmAt === null ? undefined : { command: "restore-alarm" });
}
