// A live engine left running does not grow: finished requests release their users, closed phases
// that nothing resolves through are forgotten, and a runner whose connection closed is released
// with its workflow and record once it is gone. A large event frame is taken in slices, without
// holding the gateway. None of this changes what is recorded.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codec, loadRunnerPackages } from "@/lib/transport/codec";
import type { TraceEvent } from "@/lib/trace/types";
import { ofType, startEngine, waitFor, type TestEngine } from "./helpers";
import { initialisedRawRunner, runningEvent, startsOf } from "./raw-runner";

/** Phases a runtime must still hold by its trace: open ones, and closed ones with an open ancestor. */
function neededPhases(events: TraceEvent[]): number {
  const parent = new Map(events.filter((e) => e.kind === "phase-start").map((e) => [e.seq, e.phaseId]));
  const closed = new Set(events.filter((e) => e.kind === "phase-end").map((e) => e.phaseId));
  const hasOpenAncestor = (phase: number) => {
    for (let p = parent.get(phase) ?? null; p !== null; p = parent.get(p) ?? null) if (!closed.has(p)) return true;
    return false;
  };
  return [...parent.keys()].filter((phase) => !closed.has(phase) || hasOpenAncestor(phase)).length;
}

/** A runner speaking raw protocol frames: init sent, pings answered. */
const rawRunner = (engine: TestEngine, runnerKey: string, name = "raw-runner") => initialisedRawRunner(engine.url, runnerKey, name);

const alarms = (actorId: string, from: number, count: number): protocol.ToServer => ({
  tag: "ToServerEvents",
  val: Array.from({ length: count }, (_, i) => ({
    checkpoint: { actorId, generation: 1, index: BigInt(from + i) },
    inner: { tag: "EventActorSetAlarm" as const, val: { alarmTs: BigInt(from + i) } },
  })),
});

