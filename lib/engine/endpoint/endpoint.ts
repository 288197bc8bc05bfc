// The built-in serverless endpoint (engine.md §5, §7): answers `GET /start` by starting a runner in
// its own process. The runner then speaks on the `/start` stream as the endpoint (its init, the
// pings, the close), so the stream needs no table here.
import type { PoolConfig } from "../config";
import { Fx } from "../core/fx";
import { instance, type Input, type Instance, type ParticipantModule, type Step } from "../core/module";
import { endpoint, serverless } from "../core/refs";
import type { StepView } from "../core/view";
import type { MessageOf } from "../messages";
import { runnerInstance, type RunnerCommand } from "../runner/runner";
import { poolSettings } from "../serverless/state";
import { initialEndpointState, type EndpointFaults, type EndpointState } from "./state";

export type { EndpointFaults, EndpointState } from "./state";

export const endpointModule: ParticipantModule<EndpointState> = {
  role: "ServerlessEndpoint",
  step(state: EndpointState, input: Input, view: StepView): Step<EndpointState> {
    const fx = new Fx(view);
    if (input.kind === "message" && input.msg.type === "StartRequest") onStart(state, input.msg, fx);
    return fx.done(state);
  },
};

export function endpointInstance(pool: PoolConfig, faults: EndpointFaults = { failuresLeft: 0, failureStatus: 500 }): Instance {
  return instance(endpoint(pool.name), endpointModule, initialEndpointState(pool.name, faults));
}

function onStart(state: EndpointState, msg: MessageOf<"StartRequest">, fx: Fx): void {
  const { faults } = state;
  if (faults.failuresLeft > 0) {
    faults.failuresLeft -= 1;
    fx.send(
      serverless(state.pool),
      { type: "StartFailed", startId: msg.startId, status: faults.failureStatus, reason: "endpoint error" },
      { label: `GET /start failed ${faults.failureStatus}` },
    );
    return;
  }
  // Process names stay unique across pools: the world counts the processes the cloud started.
  const number = fx.world.processesStarted() + 1;
  fx.world.apply({ op: "process-started" });
  const runner = runnerInstance({
    processId: `runner-${number}`,
    name: msg.headers["x-rivet-runner-name"] ?? state.pool,
    runnerKey: fx.newId("key"),
    totalSlots: Number(msg.headers["x-rivet-total-slots"] ?? poolSettings(fx.config, state.pool).slotsPerRunner),
    version: 1,
    stream: { pool: state.pool, startId: msg.startId },
  });
  fx.relation(runner.ref, "SameProcess", "Same process");
  fx.spawn<RunnerCommand>(runner, { command: "start" });
}
