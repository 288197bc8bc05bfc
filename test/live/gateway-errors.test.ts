// The gateway's errors as clients read them, the same as the real engine's guard answers them
// (measured on rivet-engine 2.3.19; test/real-engine/gateway-errors.test.ts compares an unknown
// actor): status, a body `{group, code, message}` with the bare code (rivetkit compares the bare
// code), and the dotted `x-rivet-error: group.code` header. (Wake retries exceeded, 400 guard.actor_wake_retries_exceeded,
// needs a runner that never reports Running: lib/engine/gateway.test.ts covers it; the HTTP mapping
// is the same for every coded error.)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startEngine, waitFor, type TestEngine } from "./helpers";

async function answerOf(response: Response) {
  return { status: response.status, error: response.headers.get("x-rivet-error"), type: response.headers.get("content-type"), body: (await response.json()) as Record<string, unknown> };
}

function expectError(answer: Awaited<ReturnType<typeof answerOf>>, status: number, group: string, code: string) {
  expect(answer).toMatchObject({ status, error: `${group}.${code}`, body: { group, code } });
  expect(answer.type).toMatch(/^application\/json/);
  expect(typeof answer.body.message).toBe("string");
  expect(answer.body.message).not.toBe("");
}

/** A serverless endpoint whose /start answers the given status, or hangs (null). */
async function endpoint(status: number | null) {
  const server = http.createServer((_req, res) => {
    if (status === null) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      return;
    }
    res.writeHead(status);
    res.end("no");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The ready timeout is past the gateway's first pool-error check (1 s into a wait), as in the real
// engine (30 s), so a failing pool is reported before it.
const timing = { actorReadyTimeoutMs: 2_000, backoffBaseMs: 100, backoffJitterMs: 10 };
const serverless = (url: string) => ({ datacenters: { default: { serverless: { url, headers: {}, request_lifespan: 30, max_runners: 2, min_runners: 0, runners_margin: 0, slots_per_runner: 1 } } } });

describe("gateway errors as clients read them", () => {
  let engine: TestEngine;
  let failing: Awaited<ReturnType<typeof endpoint>>;
  let hanging: Awaited<ReturnType<typeof endpoint>>;

  beforeAll(async () => {
    [engine, failing, hanging] = await Promise.all([startEngine({ engine: { demoActor: false, timing, startTimeoutMs: 5_000 } }), endpoint(500), endpoint(null)]);
    // "idle": a runner name no runner connects with (no serverless pool either).
    for (const [name, body] of [
      ["failing", serverless(failing.url)],
      ["hanging", serverless(hanging.url)],
    ] as const) {
      expect((await engine.api("PUT", `/runner-configs/${name}`, body)).status, name).toBe(200);
    }
  });
  afterAll(async () => {
    await engine?.stop();
    await failing?.close();
    await hanging?.close();
  });

  const create = async (key: string, pool: string): Promise<string> => {
    const created = await engine.api("POST", "/actors", { name: "t", key, runner_name_selector: pool, crash_policy: "sleep" });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    return created.body.actor.actor_id;
  };

  it("an unknown actor: 404 actor.not_found", async () => {
    expectError(await answerOf(await fetch(`${engine.url}/gateway/nobody/x`)), 404, "actor", "not_found");
  });

  it("a destroyed actor: 404 actor.not_found, as the real engine does not tell it apart", async () => {
    const actorId = await create("gone", "idle");
    expect((await engine.api("DELETE", `/actors/${actorId}`)).status).toBe(200);
    await waitFor("the destroy", async () => (await engine.api("GET", `/actors?actor_ids=${actorId}`)).body.actors[0]?.destroy_ts);
    expectError(await answerOf(await fetch(`${engine.url}/gateway/${actorId}/x`)), 404, "actor", "not_found");
  });

  it("no runner comes: 503 guard.actor_ready_timeout", async () => {
    const actorId = await create("idle", "idle");
    const answer = await answerOf(await fetch(`${engine.url}/gateway/${actorId}/x`));
    expectError(answer, 503, "guard", "actor_ready_timeout");
  });

  it("the actor's runner pool is failing: 400 guard.actor_runner_failed, before the ready timeout", async () => {
    const actorId = await create("failing", "failing");
    const asked = Date.now();
    const answer = await answerOf(await fetch(`${engine.url}/gateway/${actorId}/x`));
    expectError(answer, 400, "guard", "actor_runner_failed");
    expect(answer.body.message).toContain("500");
    expect(Date.now() - asked).toBeLessThan(timing.actorReadyTimeoutMs);
  });

  it("destroyed while the request waits: 400 actor.destroyed_while_waiting_for_ready", async () => {
    const actorId = await create("hanging", "hanging");
    const pending = fetch(`${engine.url}/gateway/${actorId}/x`);
    await waitFor("the wake", async () => ofType(await engine.events(), "Wake").some((e) => e.actorId === actorId));
    expect((await engine.api("DELETE", `/actors/${actorId}`)).status).toBe(200);
    expectError(await answerOf(await pending), 400, "actor", "destroyed_while_waiting_for_ready");
  });

  it("records each answer with its dotted code", async () => {
    const codes = ofType(await engine.events(), "UserError").map((e) => (e.payload as { code: string }).code);
    expect(new Set(codes)).toEqual(new Set(["actor.not_found", "guard.actor_ready_timeout", "guard.actor_runner_failed", "actor.destroyed_while_waiting_for_ready"]));
  });
});
