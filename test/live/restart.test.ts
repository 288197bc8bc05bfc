// The engine's own state survives a restart: actors (identity, generation, sleeping or destroyed),
// runner configs and KV are stored, so a restarted server on the same database serves the same
// actor ids, finds them by name and key, and real clients find their actor's state intact. The new
// live run says which run it continues.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "@/server";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { findRun } from "@/lib/store/trace-store";
import { startRunner, waitFor, type TestRunner } from "./helpers";
import { rivetkitClient, serverlessPool, startRivetkitApp } from "./rivetkit-app";

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

describe("a restarted server keeps the engine's state", () => {
  let temp: TempDb;
  let port: number;
  let server: RunningServer | null = null;
  let runner: TestRunner | null = null;

  const start = async () => {
    server = await startServer({ port, hostname: "127.0.0.1", ui: false, databaseUrl: temp.url, engine: { defaultPool: null } });
    return server;
  };
  // A connection per request: a kept-alive socket to the stopped server would be reused otherwise.
  const request = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request({ host: "127.0.0.1", port, method, path, agent: false, headers: text ? { "content-type": "application/json" } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> }));
      });
      req.on("error", reject);
      req.end(text);
    });
  const api = request;

  beforeAll(async () => {
    temp = await createTempDb();
    port = await freePort();
  });
  afterAll(async () => {
    await runner?.runner.shutdown(true).catch(() => undefined);
    await server?.close();
    await temp.cleanup();
  });

  it("serves the same actor, its KV and the runner's pool after a restart, in a run that follows the last one", async () => {
    const first = await start();
    // A normal runner whose actor counts its requests in KV.
    runner = await startRunner(first.url, {
      runnerName: "counter",
      fetch: async (r, actorId) => {
        const [stored] = await r.kvGet(actorId, [encode("count")]);
        const count = Number(decode(stored) ?? "0") + 1;
        await r.kvPut(actorId, [[encode("count"), encode(String(count))]]);
        return Response.json({ actorId, count });
      },
    });
    await runner.connected;
    const created = await api("PUT", "/actors?namespace=default", { name: "counter", key: "k1", runner_name_selector: "counter", crash_policy: "sleep" });
    expect(created.status).toBe(200);
    const actorId = (created.body.actor as { actor_id: string }).actor_id;
    const hit = async () => (await request("GET", `/gateway/${actorId}/count`)).body as { actorId: string; count: number };
    expect((await hit()).count).toBe(1);
    expect((await hit()).count).toBe(2);
    const firstRun = first.session.runId;
    const generationBefore = first.session.runtime.world.actors.get(actorId)!.generation;

    await first.close();
    const second = await start();
    // The runner reconnects on its own to the engine at the same address.
    await waitFor("the runner to reconnect", () => [...second.session.runtime.world.runners.values()].some((r) => r.name === "counter" && r.connId !== null), 20_000);

    const found = await api("GET", `/actors?namespace=default&name=counter&key=k1`);
    expect((found.body.actors as { actor_id: string }[]).map((actor) => actor.actor_id)).toEqual([actorId]);
    const again = await api("PUT", "/actors?namespace=default", { name: "counter", key: "k1", runner_name_selector: "counter", crash_policy: "sleep" });
    expect(again.body).toMatchObject({ created: false, actor: { actor_id: actorId } });

    // The same id answers through the gateway, waking the actor with a newer generation; its KV is intact.
    expect(await hit()).toEqual({ actorId, count: 3 });
    expect(second.session.runtime.world.actors.get(actorId)!.generation).toBeGreaterThan(generationBefore);

    await second.session.flush();
    expect((await findRun(temp.db, firstRun))?.status).toBe("stopped");
    expect((await findRun(temp.db, second.session.runId))?.followsRunId).toBe(firstRun);
  }, 60_000);

  it("keeps a destroyed actor destroyed and a configured pool configured", async () => {
    const live = server!;
    const made = await api("POST", "/actors?namespace=default", { name: "gone", key: "g1", runner_name_selector: "counter", crash_policy: "sleep" });
    const goneId = (made.body.actor as { actor_id: string }).actor_id;
    expect((await api("DELETE", `/actors/${goneId}?namespace=default`)).status).toBe(200);
    await waitFor("the destroy", () => live.session.runtime.world.actors.get(goneId)?.state === "Destroyed", 20_000);
    const pool = { url: "http://127.0.0.1:9/api", headers: {}, request_lifespan: 300, slots_per_runner: 2, min_runners: 0, max_runners: 3, runners_margin: 0 };
    expect((await api("PUT", "/runner-configs/pool-a?namespace=default", { datacenters: { default: { serverless: pool } } })).status).toBe(200);

    await live.close();
    await start();
    const list = await api("GET", `/actors?namespace=default&actor_ids=${goneId}`);
    expect((list.body.actors as { destroy_ts: number | null }[])[0].destroy_ts).not.toBeNull();
    expect((await api("GET", `/actors?namespace=default&name=gone&key=g1`)).body.actors).toEqual([]);
    const configs = await api("GET", "/runner-configs?namespace=default");
    expect(configs.body.runner_configs).toMatchObject({ "pool-a": { datacenters: { default: { serverless: { url: pool.url, max_runners: 3, slots_per_runner: 2 } } } } });
  }, 60_000);
});

describe("a rivetkit actor across a restart", () => {
  it("keeps its state: the restarted engine serves the same actor from the stored pool and KV", async () => {
    const temp = await createTempDb();
    const port = await freePort();
    const engineUrl = `http://127.0.0.1:${port}`;
    const start = () => startServer({ port, hostname: "127.0.0.1", ui: false, databaseUrl: temp.url, engine: { defaultPool: null } });
    const app = await startRivetkitApp(engineUrl);
    let server = await start();
    try {
      const configured = await fetch(`${engineUrl}/runner-configs/default?namespace=default`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(serverlessPool(app.url)),
      });
      expect(configured.status).toBe(200);
      const client = await rivetkitClient(engineUrl);
      const handle = client.counter.getOrCreate(["restart"]);
      expect(await handle.increment(4)).toBe(4);
      const actorId = await handle.resolve();

      await server.close();
      server = await start();
      // Sockets this process kept alive to the stopped server fail once each; a new process has none.
      await waitFor("the restarted engine to answer", async () => (await fetch(`${engineUrl}/metadata`)).ok);
      // A new client as after a process restart: it looks the actor up by key again.
      const again = (await rivetkitClient(engineUrl)).counter.getOrCreate(["restart"]);
      expect(await again.resolve()).toBe(actorId);
      expect(await again.increment(1)).toBe(5);
      await client.dispose?.();
    } finally {
      await server.close();
      await app.close();
      await temp.cleanup();
    }
  }, 90_000);
});
