// One client cannot freeze or exhaust the server: a request whose body trickles in is cut off with
// 408, and one client address cannot hold more than its share of in-flight gateway requests.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRunnerPackages } from "@/lib/transport/codec";
import { startEngine, startRunner, waitFor, type TestEngine, type TestRunner } from "../live/helpers";
import { initFrame, initOf, rawRunner, runningEvent } from "../live/raw-runner";

describe("per-client limits", () => {
  let engine: TestEngine;
  let runner: TestRunner;
  const held: (() => void)[] = [];
  beforeAll(async () => {
    engine = await startEngine({ requestTimeoutMs: 300, maxRequestsPerClient: 3 });
    runner = await startRunner(engine.url, {
      runnerName: "slow",
      // Answers only when the test lets it.
      fetch: (_r, actorId) => new Promise<Response>((resolve) => held.push(() => resolve(Response.json({ actorId })))),
    });
    await runner.connected;
  });
  afterAll(async () => {
    for (const release of held) release();
    await runner?.runner.shutdown(true);
    await engine?.stop();
  });

  it("answers a request whose body never finishes arriving with 408 and closes it", async () => {
    const { port } = new URL(engine.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write("PUT /runner-configs/x?namespace=default HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it("refuses gateway requests past the per-client limit with 429, and serves again once they finish", async () => {
    const created = await engine.api("POST", "/actors?namespace=default", { name: "s", key: "k", runner_name_selector: "slow", crash_policy: "sleep" });
    const url = `${engine.url}/gateway/${created.body.actor.actor_id as string}/`;
    const pending = [fetch(url), fetch(url), fetch(url)];
    await waitFor("three requests at the runner", () => held.length === 3, 10_000);
    const refused = await fetch(url);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: "too_many_requests" });
    for (const release of held.splice(0)) release();
    for (const response of await Promise.all(pending)) expect(response.status).toBe(200);
    const again = fetch(url);
    await waitFor("the next request at the runner", () => held.length === 1, 10_000);
    held.splice(0).forEach((release) => release());
    expect((await again).status).toBe(200);
  });
});

describe("events per runner frame", () => {
  let engine: TestEngine;
  beforeAll(async () => {
    await loadRunnerPackages();
    engine = await startEngine({ maxEventsPerFrame: 500, engine: { demoActor: false } });
  });
  afterAll(async () => engine?.stop());

  // Both sizes: a frame small enough to be decoded at once, and one large enough to be read in slices.
  for (const count of [501, 5_000]) {
    it(`closes a connection whose frame carries ${count} events (1008), taking none of them`, async () => {
      const runner = await rawRunner(engine.url, `flood-${count}`);
      runner.send(initFrame("flood"));
      await waitFor("the init answer", () => initOf(runner));
      const events = Array.from({ length: count }, (_, i) => runningEvent(`actor-${i}`, 1, 0n));
      runner.send({ tag: "ToServerEvents", val: events });
      expect(await runner.closed).toEqual({ code: 1008, reason: "ws.too_many_events" });
      const recorded = await engine.events();
      expect(recorded.filter((e) => e.type === "EventActorStateUpdate")).toHaveLength(0);
      expect(recorded.some((e) => e.type === "connection-refused" && (e.payload as { events?: number }).events === count)).toBe(true);
    });
  }
});
