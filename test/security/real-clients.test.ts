// Real clients work unchanged with a token configured: an unmodified rivetkit app in serverless mode
// (its runner connects with the token the engine sends on /start) and the rivetkit client (which
// sends it to the engine API), through the gateway, across a sleep.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, waitFor, type TestEngine } from "../live/helpers";
import { rivetkitClient, serverlessPool, startRivetkitApp, type CounterClient, type RivetkitApp } from "../live/rivetkit-app";

const TOKEN = "rivetkit-token-for-tests";

describe("a rivetkit app and client against a server with a token", () => {
  let engine: TestEngine;
  let app: RivetkitApp;
  let client: CounterClient;

  beforeAll(async () => {
    engine = await startEngine({ engine: { defaultPool: null }, security: { token: TOKEN } });
    app = await startRivetkitApp(engine.url);
    const refused = await fetch(`${engine.url}/runner-configs/default?namespace=default`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(serverlessPool(app.url)) });
    expect(refused.status).toBe(401);
    const configured = await fetch(`${engine.url}/runner-configs/default?namespace=default`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(serverlessPool(app.url)),
    });
    expect(configured.status).toBe(200);
    client = await rivetkitClient(engine.url, TOKEN);
  }, 60_000);

  afterAll(async () => {
    await client?.dispose?.();
    await engine?.stop();
    await app?.close();
  });

  it("calls actions, sleeps and wakes with its state", async () => {
    const handle = client.counter.getOrCreate(["with-token"]);
    expect(await handle.increment(2)).toBe(2);
    const actorId = await handle.resolve();
    await handle.goToSleep();
    await waitFor("the actor to sleep", () => engine.session.runtime.world.actors.get(actorId)?.state === "Sleeping", 20_000);
    expect(await handle.increment(1)).toBe(3);
    expect((await engine.events()).some((event) => event.label.startsWith("Refused:"))).toBe(true);
  }, 60_000);
});
