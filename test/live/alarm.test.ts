// A real runner's alarm (rivetkit's `c.schedule.after` sets one through it) wakes its actor while it
// sleeps, with no request: the engine keeps the alarm past the sleep and starts the actor at it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startEngine, startRunner, waitFor, type TestEngine, type TestRunner } from "./helpers";

describe("alarms on the live engine", () => {
  let engine: TestEngine;
  let runner: TestRunner;
  beforeAll(async () => {
    engine = await startEngine({ engine: { demoActor: false } });
    runner = await startRunner(engine.url, {});
    await runner.connected;
  });
  afterAll(async () => {
    await runner?.runner.shutdown(true);
    await engine?.stop();
  });

  it("wakes a sleeping actor at its alarm, set by @rivetkit/engine-runner in epoch ms", async () => {
    const created = await engine.api("POST", "/actors?namespace=default", { name: "c", key: "k", runner_name_selector: "test-runner", crash_policy: "sleep" });
    const actorId: string = created.body.actor.actor_id;
    await waitFor("the actor to start", () => runner.starts.length === 1);
    const alarmAt = Date.now() + 1500;
    runner.runner.setAlarm(actorId, alarmAt);
    runner.runner.sleepActor(actorId);
    await waitFor("the actor to sleep", () => runner.stops.length === 1);
    await waitFor("the alarm to wake it", () => runner.starts.length === 2, 15_000);
    expect(Date.now()).toBeGreaterThanOrEqual(alarmAt);
    const events = await engine.events();
    expect(ofType(events, "EventActorSetAlarm").some((e) => e.actorId === actorId)).toBe(true);
    expect(ofType(events, "alarm-wake").some((e) => e.actorId === actorId)).toBe(true);
    expect(ofType(events, "UserRequest")).toHaveLength(0);
  });
});
