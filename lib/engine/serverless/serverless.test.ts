// The serverless autoscaler's rules, from state literals: reconcile to the desired runners, drain
// the oldest surplus, back off a failed /start, lifespan → drain → grace → evict, lost runners.
import { describe, expect, it } from "vitest";
import { DEFAULT_POOL, engineConfig, type PoolConfig } from "../config";
import { effectsOf, stepView, worldWith } from "../core/testing";
import type { Input } from "../core/module";
import { endpoint, runnerWorkflow, runnerWs, serverless } from "../core/refs";
import type { Message } from "../messages";
import { emptyWorld, type RunnerRecord, type World } from "../world";
import { serverlessInstance, serverlessModule, type ServerlessCommand, type ServerlessTimer } from "./serverless";
import { initialServerlessState, type ServerlessState, type StartRequest } from "./state";

const POOL: PoolConfig = { ...DEFAULT_POOL, name: "p", requestLifespan: 60, drainGracePeriod: 5, slotsPerRunner: 1, headers: { "x-custom": "yes" } };
const CONFIG = engineConfig({ pools: [POOL] });
const SELF = serverless("p");
type In = Input<ServerlessTimer, ServerlessCommand>;

/** A timer ref per start id, standing for the lifespan timer a start of the literal state holds. */
function lifespanOf(startId: string): number {
  return 100_000 + [...startId].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) % 100_000, 0);
}

function request(startId: string, set: Partial<StartRequest> = {}): StartRequest {
  return { startId, startedAt: 0, runnerId: null, draining: false, lifespanTimer: lifespanOf(startId), failures: 0, lastRetryAt: null, retryTimer: null, ...set };
}

function stateOf(...requests: StartRequest[]): ServerlessState {
  const state = initialServerlessState("p");
  for (const r of requests) state.requests.set(r.startId, r);
  return state;
}

function runner(runnerId: string, set: Partial<RunnerRecord> = {}): RunnerRecord {
  return {
    runnerId,
    name: "p",
    runnerKey: `key-${runnerId}`,
    version: 1,
    totalSlots: 1,
    freeSlots: 1,
    lastPingAt: 0,
    connId: `conn-${runnerId}`,
    processId: `proc-${runnerId}`,
    draining: false,
    alive: true,
    disconnectedAt: null,
    actorIds: new Set(),
    ...set,
  };
}

const msg = (m: Message): In => ({ kind: "message", msg: m, from: endpoint("p"), seq: 7 });
const bump: In = msg({ type: "Bump", pool: "p" });

function step(state: ServerlessState, input: In, world: World = emptyWorld(), extra: { now?: number; random?: number[] } = {}) {
  return serverlessModule.step(state, input, stepView({ self: SELF, config: CONFIG, now: 1_000, world, cause: 7, ...extra }));
}

