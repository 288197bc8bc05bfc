// The recording proxy's correlation state stays bounded on a long recording: what it remembers to
// join hops (gateway requests, tunnel requests, command and event checkpoints, runner sockets) is
// released once the request is answered, the actor's generation is replaced or the socket closes.
// Measured on the real engine with a runner connected through the proxy. And a gateway WebSocket's
// messages are paired with the runner tunnel frames that carry them (relay-of), both ways.
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runner } from "@rivetkit/engine-runner";
import { startRecording, type Recording } from "@/lib/proxy/recording";
import { startRealEngine, type RealEngine } from "@/lib/proxy/testing/real-engine";
import { waitFor } from "@/lib/proxy/testing/wait";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { findRun, loadEvents } from "@/lib/store/trace-store";

/** The runner package hands the actor a WebSocket-like object. */
interface SocketLike {
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  send(data: unknown): void;
}

async function connectRunner(endpoint: string, onStop: (actorId: string) => void): Promise<Runner> {
  const { Runner: RunnerClass } = await import("@rivetkit/engine-runner");
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const runner: Runner = new RunnerClass({
    version: 1,
    endpoint,
    namespace: "default",
    runnerName: "bounded",
    totalSlots: 10,
    prepopulateActorNames: {},
    noAutoShutdown: true,
    onConnected: () => connected(),
    onDisconnected: () => {},
    onShutdown: () => {},
    fetch: async (self, actorId, _generation, _requestId, request) => {
      if (new URL(request.url).pathname === "/sleep") {
        // An intended stop (`Stopped {code: Ok}`), so the engine wakes the actor again at once.
        const actor = self.getActor(actorId);
        if (actor) actor.stopIntentSent = true;
        setTimeout(() => self.sleepActor(actorId), 10);
      }
      return new Response("ok");
    },
    // Echoes every message back, prefixed.
    websocket: async (_runner, _actorId, ws) => {
      const socket = ws as SocketLike;
      socket.addEventListener("message", (event) => socket.send(`echo:${String(event.data)}`));
    },
    hibernatableWebSocket: { canHibernate: () => false },
    onActorStart: async () => {},
    onActorStop: async (actorId) => onStop(actorId),
  });
  await runner.start();
  await ready;
  return runner;
}

