// Recording must not change behaviour: the same requests sent straight to the real engine and
// through the recording proxy get the same status, the same headers (but those that belong to one
// connection or one moment: hop-by-hop headers, Date, the per-request ray id) and the same body.
// The runner serving the actor is itself connected through the proxy, so its WebSocket is
// forwarded and decoded while the comparison runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runner } from "@rivetkit/engine-runner";
import { startRecording, type Recording } from "@/lib/proxy/recording";
import { startRealEngine, type RealEngine } from "@/lib/proxy/testing/real-engine";
import { waitFor } from "@/lib/proxy/testing/wait";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { loadEvents } from "@/lib/store/trace-store";

const PER_CONNECTION = new Set(["connection", "keep-alive", "transfer-encoding", "date", "x-rivet-ray-id"]);

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

async function send(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${base}${path}`, init);
  const body = await response.text();
  const headers = [...response.headers].filter(([name]) => !PER_CONNECTION.has(name.toLowerCase())).sort(([a], [b]) => a.localeCompare(b));
  return { status: response.status, headers, body };
}

describe("recording through the proxy changes no response", () => {
  let engine: RealEngine;
  let temp: TempDb;
  let recording: Recording;
  let runner: Runner;
  let actorId: string;

  beforeAll(async () => {
    [engine, temp] = await Promise.all([startRealEngine(), createTempDb()]);
    recording = await startRecording(temp.db, { engineUrl: engine.url });
    // A pool for normal (always connected) runners, as rivetkit declares it.
    expect((await engine.api("PUT", "/runner-configs/echo?namespace=default", { datacenters: { default: { normal: {} } } })).status).toBe(200);
    const { Runner: RunnerClass } = await import("@rivetkit/engine-runner");
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const started: string[] = [];
    runner = new RunnerClass({
      version: 1,
      endpoint: recording.proxy.url,
      namespace: "default",
      runnerName: "echo",
      totalSlots: 10,
      prepopulateActorNames: {},
      noAutoShutdown: true,
      onConnected: () => connected(),
      onDisconnected: () => {},
      onShutdown: () => {},
      fetch: async (_runner, _actorId, _generation, _requestId, request) => {
        const url = new URL(request.url);
        const text = await request.text();
        return new Response(JSON.stringify({ method: request.method, path: url.pathname, query: url.search, body: text }), { status: url.pathname === "/teapot" ? 418 : 200, headers: { "content-type": "application/json", "x-echo": "1" } });
      },
      websocket: async () => {},
      hibernatableWebSocket: { canHibernate: () => false },
      onActorStart: async (id) => {
        started.push(id);
      },
      onActorStop: async () => {},
    });
    await runner.start();
    await ready;
    const created = await engine.api("POST", "/actors?namespace=default", { name: "echo", key: "e1", runner_name_selector: "echo", crash_policy: "sleep" });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    actorId = created.body.actor.actor_id;
    await waitFor("the actor to start", () => started.includes(actorId), 20_000);
  }, 60_000);

  afterAll(async () => {
    await runner?.shutdown(true).catch(() => undefined);
    await recording?.stop().catch(() => undefined);
    await engine?.stop();
    await temp?.cleanup();
  });

  const cases: [string, string, () => RequestInit][] = [
    ["engine metadata", "/metadata", () => ({})],
    ["namespaces", "/namespaces", () => ({})],
    ["an unknown route", "/no/such/route", () => ({})],
    ["a bad create (400)", "/actors?namespace=default", () => ({ method: "POST", headers: { "content-type": "application/json" }, body: "{not json" })],
    ["an actor that does not exist", "/gateway/0000000000000000000000000000/x", () => ({})],
  ];

  for (const [what, path, init] of cases) {
    it(`answers ${what} the same`, async () => {
      const direct = await send(engine.url, path, init());
      const proxied = await send(recording.proxy.url, path, init());
      expect(proxied).toEqual(direct);
    });
  }

  it("answers the actor's requests the same (GET, POST with a body, an error status, a query)", async () => {
    const requests: [string, RequestInit][] = [
      [`/gateway/${actorId}/hello`, {}],
      [`/gateway/${actorId}/echo?x=1&y=2`, { method: "POST", headers: { "content-type": "text/plain" }, body: "a body ".repeat(2000) }],
      [`/gateway/${actorId}/teapot`, {}],
      [`/actors?namespace=default&actor_ids=${actorId}`, {}],
    ];
    for (const [path, init] of requests) {
      const direct = await send(engine.url, path, init);
      const proxied = await send(recording.proxy.url, path, init);
      expect(proxied, path).toEqual(direct);
    }
  });

  it("recorded what passed, with the runner's frames decoded", async () => {
    await recording.recorder.flush();
    const events = await loadEvents(temp.db, recording.run.id);
    expect(events.some((e) => e.type === "ToServerInit" && e.label === "Connect<br/>(ToServerInit echo)")).toBe(true);
    const teapot = events.find((e) => e.type === "UserResponse" && e.label === "418");
    expect(teapot?.actorId).toBe(actorId);
    expect(events.some((e) => e.type === "UserError" && e.from?.role === "Gateway")).toBe(true);
    expect(events.filter((e) => e.type === "ApiRequest").map((e) => e.label)).toEqual(expect.arrayContaining(["GET /metadata", "POST /actors"]));
  });
});
