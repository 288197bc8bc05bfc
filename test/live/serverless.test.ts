// Serverless: the autoscaler really calls `GET {url}/start`, reads the event stream, and the runner
// that the endpoint starts connects over the real WebSocket. The recorded cycle draws the ideal
// reference flow. Also the built-in endpoint: the demo actor served, slept and woken.
import ideal from "@/lib/conformance/reference/ideal-serverless-flow.mmd?raw";
import { conformRun } from "@/lib/services/conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startEngine, startTestEndpoint, waitFor, type TestEngine } from "./helpers";

describe("a serverless endpoint built on the runner package", () => {
  let endpoint: Awaited<ReturnType<typeof startTestEndpoint>>;
  let engine: TestEngine;

  beforeAll(async () => {
    endpoint = await startTestEndpoint();
    engine = await startEngine({ engine: { defaultPool: { url: endpoint.url } } });
  });
  afterAll(async () => {
    await endpoint?.close();
    await engine?.stop();
  });

  it("is started by the autoscaler through /start and serves the sleeping demo actor", async () => {
    const response = await fetch(`${engine.url}/gateway/demo/hello`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ actorId: "demo", servedBy: "test-endpoint", path: "/hello" });
    expect(endpoint.starts).toBe(1);

    const events = await engine.events();
    const start = ofType(events, "StartRequest")[0];
    expect(start).toMatchObject({ from: { role: "Serverless" }, to: { role: "ServerlessEndpoint" } });
    expect(start.payload).toMatchObject({ url: `${endpoint.url}/start`, headers: { "x-rivet-total-slots": "1", "x-rivet-runner-name": "default", "x-rivet-namespace-name": "default" } });
    const init = ofType(events, "ToServerlessServerInit")[0];
    expect(init).toMatchObject({ from: { role: "ServerlessEndpoint" }, to: { role: "Serverless" } });
    expect((init.payload as { runnerId: string }).runnerId).toBe(endpoint.runners[0].runnerId);
  });

  it("records a cycle that conforms to the ideal reference flow (default view)", async () => {
    const report = await conformRun(engine.temp.db, { runId: engine.session.runId, actorId: "demo", referenceText: ideal });
    expect({ missing: report.missing.map((d) => d.text), extra: report.extra.map((d) => d.text), outOfOrder: report.outOfOrder.map((d) => d.text) }).toEqual({
      missing: [],
      extra: [],
      outOfOrder: [],
    });
    expect(report.ok).toBe(true);
  });
});

describe("the built-in serverless endpoint", () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startEngine({ demoSleepTimeoutMs: 60_000 });
  });
  afterAll(async () => engine?.stop());

  it("starts a runner in this process that serves the demo actor, which sleeps on GET /sleep and wakes again", async () => {
    const first = await fetch(`${engine.url}/gateway/demo/`);
    expect(await first.json()).toEqual({ actorId: "demo", generation: 1, path: "/", sleeping: false });
    const sleep = await fetch(`${engine.url}/gateway/demo/sleep`);
    expect(await sleep.json()).toMatchObject({ generation: 1, sleeping: true });
    await waitFor("the demo actor to sleep", () => engine.session.runtime.world.actors.get("demo")?.state === "Sleeping");
    const again = await fetch(`${engine.url}/gateway/demo/`);
    expect(await again.json()).toMatchObject({ actorId: "demo", generation: 2 });

    const events = await engine.events();
    // The runner really connected over the WebSocket: its frames are recorded from a Runner.
    expect(ofType(events, "ToServerInit").length).toBeGreaterThanOrEqual(1);
    expect(ofType(events, "SameProcess").length).toBeGreaterThanOrEqual(1);
    expect(ofType(events, "StartRequest").length).toBeGreaterThanOrEqual(1);
  });
});