describe("the proxy's correlation state is bounded", () => {
  let engine: RealEngine;
  let temp: TempDb;
  let recording: Recording;
  let runner: Runner;
  let actorId: string;
  const stops: string[] = [];
  const get = async (path: string) => {
    const response = await fetch(`${recording.proxy.url}/gateway/${actorId}${path}`);
    expect(response.status, path).toBe(200);
    return response.text();
  };
  const settled = () => waitFor("the proxy to see every answer", () => recording.proxy.state.gatewayRequests.length === 0, 5_000);

  beforeAll(async () => {
    [engine, temp] = await Promise.all([startRealEngine(), createTempDb()]);
    recording = await startRecording(temp.db, { engineUrl: engine.url });
    // Its run can be opened as soon as the recording has started.
    expect(await findRun(temp.db, recording.run.id)).toMatchObject({ id: recording.run.id, status: "running" });
    expect((await engine.api("PUT", "/runner-configs/bounded?namespace=default", { datacenters: { default: { normal: {} } } })).status).toBe(200);
    runner = await connectRunner(recording.proxy.url, (id) => stops.push(id));
    const created = await engine.api("POST", "/actors?namespace=default", { name: "bounded", key: "b1", runner_name_selector: "bounded", crash_policy: "sleep" });
    expect(created.status).toBe(200);
    actorId = created.body.actor.actor_id;
    await get("/warm");
  }, 60_000);

  afterAll(async () => {
    await runner?.shutdown(true).catch(() => undefined);
    await recording?.stop().catch(() => undefined);
    await engine?.stop();
    await temp?.cleanup();
  });

  it("many requests, one after another and at once, leave the tables as they were", async () => {
    for (let i = 0; i < 5; i++) await get(`/a${i}`);
    await settled();
    const before = recording.proxy.state.sizes();
    expect(before.tunnels).toBe(0);
    for (let i = 0; i < 60; i++) await get(`/b${i}`);
    await Promise.all(Array.from({ length: 40 }, (_, i) => get(`/c${i}`)));
    await settled();
    expect(recording.proxy.state.sizes()).toEqual(before);
  }, 60_000);

  it("sleeps and wakes keep one generation of checkpoints per actor", async () => {
    for (let round = 1; round <= 3; round++) {
      await get("/sleep");
      await waitFor("the runner to stop the actor", () => stops.length >= round, 20_000);
      await waitFor("the wire to show the actor asleep", () => recording.proxy.state.actorStates.get(actorId) === "Sleeping", 20_000);
      await get(`/wake${round}`);
    }
    await settled();
    const sizes = recording.proxy.state.sizes();
    expect(sizes.generations).toBe(1);
    // The current generation's StartActor only (its StopActor has not come yet).
    expect(sizes.commandSeqs).toBe(1);
    expect(sizes.lastCommand).toBe(1);
    expect(sizes.tunnels).toBe(0);
  }, 90_000);

  it("pairs a gateway WebSocket's messages with the tunnel frames that carry them", async () => {
    const ws = new WebSocket(`${recording.proxy.url.replace("http", "ws")}/gateway/${actorId}/room`, ["rivet"]);
    const received: string[] = [];
    ws.on("message", (data) => received.push(data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.send("one");
    ws.send("two");
    await waitFor("both echoes", () => received.length === 2, 10_000);
    expect(received).toEqual(["echo:one", "echo:two"]);
    ws.close(1000);
    await waitFor("the socket's tunnel to be released", () => recording.proxy.state.sizes().tunnels === 0, 10_000);
    await recording.recorder.flush();
    const events = await loadEvents(temp.db, recording.run.id);
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    // The real gateway answers 101 before it opens the tunnel; the tunnel is still the user's.
    const opened = events.find((e) => e.type === "UserWebSocketOpen")!;
    expect(events.find((e) => e.type === "ToClientWebSocketOpen" && e.from?.role === "Gateway")?.causeSeq).toBe(opened.seq);
    const fromUser = events.filter((e) => e.type === "UserWebSocketMessage" && e.from?.role === "User");
    const toRunner = events.filter((e) => e.type === "ToClientWebSocketMessage" && e.from?.role === "Gateway");
    expect(fromUser).toHaveLength(2);
    // The gateway's tunnel frame to the runner relays the user's message, in order.
    expect(toRunner.map((e) => e.relayOf)).toEqual(fromUser.map((e) => e.seq));
    const toUser = events.filter((e) => e.type === "UserWebSocketMessage" && e.to?.role === "User");
    expect(toUser).toHaveLength(2);
    for (const answer of toUser) {
      const relayed = bySeq.get(answer.relayOf!);
      expect(relayed).toMatchObject({ type: "ToServerWebSocketMessage", from: { role: "RunnerWS" }, to: { role: "Gateway" } });
    }
    expect(new Set(toUser.map((e) => e.relayOf)).size).toBe(2);
  }, 30_000);

  it("a runner socket that closes is forgotten, with the tunnels it carried", async () => {
    const before = recording.proxy.state.sizes();
    const second = await connectRunner(recording.proxy.url, () => {});
    await waitFor("the second runner's socket", () => recording.proxy.state.sizes().connections === before.connections + 1, 10_000);
    await second.shutdown(true);
    await waitFor("the second runner's socket to be forgotten", () => recording.proxy.state.sizes().connections === before.connections, 10_000);
    expect(recording.proxy.state.sizes().byRunnerId).toBe(before.byRunnerId);
  }, 30_000);
});
