// A burst of requests to a sleeping actor: the wakes the actor workflow ignores must not delay the
// signal it waits for. While Pending it listens only for its allocation (selective receive), and a
// step takes many queued signals at once, so the burst costs a few steps, not one step per wake.
import { describe, expect, it } from "vitest";
import { messages, notes, pool, runInline } from "../runtime/testing";

function burst(count: number, durationMs = 15_000): Record<string, unknown> {
  const steps = Array.from({ length: count }, (_, i) => ({ at: 10 + (i % 20), request: { actor: "a", user: `user-${i + 1}` } }));
  return { durationMs, pools: [pool()], actors: [{ id: "a" }], steps };
}

describe("a burst of requests to a sleeping actor", () => {
  it("starts the actor as soon as its runner allocates it, however many wakes queued meanwhile", () => {
    const events = runInline(burst(50));
    const allocate = messages(events, "Allocate", { to: "ActorWorkflow", actorId: "a" });
    const start = messages(events, "CommandStartActor", { from: "ActorWorkflow", actorId: "a" });
    expect(allocate).toHaveLength(1);
    expect(start).toHaveLength(1);
    // One workflow step (20 ms) after the Allocate was sent, plus its hop: not one step per wake.
    expect(start[0].time - allocate[0].time).toBeLessThanOrEqual(25);
    // Only one wake allocated; every other one was ignored.
    expect(notes(events, "allocate", "a")).toHaveLength(1);
    expect(notes(events, "ignored-wake", "a")).toHaveLength(49);
  });

  it("answers every one of 600 requests with 200, none times out", () => {
    const events = runInline(burst(600));
    const answers = events.filter((e) => e.kind === "message" && (e.type === "UserResponse" || e.type === "UserError"));
    expect(answers).toHaveLength(600);
    expect(answers.filter((e) => e.type === "UserError").map((e) => e.label)).toEqual([]);
    const ready = messages(events, "Ready", { actorId: "a" });
    // The actor is ready well within the gateway's 10 s ready timeout.
    expect(ready[0].time).toBeLessThan(1_000);
  });
});
