// An unmodified rivetkit@2.2.1 app in serverless mode (its handler under /api/rivet in a small
// server started with RIVET_ENDPOINT pointing at Wakeline) serves an actor with state and actions;
// a rivetkit client calls an action through the gateway, the actor sleeps, and a later call wakes
// it with its state intact (kept in the engine's KV store).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startEngine, waitFor, type TestEngine } from "./helpers";
import { rivetkitClient, serverlessPool, startRivetkitApp, type CounterClient, type RivetkitApp } from "./rivetkit-app";

describe("a rivetkit app on Wakeline", () => {
  let engine: TestEngine;
  let app: RivetkitApp;
  let client: CounterClient;

  beforeAll(async () => {
    engine = await startEngine({ engine: { defaultPool: null } });
    app = await startRivetkitApp(engine.url);
    const configured = await engine.api("PUT", "/runner-configs/default", serverlessPool(app.url));
    expect(configured.status).toBe(200);
    client = await rivetkitClient(engine.url);
  }, 60_000);

  afterAll(async () => {
    await client?.dispose?.();
    await engine?.stop();
    await app?.close();
  });

  it("calls actions through the gateway; after sleeping, a later call finds the state intact", async () => {
    const handle = client.counter.getOrCreate(["visits"]);
    expect(await handle.increment(2)).toBe(2);
    expect(await handle.increment(3)).toBe(5);
    const actorId: string = await handle.resolve();

    await handle.goToSleep();
    await waitFor("the actor to sleep", () => engine.session.runtime.world.actors.get(actorId)?.state === "Sleeping", 20_000);

    expect(await handle.increment(1)).toBe(6);
    const events = await engine.events();
    expect(events.filter((e) => e.type === "CommandStartActor" && e.to?.role === "Runner" && e.actorId === actorId)).toHaveLength(2);
    expect(ofType(events, "ToServerKvRequest").length).toBeGreaterThan(0);
    expect(ofType(events, "StartRequest").length).toBeGreaterThan(0);
  }, 60_000);
});
