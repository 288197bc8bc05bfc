// Hibernating WebSockets: a socket the runner accepted with canHibernate stays open to the client
// while its actor sleeps; the actor's next CommandStartActor lists it (gateway id + request id), a
// client message meanwhile wakes the actor, and is delivered once the runner restored the socket,
// its message index continuing. A socket accepted without canHibernate still closes on sleep.
import type { HibernatingWebSocketMetadata } from "@rivetkit/engine-runner";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startEngine, startRunner, waitFor, type TestEngine, type TestRunner } from "./helpers";

interface SocketLike {
  addEventListener(type: string, listener: (event: { data: unknown; rivetMessageIndex?: number }) => void): void;
  send(data: string): void;
}

interface Client {
  ws: WebSocket;
  received: string[];
  closed: Promise<{ code: number; reason: string }>;
}

function openClient(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ["rivet"]);
    const received: string[] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on("close", (code, reason) => done({ code, reason: reason.toString() })));
    ws.on("message", (data) => received.push(data.toString()));
    ws.once("open", () => resolve({ ws, received, closed }));
    ws.once("error", reject);
  });
}

const hex = (id: ArrayBuffer) => Buffer.from(id).toString("hex");

/** What an actor persists of its hibernatable sockets (as rivetkit keeps them in its state), shared by its runners. */
interface ActorMemory {
  persisted: Map<string, HibernatingWebSocketMetadata[]>;
  /** Each start's hibernatingRequests, as the runner received them. */
  startsWith: { actorId: string; generation: number; runner: string; hibernating: string[] }[];
  /** Message indexes the actors saw on their sockets, in order. */
  indexes: number[];
}

const newMemory = (): ActorMemory => ({ persisted: new Map(), startsWith: [], indexes: [] });

/** A runner whose actors answer `<runner>:gen<generation>:<message>`, hibernating sockets opened at /hibernate. */
async function hibernatingRunner(engine: TestEngine, label: string, memory: ActorMemory): Promise<TestRunner> {
  const { persisted, startsWith, indexes } = memory;
  const test: TestRunner = await startRunner(engine.url, {
    hibernatableWebSocket: { canHibernate: (_actorId, _gatewayId, _requestId, request) => new URL(request.url).pathname === "/hibernate" },
    websocket: async (runner, actorId, ws, gatewayId, requestId, _request, path, headers, isHibernatable, isRestoring) => {
      const socket = ws as SocketLike;
      const metas = persisted.get(actorId) ?? [];
      persisted.set(actorId, metas);
      let meta = metas.find((m) => hex(m.gatewayId) === hex(gatewayId) && hex(m.requestId) === hex(requestId));
      if (isHibernatable && !isRestoring && !meta) {
        // The open took index 0 each way.
        meta = { gatewayId, requestId, clientMessageIndex: 1, serverMessageIndex: 0, path, headers };
        metas.push(meta);
      }
      socket.addEventListener("message", (event) => {
        indexes.push(event.rivetMessageIndex ?? -1);
        if (meta && event.rivetMessageIndex !== undefined) meta.serverMessageIndex = event.rivetMessageIndex;
        socket.send(`${label}:gen${runner.getActor(actorId)?.generation}:${String(event.data)}`);
        if (meta) meta.clientMessageIndex += 1;
      });
    },
    onActorStart: async (actorId, generation) => {
      const actor = test.runner.getActor(actorId);
      startsWith.push({ actorId, generation, runner: label, hibernating: (actor?.hibernatingRequests ?? []).map((r) => `${hex(r.gatewayId)}/${hex(r.requestId)}`) });
      // As rivetkit does before it reports the actor ready: the sockets it persisted come back.
      await test.runner.restoreHibernatingRequests(actorId, persisted.get(actorId) ?? []);
    },
  });
  await test.connected;
  return test;
}

const createActor = async (engine: TestEngine, key: string) =>
  (await engine.api("POST", "/actors", { name: "chat", key, runner_name_selector: "test-runner", crash_policy: "sleep" })).body.actor.actor_id as string;
const gatewayUrl = (engine: TestEngine, actorId: string, path: string) => `${engine.url.replace("http", "ws")}/gateway/${actorId}${path}`;
const hibernated = async (engine: TestEngine, actorId: string) => {
  await waitFor("the socket to hibernate", async () => ofType(await engine.events(), "websocket-hibernating").some((e) => e.actorId === actorId));
  await waitFor("the actor to be asleep", () => engine.session.runtime.world.actors.get(actorId)?.state === "Sleeping");
};