describe("reconcile", () => {
  it("starts /start requests up to the desired runners, each with its lifespan", () => {
    const state = stateOf(request("start-old", { runnerId: "r1" }));
    const { effects } = step(state, bump, worldWith({ runners: [runner("r1")], desiredSlots: { p: 3 } }));
    const [desired] = effectsOf(effects, "note");
    expect(desired.note).toEqual({ type: "desired", label: "Desired: 3", payload: { desiredSlots: 3, desiredRunners: 3, active: 1 } });
    const sends = effectsOf(effects, "send");
    expect(sends.map((s) => [s.to, s.msg.type, s.label])).toEqual([
      [endpoint("p"), "StartRequest", "GET /start"],
      [endpoint("p"), "StartRequest", "GET /start"],
    ]);
    expect(sends[0].msg).toMatchObject({
      url: `${POOL.url}/start`,
      headers: { "x-custom": "yes", "x-rivet-endpoint": "engine", "x-rivet-total-slots": "1", "x-rivet-runner-name": "p", "x-rivet-namespace-name": "default" },
    });
    const timers = effectsOf(effects, "set-timer");
    expect(timers.map((t) => [t.timer, t.delayMs])).toEqual([
      [{ timer: "lifespan", startId: "start-00000001" }, 55_000],
      [{ timer: "lifespan", startId: "start-00000002" }, 55_000],
    ]);
    expect([...state.requests.keys()]).toEqual(["start-old", "start-00000001", "start-00000002"]);
    expect(state.requests.get("start-00000001")).toMatchObject({ startedAt: 1_000, runnerId: null, draining: false, lifespanTimer: timers[0].key });
  });

  it("drains the oldest surplus: Stop to its runner workflow, then the grace timer", () => {
    const state = stateOf(request("s-new", { startedAt: 300, runnerId: "r3" }), request("s-old", { startedAt: 100, runnerId: "r1" }), request("s-mid", { startedAt: 200, runnerId: "r2" }));
    const { effects } = step(state, bump, worldWith({ runners: [runner("r1"), runner("r2"), runner("r3")], desiredSlots: { p: 1 } }));
    expect(effectsOf(effects, "note")).toEqual([]);
    expect(effectsOf(effects, "send").map((s) => [s.to, s.msg])).toEqual([
      [runnerWorkflow("r1"), { type: "Stop", runnerId: "r1" }],
      [runnerWorkflow("r2"), { type: "Stop", runnerId: "r2" }],
    ]);
    expect(effectsOf(effects, "cancel-timer").map((c) => c.key)).toEqual([lifespanOf("s-old"), lifespanOf("s-mid")]);
    expect(effectsOf(effects, "set-timer").map((t) => [t.timer, t.delayMs])).toEqual([
      [{ timer: "grace", startId: "s-old" }, 5_000],
      [{ timer: "grace", startId: "s-mid" }, 5_000],
    ]);
    expect([...state.requests.values()].map((r) => [r.startId, r.draining])).toEqual([
      ["s-new", false],
      ["s-old", true],
      ["s-mid", true],
    ]);
  });

  it("drops a surplus request whose runner never connected, without a Stop", () => {
    const state = stateOf(request("s1"));
    const { effects } = step(state, bump);
    expect(effectsOf(effects, "send")).toEqual([]);
    expect(state.requests.size).toBe(0);
  });

  it("forgets the requests of lost runners, so they no longer count", () => {
    const state = stateOf(request("s1", { runnerId: "r1" }));
    const { effects } = step(state, bump, worldWith({ runners: [runner("r1", { alive: false })], desiredSlots: { p: 1 } }));
    const notes = effectsOf(effects, "note").map((n) => n.note);
    expect(notes[0]).toEqual({ type: "runner-lost", label: "Runner lost,<br/>no longer counted", runnerId: "r1", housekeeping: true });
    expect(notes[1]).toMatchObject({ type: "desired", payload: { active: 0 } });
    expect(effectsOf(effects, "cancel-timer")[0].key).toBe(lifespanOf("s1"));
    expect(state.requests.has("s1")).toBe(false);
    expect(effectsOf(effects, "send").map((s) => s.msg.type)).toEqual(["StartRequest"]);
  });

  it("reads the pool's settings from the config at each step", () => {
    const pool = { ...POOL };
    const config = engineConfig({ pools: [pool] });
    pool.slotsPerRunner = 2;
    const { effects } = serverlessModule.step(initialServerlessState("p"), bump, stepView({ self: SELF, config, world: worldWith({ desiredSlots: { p: 4 } }) }));
    expect(effectsOf(effects, "send")).toHaveLength(2);
  });
});

describe("the endpoint's answers", () => {
  it("backs off a failed /start with the drawn delay and sets the pool error", () => {
    const state = stateOf(request("s1"));
    const { effects } = step(state, msg({ type: "StartFailed", startId: "s1", status: 503, reason: "endpoint error" }), emptyWorld(), { random: [0.2] });
    expect(effectsOf(effects, "cancel-timer")[0].key).toBe(lifespanOf("s1"));
    expect(effectsOf(effects, "world").map((w) => w.op)).toEqual([{ op: "pool-error", pool: "p", error: "serverless endpoint failed: 503 endpoint error" }]);
    const [note] = effectsOf(effects, "note");
    expect(note.note).toEqual({
      type: "endpoint-failed",
      label: "Endpoint failed (503),<br/>retry in 2100 ms",
      payload: { status: 503, reason: "endpoint error", delayMs: 2_100, failures: 1 },
    });
    const [retry] = effectsOf(effects, "set-timer");
    expect([retry.timer, retry.delayMs]).toEqual([{ timer: "retry", startId: "s1" }, 2_100]);
    expect(state.requests.get("s1")).toMatchObject({ failures: 1, lastRetryAt: 1_000, lifespanTimer: null, retryTimer: retry.key });
  });

  it("doubles the delay on the next failure, and resets the count after a quiet while", () => {
    const again = step(stateOf(request("s1", { failures: 1, lastRetryAt: 500 })), msg({ type: "StartFailed", startId: "s1", status: 500, reason: "x" }), emptyWorld(), { random: [0] });
    expect(effectsOf(again.effects, "set-timer")[0].delayMs).toBe(4_000);
    const later = 500 + CONFIG.timing.backoffResetMs + 1;
    const quiet = step(stateOf(request("s1", { failures: 3, lastRetryAt: 500 })), msg({ type: "StartFailed", startId: "s1", status: 500, reason: "x" }), emptyWorld(), { now: later, random: [0] });
    expect(effectsOf(quiet.effects, "set-timer")[0].delayMs).toBe(2_000);
  });

  it("retries with a new start id, in the request's place", () => {
    const state = stateOf(request("s1", { failures: 1, retryTimer: 902, lifespanTimer: null }));
    const { effects } = step(state, { kind: "timer", timer: { timer: "retry", startId: "s1" } });
    expect(effectsOf(effects, "send").map((s) => s.msg)).toMatchObject([{ type: "StartRequest", startId: "start-00000001" }]);
    expect([...state.requests.keys()]).toEqual(["start-00000001"]);
    expect(state.requests.get("start-00000001")).toMatchObject({ failures: 1, retryTimer: null });
  });

  it("does not retry a drained request", () => {
    const { effects } = step(stateOf(request("s1", { draining: true })), { kind: "timer", timer: { timer: "retry", startId: "s1" } });
    expect(effects).toEqual([]);
  });

  it("the init names the runner and clears the pool error", () => {
    const state = stateOf(request("s1"));
    const { effects } = step(state, msg({ type: "ToServerlessServerInit", startId: "s1", runnerId: "r1", runnerProtocolVersion: 7 }));
    expect(state.requests.get("s1")!.runnerId).toBe("r1");
    expect(effectsOf(effects, "world").map((w) => w.op)).toEqual([{ op: "pool-error", pool: "p", error: null }]);
  });

  it("a closed stream forgets its request", () => {
    const state = stateOf(request("s1", { runnerId: "r1" }));
    const { effects } = step(state, msg({ type: "StartStreamClosed", startId: "s1" }));
    expect(effectsOf(effects, "cancel-timer")[0].key).toBe(lifespanOf("s1"));
    expect(state.requests.size).toBe(0);
  });

  it("ignores answers for unknown starts", () => {
    const state = stateOf();
    expect(step(state, msg({ type: "ToServerlessServerInit", startId: "nope", runnerId: "r1", runnerProtocolVersion: 7 })).effects).toEqual([]);
    expect(step(state, msg({ type: "StartFailed", startId: "nope", status: 500, reason: "x" })).effects).toEqual([]);
  });
});