describe("a live engine releases what is over", () => {
  let engine: TestEngine;

  beforeAll(async () => {
    await loadRunnerPackages();
    engine = await startEngine({
      // The demo actor sleeps only when asked; a drained runner is evicted at once; a runner that
      // went away is lost quickly.
      demoSleepTimeoutMs: 3_600_000,
      engine: { defaultPool: { drainGracePeriod: 0 }, timing: { runnerLostThresholdMs: 300, actorReadyTimeoutMs: 60_000 } },
    });
  });
  afterAll(async () => engine?.stop());

  const footprint = () => engine.session.runtime.footprint();
  const world = () => engine.session.runtime.world;
  const demoState = () => world().actors.get("demo")?.state;

  it("keeps no user once its request is answered, and no closed phase nothing resolves through", async () => {
    for (let n = 0; n < 30; n++) expect((await fetch(`${engine.url}/gateway/demo/n${n}`)).status).toBe(200);
    expect(footprint().roles.User).toBeUndefined();
    const events = await engine.events();
    expect(ofType(events, "UserResponse")).toHaveLength(30);
    expect(footprint().phases).toBe(neededPhases(events));
  });

  it("releases each cycle's runner (participants, workflow, record) once it is gone", async () => {
    for (let cycle = 0; cycle < 3; cycle++) {
      if (demoState() !== "Running") expect((await fetch(`${engine.url}/gateway/demo/`)).status).toBe(200);
      expect((await fetch(`${engine.url}/gateway/demo/sleep`)).status).toBe(200);
      await waitFor("the demo actor to sleep", () => demoState() === "Sleeping");
    }
    await waitFor("every runner to be released", () => {
      const { roles } = footprint();
      return !roles.Runner && !roles.RunnerWS && !roles.RunnerWorkflow && world().runners.size === 0 && world().runnerByKey.size === 0;
    });
    expect(footprint().roles.User).toBeUndefined();
    const events = await engine.events();
    // Each cycle had its own runner, and all of it was recorded.
    expect(new Set(ofType(events, "ToServerInit").map((e) => e.from?.id)).size).toBeGreaterThanOrEqual(3);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(footprint().phases).toBe(neededPhases(events));
  });

  it("keeps a disconnected runner until the lost threshold, then forgets it", async () => {
    const runner = await rawRunner(engine, "leaving");
    const init = runner.frames.find((f) => f.tag === "ToClientInit")!.val as protocol.ToClientInit;
    const runnerId = init.runnerId;
    expect(world().runners.get(runnerId)?.alive).toBe(true);
    runner.ws.close();
    await runner.closed;
    // Its process and connection go at once; its workflow waits for a reconnect.
    await waitFor("the connection to be released", () => !footprint().roles.Runner && !footprint().roles.RunnerWS);
    expect(engine.session.runtime.isOpen({ role: "RunnerWorkflow", id: runnerId })).toBe(true);
    await waitFor("the runner to be forgotten", () => !world().runners.has(runnerId) && !footprint().roles.RunnerWorkflow);
    expect(ofType(await engine.events(), "RunnerDisconnected").some((e) => e.runnerId === runnerId)).toBe(true);
  });

  it("forgets the tunnels of a runner that died with a WebSocket open", async () => {
    const runner = await rawRunner(engine, "dies-mid-socket", "socket-pool");
    const created = await engine.api("POST", "/actors?namespace=default", { name: "sock", key: "s", runner_name_selector: "socket-pool", crash_policy: "sleep" });
    const actorId: string = created.body.actor.actor_id;
    const start = await waitFor("StartActor", () => startsOf(runner)[0]);
    runner.send({ tag: "ToServerAckCommands", val: { lastCommandCheckpoints: [start.checkpoint] } });
    runner.send({ tag: "ToServerEvents", val: [runningEvent(actorId, 1, 0n)] });
    await waitFor("the actor to run", () => world().actors.get(actorId)?.state === "Running");
    const user = new WebSocket(`${engine.url.replace("http", "ws")}/gateway/${actorId}/socket`, ["rivet"]);
    const userClosed = new Promise<number>((resolve) => user.on("close", (code) => resolve(code)));
    user.on("error", () => {});
    await waitFor("the socket's tunnel to open", () => runner.frames.some((f) => f.tag === "ToClientTunnelMessage" && f.val.messageKind.tag === "ToClientWebSocketOpen"));
    expect(engine.session.tunnels.size).toBeGreaterThan(0);
    runner.ws.terminate();
    await waitFor("the runner to be forgotten", () => ![...world().runners.values()].some((r) => r.name === "socket-pool"));
    await waitFor("its tunnels to be forgotten", () => engine.session.tunnels.size === 0);
    expect(await userClosed).toBeGreaterThanOrEqual(1000);
  });

  it("releases the user of a client that went away before its answer", async () => {
    const created = await engine.api("POST", "/actors?namespace=default", { name: "stuck", key: "s1", runner_name_selector: "nobody", crash_policy: "sleep" });
    const actorId: string = created.body.actor.actor_id;
    const abort = new AbortController();
    const request = fetch(`${engine.url}/gateway/${actorId}/`, { signal: abort.signal }).catch(() => "aborted");
    // The gateway waits for an actor that cannot start (no runner of that name).
    await waitFor("the request to reach the gateway", () => footprint().roles.User === 1);
    abort.abort();
    expect(await request).toBe("aborted");
    await waitFor("its user to be released", () => footprint().roles.User === undefined);
  });

  it("releases a WebSocket's user when its client closes", async () => {
    const ws = new WebSocket(`${engine.url.replace("http", "ws")}/gateway/demo/socket`, ["rivet"]);
    const echoed = new Promise<string>((resolve) => ws.once("message", (data) => resolve(data.toString())));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    ws.send("hello");
    expect(await echoed).toBe("hello");
    expect(footprint().roles.User).toBe(1);
    ws.close(1000);
    await waitFor("the socket's user to be released", () => footprint().roles.User === undefined);
    await waitFor("the close to be recorded", async () => ofType(await engine.events(), "UserWebSocketClose").length > 0);
  });

  it("takes a large event frame in slices: in order, before the connection's next frame (but pongs), without holding the gateway", async () => {
    if (demoState() !== "Running") expect((await fetch(`${engine.url}/gateway/demo/`)).status).toBe(200);
    const runner = await rawRunner(engine, "bursty");
    const count = 20_000;
    // A gateway request sent once the frame's first event is recorded.
    let answered: Promise<number> | null = null;
    const stop = engine.session.recorder.subscribe((update) => {
      if (answered === null && update.type === "event" && update.event.type === "EventActorSetAlarm" && update.event.from?.role === "Runner") {
        answered = fetch(`${engine.url}/gateway/demo/during`).then((response) => response.status);
      }
    });
    runner.send(alarms("burst-actor", 0, count));
    runner.send({ tag: "ToServerPong", val: { ts: 4242n } });
    runner.send(alarms("burst-actor", count, 1));
    await waitFor("every event to be acknowledged", () => runner.frames.filter((f) => f.tag === "ToClientAckEvents").length === count + 1, 60_000);
    stop();
    expect(await answered).toBe(200);

    const events = await engine.events();
    const taken = events.filter((e) => e.type === "EventActorSetAlarm" && e.from?.role === "Runner" && e.actorId === "burst-actor");
    expect(taken.map((e) => (e.payload as { checkpoint: { index: number } }).checkpoint.index)).toEqual(Array.from({ length: count + 1 }, (_, i) => i));
    // The gateway request was served while the frame was being taken.
    const request = events.find((e) => e.type === "UserRequest" && e.label.startsWith("GET /during"))!;
    expect(request.seq).toBeGreaterThan(taken[0].seq);
    expect(request.seq).toBeLessThan(taken[count - 1].seq);
    // The pong sent after the frame was not held back behind it (the runner must not look dead).
    const pong = events.find((e) => e.type === "ToServerPong" && (e.payload as { ts: number }).ts === 4242)!;
    expect(pong.seq).toBeLessThan(taken[count - 1].seq);
    runner.ws.close();
  }, 90_000);

  it("refuses a large frame that does not decode, before taking any of its events (1007)", async () => {
    const runner = await rawRunner(engine, "garbled");
    const bytes = codec().encodeToServer(alarms("garbled-actor", 0, 5_000));
    runner.ws.send(bytes.subarray(0, bytes.length - 3));
    expect(await runner.closed).toEqual({ code: 1007, reason: "ws.invalid_frame" });
    const events = await engine.events();
    expect(events.filter((e) => e.actorId === "garbled-actor")).toEqual([]);
    expect(ofType(events, "connection-refused").at(-1)?.label).toContain("ws.invalid_frame");
  });
});
