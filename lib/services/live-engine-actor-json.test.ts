// GET /actors after a drain or a loss: the actor the engine stopped because its runner went away
// is asleep, and the API says so with the time it went to sleep (as the real engine's set_sleeping).
import { describe, expect, it } from "vitest";
import { pool, request, runInlineSession, stateChanges } from "../runtime/testing";
import { viewOf } from "../engine/core/world-draft";
import { ActorDirectory } from "../transport/actor-directory";

const EPOCH = 1_700_000_000_000;

function actorJsonAfter(steps: Record<string, unknown>[], durationMs: number) {
  const run = runInlineSession({ durationMs, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a"), ...steps] });
  const directory = new ActorDirectory();
  directory.add({ actorId: "a", name: "demo", key: null, namespace: "default", runnerNameSelector: "default", crashPolicy: "sleep", input: null, createTs: EPOCH });
  const json = directory.toJson(directory.get("a")!, viewOf(run.world), (engineMs) => EPOCH + engineMs);
  const asleep = stateChanges(run.events, "a").filter((c) => c.to === "Sleeping").at(-1);
  return { json, asleep };
}

describe("an actor stopped because its runner went away", () => {
  it.each([
    { why: "drained, then evicted", steps: [{ at: 500, fault: { kind: "drain-runner" } }, { at: 700, fault: { kind: "evict-runner" } }], durationMs: 2_000 },
    { why: "lost (killed)", steps: [{ at: 500, fault: { kind: "kill-runner" } }], durationMs: 20_000 },
  ])("shows as sleeping, with its sleep time: $why", ({ steps, durationMs }) => {
    const { json, asleep } = actorJsonAfter(steps, durationMs);
    expect(asleep).toBeDefined();
    expect(json.sleep_ts).toBe(EPOCH + asleep!.time);
    expect(json.connectable_ts).toBeNull();
  });

  it("keeps the time of its sleep intent when it went to sleep itself", () => {
    const run = runInlineSession({ durationMs: 2_000, pools: [pool()], actors: [{ id: "a" }], steps: [request(10, "a", "/sleep")] });
    const intent = stateChanges(run.events, "a").find((c) => c.to === "SleepIntent")!;
    expect(run.world.actors.get("a")?.sleepTs).toBe(intent.time);
  });
});
