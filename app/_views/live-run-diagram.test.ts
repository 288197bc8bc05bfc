import { describe, expect, it } from "vitest";
import { loadScenario } from "@/lib/runtime";
import { runInline } from "@/lib/runtime/testing";
import { selectLiveCycle } from "./cycle/live-events";
import { LIVE_WINDOW_STEPS } from "./cycle/windowing";
import { busyActorTrace } from "./cycle/test-traces";
import { liveChoiceEvents, liveRun, liveRunDiagram } from "./live-run-diagram";

const seqs = (events: readonly { seq: number }[]) => events.map((event) => event.seq);

describe("the run page's live drawing", () => {
  const twoActors = runInline(loadScenario("two-actors") as unknown as Record<string, unknown>);
  const run = liveRun("run", twoActors);
  const actors = [...new Set(run.cycles.map((cycle) => cycle.actorId))];

  it("draws a chosen cycle with the same events as the cycle view", () => {
    expect(actors.length).toBe(2);
    for (const cycle of run.cycles) {
      const chosen = liveChoiceEvents(run, cycle.actorId, { kind: "cycles", from: cycle.ordinal, to: cycle.ordinal });
      expect(seqs(chosen ?? [])).toEqual(seqs(selectLiveCycle("run", twoActors, cycle.actorId, cycle.ordinal).events));
    }
  });

  it("draws the whole run of one actor without the other actor's cycles", () => {
    const [first, second] = actors;
    const whole = new Set(seqs(liveChoiceEvents(run, first, { kind: "run" }) ?? []));
    for (const cycle of run.cycles) {
      const own = seqs(selectLiveCycle("run", twoActors, cycle.actorId, cycle.ordinal).events).filter((seq) => run.cycleOf.get(seq) === cycle.id);
      if (cycle.actorId === first) expect(own.every((seq) => whole.has(seq))).toBe(true);
      if (cycle.actorId === second) expect(own.some((seq) => whole.has(seq))).toBe(false);
    }
  });

  it("has nothing to draw for a cycle that has not started", () => {
    expect(liveChoiceEvents(run, actors[0], { kind: "cycles", from: 99, to: 99 })).toBeNull();
  });

  it("draws the latest steps of a long cycle as it grows, ending on its newest event", () => {
    const busy = liveRun("run", busyActorTrace(40));
    const diagram = liveRunDiagram(busy, "actor-1", { kind: "cycles", from: 1, to: 1 }, "default");
    expect(diagram?.following).toBe(true);
    expect(diagram?.window.end).toBe(diagram?.steps.length);
    expect((diagram?.window.end ?? 0) - (diagram?.window.start ?? 0)).toBe(LIVE_WINDOW_STEPS);
    expect(diagram?.text).toContain("/item/39");
    expect(diagram?.text).not.toContain("/item/1<");
  });
});