describe("lifespan, drain, grace, evict", () => {
  it("the lifespan drains, the grace evicts the runner's socket", () => {
    const state = stateOf(request("s1", { runnerId: "r1" }));
    const world = worldWith({ runners: [runner("r1")] });
    const drained = step(state, { kind: "timer", timer: { timer: "lifespan", startId: "s1" } }, world);
    expect(effectsOf(drained.effects, "send").map((s) => [s.to, s.msg.type, s.label])).toEqual([[runnerWorkflow("r1"), "Stop", "Stop"]]);
    const [grace] = effectsOf(drained.effects, "set-timer");
    expect([grace.timer, grace.delayMs]).toEqual([{ timer: "grace", startId: "s1" }, 5_000]);
    expect(state.requests.get("s1")!.draining).toBe(true);

    const evicted = step(state, { kind: "timer", timer: grace.timer as ServerlessTimer }, world);
    expect(effectsOf(evicted.effects, "note").map((n) => n.note)).toEqual([{ type: "after-grace", label: "After grace", runnerId: "r1" }]);
    expect(effectsOf(evicted.effects, "send").map((s) => [s.to, s.msg, s.label])).toEqual([[runnerWs("conn-r1"), { type: "Evict", runnerId: "r1", reason: "ws.eviction" }, "Evict WS"]]);
    expect(state.requests.size).toBe(0);
  });

  it("a drain happens once", () => {
    const state = stateOf(request("s1", { runnerId: "r1", draining: true }));
    expect(step(state, { kind: "timer", timer: { timer: "lifespan", startId: "s1" } }).effects).toEqual([]);
  });

  it("after the grace, a runner without a connection is not evicted", () => {
    const state = stateOf(request("s1", { runnerId: "r1", draining: true }));
    const { effects } = step(state, { kind: "timer", timer: { timer: "grace", startId: "s1" } }, worldWith({ runners: [runner("r1", { connId: null })] }));
    expect(effectsOf(effects, "send")).toEqual([]);
    expect(effectsOf(effects, "note")).toHaveLength(1);
  });
});

describe("operator commands", () => {
  it("drain-runner drains that runner's request now", () => {
    const state = stateOf(request("s1", { runnerId: "r1" }));
    const { effects } = step(state, { kind: "command", command: { command: "drain-runner", runnerId: "r1" } });
    expect(effectsOf(effects, "send").map((s) => s.msg)).toEqual([{ type: "Stop", runnerId: "r1" }]);
  });

  it("evict-runner forgets the request and evicts the socket without grace", () => {
    const state = stateOf(request("s1", { runnerId: "r1" }));
    const { effects } = step(state, { kind: "command", command: { command: "evict-runner", runnerId: "r1" } }, worldWith({ runners: [runner("r1")] }));
    expect(effectsOf(effects, "cancel-timer")[0].key).toBe(lifespanOf("s1"));
    expect(effectsOf(effects, "send").map((s) => [s.to, s.msg.type])).toEqual([[runnerWs("conn-r1"), "Evict"]]);
    expect(effectsOf(effects, "set-timer")).toEqual([]);
    expect(state.requests.size).toBe(0);
  });
});

it("an instance is named by its pool and starts with no requests", () => {
  const instance = serverlessInstance(POOL);
  expect(instance.ref).toEqual(SELF);
  expect(instance.state).toEqual({ pool: "p", requests: new Map() });
});
