// A real runner (@rivetkit/engine-runner) connects over the runner WebSocket; an actor created
// through the engine API runs on it, serves a request through the gateway, sleeps through the
// runner's sleep call, and a second request wakes it again. Every frame is recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startEngine, startRunner, waitFor, type TestEngine, type TestRunner } from "./helpers";

describe("a real runner on the live engine", () => {
  let engine: TestEngine;
  let test: TestRunner;
  const seen: string[] = [];

  beforeAll(async () => {
    engine = await startEngine({ engine: { demoActor: false } });
    test = await startRunner(engine.url, {
      fetch: async (runner, actorId, _gatewayId, _requestId, request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return Response.json({ actorId, generation: runner.getActor(actorId)?.generation, body: request.method === "POST" ? await request.text() : null });
      },
    });
    await test.connected;
  });
  afterAll(async () => {
    await test?.runner.shutdown(true);
    await engine?.stop();
  });

  it("serves an API-created actor through the gateway, sleeps it and wakes it again", async () => {
    const created = await engine.api("POST", "/actors?namespace=default", { name: "counter", key: "k1", runner_name_selector: "test-runner", crash_policy: "sleep" });
    expect(created.status).toBe(200);
    const actorId: string = created.body.actor.actor_id;
    expect(created.body.actor).toMatchObject({ name: "counter", key: "k1", runner_name_selector: "test-runner" });

    // The engine starts it at once on the connected runner, with its real name and key.
    await waitFor("the actor to start", () => test.starts.length === 1);
    expect(test.starts[0]).toMatchObject({ actorId, generation: 1, name: "counter", key: "k1" });

    const first = await fetch(`${engine.url}/gateway/${actorId}/hello?x=1`, { method: "POST", body: "ping" });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ actorId, generation: 1, body: "ping" });
    expect(seen).toEqual(["POST /hello"]);

    // The header form reaches the same actor.
    const byHeader = await fetch(`${engine.url}/some/path`, { headers: { "x-rivet-target": "actor", "x-rivet-actor": actorId } });
    expect(byHeader.status).toBe(200);
    expect(seen.at(-1)).toBe("GET /some/path");

    test.runner.sleepActor(actorId);
    await waitFor("the actor to sleep", async () => (await engine.api("GET", `/actors?actor_ids=${actorId}`)).body.actors[0]?.sleep_ts);
    expect(test.stops).toEqual([{ actorId, generation: 1 }]);

    const second = await fetch(`${engine.url}/gateway/${actorId}/again`);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ actorId, generation: 2 });
    expect(test.starts.map((s) => s.generation)).toEqual([1, 2]);

    const events = await engine.events();
    // Frames both ways are recorded, decoded, between Runner and Runner WS.
    const init = ofType(events, "ToServerInit")[0];
    expect(init).toMatchObject({ from: { role: "Runner" }, to: { role: "RunnerWS" }, payload: { name: "test-runner" } });
    expect(ofType(events, "ToClientInit")[0]).toMatchObject({ from: { role: "RunnerWS" }, to: { role: "Runner" }, housekeeping: true });
    expect(ofType(events, "EventActorIntent").some((e) => e.from?.role === "Runner" && (e.payload as { intent: string }).intent === "Sleep")).toBe(true);
    expect(ofType(events, "UserResponse").map((e) => (e.payload as { status: number }).status)).toEqual([200, 200, 200]);
    // The runner's answers are recorded with the frame they answer as their cause.
    const responses = events.filter((e) => e.type === "ToServerResponseStart" && e.from?.role === "Runner");
    for (const response of responses) {
      const cause = events.find((e) => e.seq === response.causeSeq);
      expect(cause?.type).toBe("ToClientRequestStart");
    }
    // Seqs are gap-free: nothing recorded was lost.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it("looks actors up by name and key, gets or creates, and destroys them", async () => {
    const made = await engine.api("PUT", "/actors", { name: "room", key: "r1", runner_name_selector: "test-runner", crash_policy: "sleep", input: Buffer.from([1, 2, 3]).toString("base64") });
    expect(made).toMatchObject({ status: 200, body: { created: true } });
    const again = await engine.api("PUT", "/actors", { name: "room", key: "r1", runner_name_selector: "test-runner", crash_policy: "sleep" });
    expect(again.body).toMatchObject({ created: false, actor: { actor_id: made.body.actor.actor_id } });
    const listed = await engine.api("GET", "/actors?name=room&key=r1&namespace=default");
    expect(listed.body.actors.map((a: { actor_id: string }) => a.actor_id)).toEqual([made.body.actor.actor_id]);
    expect((await engine.api("GET", "/actors?name=nothing-like-this")).body).toEqual({ actors: [] });

    const destroyed = await engine.api("DELETE", `/actors/${made.body.actor.actor_id}`);
    expect(destroyed).toMatchObject({ status: 200, body: {} });
    await waitFor("the destroy", async () => (await engine.api("GET", `/actors?actor_ids=${made.body.actor.actor_id}`)).body.actors[0]?.destroy_ts);
    const gone = await fetch(`${engine.url}/gateway/${made.body.actor.actor_id}/`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("x-rivet-error")).toBe("actor.not_found");
    expect((await engine.api("DELETE", `/actors/${made.body.actor.actor_id}`)).status).toBe(404);
  });

  it("answers metadata and datacenters as rivetkit clients expect", async () => {
    expect((await engine.api("GET", "/metadata")).body).toMatchObject({ runtime: "engine" });
    expect((await engine.api("GET", "/datacenters")).body).toEqual({ datacenters: [{ name: "default" }] });
  });
});
