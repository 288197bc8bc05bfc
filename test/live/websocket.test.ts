// A WebSocket through the gateway to an actor: tunnelled with ToClientWebSocketOpen / Message /
// Close (the open is message index 0, so no client message is lost), in both directions, in order.
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startEngine, startRunner, waitFor, type TestEngine, type TestRunner } from "./helpers";

interface SocketLike {
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void;
  send(data: unknown): void;
}

function openClient(url: string): Promise<{ ws: WebSocket; received: string[]; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ["rivet"]);
    const received: string[] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on("close", (code, reason) => done({ code, reason: reason.toString() })));
    ws.on("message", (data, isBinary) => received.push(isBinary ? `binary:${Buffer.from(data as Buffer).toString("hex")}` : data.toString()));
    ws.once("open", () => resolve({ ws, received, closed }));
    ws.once("error", reject);
  });
}

describe("WebSockets through the gateway", () => {
  let engine: TestEngine;
  let test: TestRunner;

  beforeAll(async () => {
    engine = await startEngine({ demoSleepTimeoutMs: 60_000 });
    test = await startRunner(engine.url, {
      websocket: async (_runner, actorId, ws, _g, _r, _request, path) => {
        const socket = ws as SocketLike;
        socket.addEventListener("message", (event) => {
          const data = event.data;
          socket.send(typeof data === "string" ? `${actorId}${path}:${data}` : data);
        });
      },
    });
    await test.connected;
  });
  afterAll(async () => {
    await test?.runner.shutdown(true);
    await engine?.stop();
  });

  it("exchanges text and binary messages with an actor, in order, from the very first one", async () => {
    const created = await engine.api("POST", "/actors", { name: "chat", key: "c1", runner_name_selector: "test-runner", crash_policy: "sleep" });
    const actorId: string = created.body.actor.actor_id;
    const client = await openClient(`${engine.url.replace("http", "ws")}/gateway/${actorId}/room`);
    // Sent at once: these wait in the gateway until the actor accepted the socket.
    client.ws.send("one");
    client.ws.send("two");
    client.ws.send(Buffer.from([0xde, 0xad]));
    await waitFor("three answers", () => client.received.length === 3);
    expect(client.received).toEqual([`${actorId}/room:one`, `${actorId}/room:two`, "binary:dead"]);
    client.ws.close(1000, "bye");
    await client.closed;

    const events = await engine.events();
    const toRunner = events.filter((e) => e.type === "ToClientWebSocketMessage" && e.to?.role === "Runner");
    expect(toRunner).toHaveLength(3);
    expect(ofType(events, "ToClientWebSocketOpen").some((e) => e.to?.role === "Runner")).toBe(true);
    expect(ofType(events, "ToServerWebSocketOpen")[0]).toMatchObject({ from: { role: "Runner" }, to: { role: "RunnerWS" } });
    await waitFor("the close to reach the runner", async () => (await engine.events()).some((e) => e.type === "ToClientWebSocketClose" && e.to?.role === "Runner"));
  });

  it("wakes a sleeping actor for a WebSocket (the built-in demo actor echoes)", async () => {
    const client = await openClient(`${engine.url.replace("http", "ws")}/gateway/demo/echo`);
    client.ws.send("hello demo");
    await waitFor("the echo", () => client.received.length === 1);
    expect(client.received).toEqual(["hello demo"]);
    client.ws.close();
    await client.closed;
  });

  it("closes a WebSocket to an unknown actor with a coded reason", async () => {
    const client = await openClient(`${engine.url.replace("http", "ws")}/gateway/no-such-actor/`);
    expect(await client.closed).toEqual({ code: 1011, reason: "actor.not_found" });
  });
});
