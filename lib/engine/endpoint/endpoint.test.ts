// The built-in serverless endpoint's rules, from state literals: a scenario's failures first, then a
// runner process per `/start`, in the endpoint's process and named uniquely across pools.
import { describe, expect, it } from "vitest";
import { DEFAULT_POOL, engineConfig } from "../config";
import { effectsOf, stepView } from "../core/testing";
import type { Input } from "../core/module";
import { endpoint, serverless } from "../core/refs";
import type { MessageOf } from "../messages";
import type { RunnerState } from "../runner/state";
import { emptyWorld } from "../world";
import { endpointInstance, endpointModule } from "./endpoint";
import { initialEndpointState, type EndpointState } from "./state";

const POOL = { ...DEFAULT_POOL, name: "p", slotsPerRunner: 3 };
const SELF = endpoint("p");

const start = (headers: Record<string, string> = { "x-rivet-runner-name": "p", "x-rivet-total-slots": "2" }): Input => ({
  kind: "message",
  msg: { type: "StartRequest", startId: "s1", url: "http://x/start", headers } satisfies MessageOf<"StartRequest">,
  from: serverless("p"),
  seq: 5,
});

function step(state: EndpointState, input: Input, processes = 0) {
  const world = emptyWorld();
  if (processes > 0) world.counters.set("processes", processes);
  return endpointModule.step(state, input, stepView({ self: SELF, config: engineConfig({ pools: [POOL] }), world, cause: 5 }));
}

describe("answering /start", () => {
  it("fails while the scenario's failures last", () => {
    const state = initialEndpointState("p", { failuresLeft: 1, failureStatus: 503 });
    const { effects } = step(state, start());
    expect(effects.map((e) => e.kind)).toEqual(["send"]);
    expect(effectsOf(effects, "send")[0]).toMatchObject({
      from: SELF,
      to: serverless("p"),
      msg: { type: "StartFailed", startId: "s1", status: 503, reason: "endpoint error" },
      label: "GET /start failed 503",
      cause: 5,
    });
    expect(state.faults.failuresLeft).toBe(0);
    expect(effectsOf(step(state, start()).effects, "spawn")).toHaveLength(1);
  });

  it("otherwise starts a runner in its own process, the next process of the cloud", () => {
    const { effects } = step(initialEndpointState("p"), start(), 2);
    expect(effects.map((e) => e.kind)).toEqual(["world", "relation", "spawn"]);
    expect(effectsOf(effects, "world")[0].op).toEqual({ op: "process-started" });
    const [relation] = effectsOf(effects, "relation");
    expect(relation).toMatchObject({ over: SELF, to: { role: "Runner", id: "runner-3" }, type: "SameProcess", label: "Same process", cause: 5 });
    const [spawn] = effectsOf(effects, "spawn");
    expect(spawn.startWith).toEqual({ command: "start" });
    expect(spawn.instance.ref).toEqual({ role: "Runner", id: "runner-3" });
    expect(spawn.instance.state as RunnerState).toMatchObject({
      processId: "runner-3",
      name: "p",
      runnerKey: "key-00000001",
      totalSlots: 2,
      version: 1,
      stream: { pool: "p", startId: "s1", runnerId: null, pingTimer: null },
    });
  });

  it("takes the runner name and slots from the pool when the headers lack them", () => {
    const { effects } = step(initialEndpointState("p"), start({}));
    expect(effectsOf(effects, "spawn")[0].instance.state as RunnerState).toMatchObject({ processId: "runner-1", name: "p", totalSlots: 3 });
  });

  it("ignores everything else", () => {
    const state = initialEndpointState("p");
    expect(step(state, { kind: "message", msg: { type: "Bump", pool: "p" }, from: serverless("p"), seq: 1 }).effects).toEqual([]);
  });
});

it("an instance keeps its own copy of the faults", () => {
  const faults = { failuresLeft: 2, failureStatus: 500 };
  const instance = endpointInstance(POOL, faults);
  expect(instance.ref).toEqual(SELF);
  (instance.state as EndpointState).faults.failuresLeft = 0;
  expect(faults.failuresLeft).toBe(2);
});