describe("hibernating WebSockets", () => {
  let engine: TestEngine;
  let test: TestRunner;
  const memory = newMemory();

  beforeAll(async () => {
    engine = await startEngine({ demoSleepTimeoutMs: 60_000 });
    test = await hibernatingRunner(engine, "a", memory);
  });
  afterAll(async () => {
    await test?.runner.shutdown(true);
    await engine?.stop();
  });

  it("keeps a hibernatable socket open while its actor sleeps, and a client message wakes the actor and is answered", async () => {
    const actorId = await createActor(engine, "hibernating");
    const client = await openClient(gatewayUrl(engine, actorId, "/hibernate"));
    client.ws.send("one");
    await waitFor("the first answer", () => client.received.length === 1);
    expect(client.received).toEqual(["a:gen1:one"]);
    let closed = false;
    void client.closed.then(() => (closed = true));

    test.runner.sleepActor(actorId);
    await hibernated(engine, actorId);
    expect(closed).toBe(false);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);

    client.ws.send("two");
    client.ws.send("three");
    await waitFor("the answers of the woken actor", () => client.received.length === 3);
    expect(client.received).toEqual(["a:gen1:one", "a:gen2:two", "a:gen2:three"]);
    // Indexes continue across the sleep: the runner closes a socket whose next index skips.
    expect(memory.indexes).toEqual([1, 2, 3]);
    const [meta] = memory.persisted.get(actorId) ?? [];
    const mine = memory.startsWith.filter((s) => s.actorId === actorId);
    expect(mine.map((s) => s.hibernating)).toEqual([[], [`${hex(meta.gatewayId)}/${hex(meta.requestId)}`]]);

    const events = await engine.events();
    const starts = ofType(events, "CommandStartActor").filter((e) => e.actorId === actorId && e.to?.role === "RunnerWorkflow");
    const open = events.find((e) => e.type === "UserWebSocketOpen" && e.actorId === actorId);
    expect(starts.map((e) => (e.payload as { hibernatingRequests?: string[] }).hibernatingRequests)).toEqual([undefined, [(open?.payload as { requestId: string }).requestId]]);
    // Restored, not opened again.
    expect(ofType(events, "ToClientWebSocketOpen").filter((e) => e.actorId === actorId && e.to?.role === "Runner")).toHaveLength(1);
    expect(closed).toBe(false);

    client.ws.close(1000, "bye");
    await client.closed;
    await waitFor("the close to reach the runner", async () => (await engine.events()).some((e) => e.type === "ToClientWebSocketClose" && e.actorId === actorId && e.to?.role === "Runner"));
  });

  it("closes a socket accepted without canHibernate when its actor sleeps (1011 actor.stopped)", async () => {
    const actorId = await createActor(engine, "plain");
    const client = await openClient(gatewayUrl(engine, actorId, "/plain"));
    client.ws.send("hello");
    await waitFor("the answer", () => client.received.length === 1);
    test.runner.sleepActor(actorId);
    expect(await client.closed).toEqual({ code: 1011, reason: "actor.stopped" });
    expect(ofType(await engine.events(), "websocket-hibernating").some((e) => e.actorId === actorId)).toBe(false);
  });
});

describe("a hibernating WebSocket whose actor wakes on another runner", () => {
  let engine: TestEngine;
  const runners: TestRunner[] = [];
  const memory = newMemory();

  beforeAll(async () => {
    engine = await startEngine({ demoSleepTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    for (const test of runners) await test.runner.shutdown(true).catch(() => undefined);
    await engine?.stop();
  });

  it("is restored by the new runner, which answers the message that woke the actor", async () => {
    const first = await hibernatingRunner(engine, "a", memory);
    runners.push(first);
    const actorId = await createActor(engine, "moving");
    const client = await openClient(gatewayUrl(engine, actorId, "/hibernate"));
    client.ws.send("one");
    await waitFor("the first answer", () => client.received.length === 1);
    first.runner.sleepActor(actorId);
    await hibernated(engine, actorId);

    const second = await hibernatingRunner(engine, "b", memory);
    runners.push(second);
    await first.runner.shutdown(true);
    const connected = () => [...engine.session.runtime.world.runners.values()].filter((r) => r.alive && r.connId !== null);
    await waitFor("only the second runner to remain", () => connected().length === 1);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);

    client.ws.send("two");
    await waitFor("the answer from the second runner", () => client.received.length === 2);
    expect(client.received).toEqual(["a:gen1:one", "b:gen2:two"]);
    expect(memory.indexes).toEqual([1, 2]);
    expect(memory.startsWith.map((s) => [s.runner, s.hibernating.length])).toEqual([["a", 0], ["b", 1]]);
    client.ws.close(1000, "bye");
    await client.closed;
  });
});
