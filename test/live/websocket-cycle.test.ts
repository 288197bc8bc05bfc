// A WebSocket's traffic belongs to its actor: every user ↔ gateway frame and every tunnel frame of
// the socket carries the actor id, so the actor's cycle draws all of it, and another actor's
// socket traffic never shows in this actor's cycles.
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeCycles } from "@/lib/trace/cycles";
import type { TraceEvent } from "@/lib/trace/types";
import { startEngine, startRunner, waitFor, type TestEngine, type TestRunner } from "./helpers";

interface SocketLike {
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void;
  send(data: unknown): void;
}

const SOCKET_TYPES = new Set([
  "UserWebSocketOpened",
  "UserWebSocketMessage",
  "UserWebSocketClose",
  "ToClientWebSocketOpen",
  "ToClientWebSocketMessage",
  "ToClientWebSocketClose",
  "ToServerWebSocketOpen",
  "ToServerWebSocketMessage",
  "ToServerWebSocketClose",
]);

async function chat(url: string, count: number): Promise<void> {
  const ws = new WebSocket(url);
  const received: string[] = [];
  ws.on("message", (data) => received.push(data.toString()));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  for (let i = 0; i < count; i++) ws.send(`m${i}`);
  await waitFor(`${count} echoes`, () => received.length === count);
  const closed = new Promise((resolve) => ws.once("close", resolve));
  ws.close(1000, "bye");
  await closed;
}

function requestIdOf(event: TraceEvent): string | null {
  const payload = event.payload as { requestId?: unknown } | null;
  return typeof payload?.requestId === "string" ? payload.requestId : null;
}

describe("a WebSocket's traffic in its actor's cycle", () => {
  let engine: TestEngine;
  let test: TestRunner;

  beforeAll(async () => {
    engine = await startEngine({ demoSleepTimeoutMs: 60_000 });
    test = await startRunner(engine.url, {
      websocket: async (_runner, _actorId, ws) => {
        const socket = ws as SocketLike;
        socket.addEventListener("message", (event) => socket.send(event.data));
      },
    });
    await test.connected;
  });
  afterAll(async () => {
    await test?.runner.shutdown(true);
    await engine?.stop();
  });

  it("records 100 messages each way, the open and the closes with the actor, all in its cycle", async () => {
    const create = async (key: string) =>
      (await engine.api("POST", "/actors", { name: "chat", key, runner_name_selector: "test-runner", crash_policy: "sleep" })).body.actor.actor_id as string;
    const first = await create("first");
    const second = await create("second");
    const base = engine.url.replace("http", "ws");
    await chat(`${base}/gateway/${first}/room`, 100);
    await chat(`${base}/gateway/${second}/room`, 5);

    const socketEvents = async (actorId: string) => {
      const events = await engine.events();
      const open = events.find((e) => e.type === "UserWebSocketOpen" && e.actorId === actorId);
      const requestId = open ? requestIdOf(open) : null;
      return { events, mine: events.filter((e) => SOCKET_TYPES.has(e.type) && requestIdOf(e) === requestId) };
    };
    // Both closes (user → gateway, gateway → runner) are recorded once the runner has seen its close.
    const { events, mine } = await waitFor("the close to reach the runner", async () => {
      const found = await socketEvents(first);
      return found.mine.some((e) => e.type === "ToClientWebSocketClose" && e.to?.role === "Runner") ? found : null;
    });

    const fromUser = mine.filter((e) => e.type === "UserWebSocketMessage" && e.from?.role === "User");
    const toUser = mine.filter((e) => e.type === "UserWebSocketMessage" && e.to?.role === "User");
    expect(fromUser).toHaveLength(100);
    expect(toUser).toHaveLength(100);
    expect(mine.filter((e) => e.type === "UserWebSocketClose" && e.from?.role === "User")).toHaveLength(1);
    expect(mine.filter((e) => e.type === "UserWebSocketOpened")).toHaveLength(1);
    expect(mine.filter((e) => e.type.startsWith("ToServerWebSocket")).length).toBeGreaterThanOrEqual(2 * 101);
    expect(mine.filter((e) => e.actorId !== first).map((e) => `${e.seq} ${e.type}`)).toEqual([]);

    const { cycles, cycleOf } = computeCycles("run", events);
    const firstCycles = new Set(cycles.filter((c) => c.actorId === first).map((c) => c.id));
    expect(mine.filter((e) => !firstCycles.has(cycleOf.get(e.seq) ?? "")).map((e) => `${e.seq} ${e.type}`)).toEqual([]);

    const other = (await socketEvents(second)).mine;
    expect(other.length).toBeGreaterThan(10);
    expect(other.filter((e) => firstCycles.has(cycleOf.get(e.seq) ?? "")).map((e) => `${e.seq} ${e.type}`)).toEqual([]);
  });
});
