// A runner that reconnects with the same runner_key within the lost threshold keeps its runner id,
// and the commands it never acknowledged are sent again. Spoken with raw protocol frames, so the
// test controls exactly what the runner received and acknowledged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRunnerPackages } from "@/lib/transport/codec";
import { startEngine, waitFor, type TestEngine } from "./helpers";
import { initFrame, initOf, rawRunner, runningEvent, startsOf } from "./raw-runner";

const INIT = initFrame("raw-runner");

describe("runner reconnects", () => {
  let engine: TestEngine;

  beforeAll(async () => {
    await loadRunnerPackages();
    engine = await startEngine({ engine: { demoActor: false } });
  });
  afterAll(async () => engine?.stop());

  it("keeps the runner id and re-sends the unacknowledged StartActor; the actor then runs", async () => {
    const first = await rawRunner(engine.url, "key-1");
    first.send(INIT);
    const init = await waitFor("ToClientInit", () => initOf(first));
    expect(init.metadata.actorStopThreshold).toBeGreaterThan(0n);

    const created = await engine.api("POST", "/actors", { name: "worker", key: "w", runner_name_selector: "raw-runner", crash_policy: "sleep" });
    const actorId: string = created.body.actor.actor_id;
    const start = await waitFor("StartActor", () => startsOf(first)[0]);
    expect(start.checkpoint).toMatchObject({ actorId, generation: 1, index: 0n });
    expect(start.inner.val).toMatchObject({ config: { name: "worker", key: "w" } });

    // The connection drops before the runner acknowledged or answered anything.
    first.ws.terminate();
    await first.closed;

    const second = await rawRunner(engine.url, "key-1");
    second.send(INIT);
    const again = await waitFor("ToClientInit again", () => initOf(second));
    expect(again.runnerId).toBe(init.runnerId);
    const resent = await waitFor("the StartActor again", () => startsOf(second)[0]);
    expect(resent.checkpoint).toMatchObject({ actorId, generation: 1, index: 0n });

    second.send({ tag: "ToServerAckCommands", val: { lastCommandCheckpoints: [resent.checkpoint] } });
    const running = runningEvent(actorId, 1, 0n);
    second.send({ tag: "ToServerEvents", val: [running] });
    // Runners re-send unacknowledged events after every init: the duplicate is ignored.
    second.send({ tag: "ToServerEvents", val: [running] });
    await waitFor("the actor to run", () => engine.session.runtime.world.actors.get(actorId)?.state === "Running");
    const ack = await waitFor("the event ack", () => second.frames.find((f) => f.tag === "ToClientAckEvents"));
    expect(ack.val).toEqual({ lastEventCheckpoints: [{ actorId, generation: 1, index: 0n }] });
    const events = await engine.events();
    expect(events.filter((e) => e.type === "EventActorStateUpdate" && e.from?.role === "Runner")).toHaveLength(1);
    expect(events.some((e) => e.type === "duplicate-events")).toBe(true);
    expect(events.some((e) => e.type === "resend-commands")).toBe(true);
    second.ws.close();
  });

  it("gives a different runner key its own runner id", async () => {
    const other = await rawRunner(engine.url, "key-2");
    other.send(INIT);
    const init = await waitFor("ToClientInit", () => initOf(other));
    const first = engine.session.runtime.world.runnerByKey.get("default/raw-runner/key-1");
    expect(init.runnerId).not.toBe(first);
    other.ws.close();
  });
});
