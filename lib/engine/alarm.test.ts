// Alarms (EventActorSetAlarm): an actor that scheduled work and went to sleep is woken by the engine
// at its alarm time (rivetkit's `c.schedule.after` relies on it); a null alarm cancels it.
import { describe, expect, it } from "vitest";
import { messages, notes, pool, request, runInline, runInlineSession, states } from "../runtime/testing";

// The demo actor sets its alarm 20 s ahead at t≈10 ms, then asks to sleep at 100 ms.
const scheduledThenAsleep = [request(10, "a", "/schedule?after=20000"), request(100, "a", "/sleep", "user-2")];

describe("an actor's alarm", () => {
  it("wakes the sleeping actor at the alarm time, without any request", () => {
    const events = runInline({ durationMs: 25_000, pools: [pool()], actors: [{ id: "a" }], steps: scheduledThenAsleep });
    const [set] = messages(events, "EventActorSetAlarm", { to: "ActorWorkflow" });
    const alarmTs = (set.payload as { alarmTs: number }).alarmTs;
    expect(alarmTs).toBeGreaterThan(20_000);
    const starts = messages(events, "CommandStartActor", { from: "ActorWorkflow", actorId: "a" });
    expect(starts).toHaveLength(2);
    // The workflow wakes it one step after the alarm time (its runner was drained meanwhile, so
    // the autoscaler starts another one for it).
    const [wake] = notes(events, "alarm-wake", "a");
    expect(wake.time).toBeGreaterThanOrEqual(alarmTs);
    expect(wake.time - alarmTs).toBeLessThanOrEqual(25);
    expect(starts[1].seq).toBeGreaterThan(wake.seq);
    expect(starts[1].time - alarmTs).toBeLessThan(200);
    expect(states(events, "a")).toEqual(["Pending", "Starting", "Running", "SleepIntent", "Sleeping", "Pending", "Starting", "Running"]);
    // Nobody asked: the only user requests are the two of the scenario.
    expect(messages(events, "UserRequest")).toHaveLength(2);
  });

  it("is cancelled by a null alarm: the actor sleeps on", () => {
    const events = runInline({
      durationMs: 25_000,
      pools: [pool()],
      actors: [{ id: "a" }],
      steps: [request(10, "a", "/schedule?after=20000"), request(50, "a", "/schedule?cancel", "user-3"), request(100, "a", "/sleep", "user-2")],
    });
    const alarms = messages(events, "EventActorSetAlarm", { to: "ActorWorkflow" });
    expect(alarms.map((m) => (m.payload as { alarmTs: number | null }).alarmTs === null)).toEqual([false, true]);
    expect(messages(events, "CommandStartActor", { from: "ActorWorkflow", actorId: "a" })).toHaveLength(1);
    expect(states(events, "a").at(-1)).toBe("Sleeping");
  });

  it("is forgotten once the actor is destroyed", () => {
    const run = runInlineSession({ durationMs: 25_000, pools: [pool()], actors: [{ id: "a" }], steps: [...scheduledThenAsleep, { at: 5_000, destroy: { actor: "a" } }] });
    expect(messages(run.events, "CommandStartActor", { from: "ActorWorkflow", actorId: "a" })).toHaveLength(1);
    expect(run.world.actors.get("a")?.state).toBe("Destroyed");
  });

  it("that falls due while the actor is awake does not start it twice", () => {
    const events = runInline({ durationMs: 3_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a", "/schedule?after=1000")] });
    expect(messages(events, "CommandStartActor", { from: "ActorWorkflow", actorId: "a" })).toHaveLength(1);
    expect(notes(events, "alarm-wake", "a")).toHaveLength(0);
  });
});
