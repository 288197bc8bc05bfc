import { describe, expect, it } from "vitest";
import { toMermaid } from "@/lib/diagram";
import { runInline } from "@/lib/runtime/testing";
import { loadScenario } from "@/lib/runtime";
import { buildCycleDiagram, stepIndexAtOrAfter, stepIndexAtOrBefore, viewSteps } from "./cycle-diagram";
import { busyActorTrace, cycleEvents } from "./test-traces";
import { LIVE_WINDOW_STEPS } from "./windowing";
import { DEFAULT_VIEW_STATE, type CycleViewState } from "./view-state";

const view = (change: Partial<CycleViewState> = {}): CycleViewState => ({ ...DEFAULT_VIEW_STATE, ...change });
const messy = cycleEvents("run", runInline(loadScenario("messy") as unknown as Record<string, unknown>));

describe("buildCycleDiagram", () => {
  it("draws a small cycle exactly as the diagram library does when not replaying", () => {
    for (const detail of ["default", "full"] as const) {
      const diagram = buildCycleDiagram({ events: messy, state: view({ detail }), live: false });
      expect(diagram.text).toBe(toMermaid(messy, { detail }));
      expect(diagram.windowed).toBe(false);
      expect(diagram.position).toBeNull();
      expect(diagram.highlightSeq).toBeNull();
    }
  });

  it("has one step per drawn message, relation and note, and more in full detail", () => {
    const byDefault = buildCycleDiagram({ events: messy, state: view(), live: false });
    const full = buildCycleDiagram({ events: messy, state: view({ detail: "full" }), live: false });
    const drawn = (seqs: typeof byDefault.seqs) => [...seqs.messages, ...seqs.notes].filter((seq) => seq !== null).length;
    expect(byDefault.steps.length).toBe(drawn(byDefault.seqs));
    expect(full.steps.length).toBeGreaterThan(byDefault.steps.length);
    expect(byDefault.steps.every((event) => !event.housekeeping)).toBe(true);
  });

  it("replays: draws up to the position and highlights it", () => {
    const all = buildCycleDiagram({ events: messy, state: view(), live: false });
    const third = all.steps[2];
    const diagram = buildCycleDiagram({ events: messy, state: view({ at: third.seq }), live: false });
    expect(diagram.position).toBe(2);
    expect(diagram.highlightSeq).toBe(third.seq);
    expect(diagram.text).toContain("rect rgba");
    const drawn = [...diagram.seqs.messages, ...diagram.seqs.notes].filter((seq): seq is number => seq !== null);
    expect(drawn.sort((a, b) => a - b)).toEqual(all.steps.slice(0, 3).map((event) => event.seq));
  });

  it("takes a position between steps as the step before it, and the last step as the end", () => {
    const all = buildCycleDiagram({ events: messy, state: view(), live: false });
    // A housekeeping event (hidden by default) between two steps.
    const index = all.steps.findIndex((step, i) =>
      messy.some((event) => event.housekeeping && event.seq > step.seq && event.seq < (all.steps[i + 1]?.seq ?? 0)),
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const hidden = messy.find((event) => event.housekeeping && event.seq > all.steps[index].seq)!;
    expect(buildCycleDiagram({ events: messy, state: view({ at: hidden.seq }), live: false }).position).toBe(index);
    const last = all.steps[all.steps.length - 1];
    expect(buildCycleDiagram({ events: messy, state: view({ at: last.seq }), live: false }).position).toBeNull();
  });

  it("hides lifelines and types, and splits runners, as the URL says", () => {
    const hidden = buildCycleDiagram({ events: messy, state: view({ hiddenRoles: ["RunnerWS"], hiddenTypes: ["Wake"] }), live: false });
    expect(hidden.flow.participants.map((p) => p.id)).not.toContain("RWS");
    expect(hidden.steps.some((event) => event.type === "Wake")).toBe(false);
    const split = buildCycleDiagram({ events: messy, state: view({ runners: "split" }), live: false });
    expect(split.text).toBe(toMermaid(messy, { runners: "split" }));
  });
});

describe("large cycles", () => {
  const big = cycleEvents("run", busyActorTrace(520));

  it("a 5,000-event cycle is drawn a window at a time, within Mermaid's limits", () => {
    expect(big.length).toBeGreaterThan(5_000);
    const diagram = buildCycleDiagram({ events: big, state: view(), live: false });
    expect(diagram.windowed).toBe(true);
    expect(diagram.window.start).toBe(0);
    expect(diagram.window.end - diagram.window.start).toBeLessThanOrEqual(250);
    expect(diagram.text.length).toBeLessThan(50_000);
    const drawn = diagram.seqs.messages.length + diagram.seqs.notes.filter((seq) => seq !== null).length;
    expect(drawn).toBe(diagram.window.end - diagram.window.start);
  });

  it("a live cycle shows its latest steps; a picked window and the replay position move it", () => {
    const live = buildCycleDiagram({ events: big, state: view(), live: true });
    expect(live.window.end).toBe(live.steps.length);

    const from = live.steps[1_000].seq;
    const picked = buildCycleDiagram({ events: big, state: view({ win: from }), live: false });
    expect(picked.window.start).toBe(1_000);
    expect(Math.min(...picked.seqs.messages.filter((seq): seq is number => seq !== null))).toBeGreaterThanOrEqual(from);

    const at = live.steps[3_000].seq;
    const replay = buildCycleDiagram({ events: big, state: view({ at }), live: false });
    expect(replay.position).toBe(3_000);
    expect(replay.window.start).toBeLessThanOrEqual(3_000);
    expect(replay.window.end).toBeGreaterThan(3_000);
    expect(replay.text).toContain("rect rgba");
  });

  it("following a live cycle draws only its latest steps; browsing it draws a full window", () => {
    const following = buildCycleDiagram({ events: big, state: view(), live: true });
    expect(following.following).toBe(true);
    expect(following.window).toEqual({ start: following.steps.length - LIVE_WINDOW_STEPS, end: following.steps.length, total: following.steps.length });
    const drawn = following.seqs.messages.length + following.seqs.notes.filter((seq) => seq !== null).length;
    expect(drawn).toBe(LIVE_WINDOW_STEPS);
    expect(following.seqs.messages.at(-1)).toBe(following.steps.filter((step) => step.kind !== "note").at(-1)?.seq);

    const browsing = buildCycleDiagram({ events: big, state: view({ win: following.steps[100].seq }), live: true });
    expect(browsing.following).toBe(false);
    expect(browsing.window.end - browsing.window.start).toBe(250);
    // A live cycle that still fits the window is drawn whole, and is not "followed" in part.
    const small = buildCycleDiagram({ events: cycleEvents("run", busyActorTrace(1)), state: view(), live: true });
    expect(small.steps.length).toBeLessThanOrEqual(LIVE_WINDOW_STEPS);
    expect(small.following).toBe(false);
    expect(small.windowed).toBe(false);
  });

  it("re-opens the phases that run across a window's start, so the text stays balanced", () => {
    const from = buildCycleDiagram({ events: big, state: view(), live: true }).steps[2_003].seq;
    const diagram = buildCycleDiagram({ events: big, state: view({ win: from }), live: false });
    const opens = diagram.text.split("\n").filter((line) => /^\s*(critical|rect)\b/.test(line)).length;
    const ends = diagram.text.split("\n").filter((line) => /^\s*end$/.test(line)).length;
    expect(opens).toBe(ends);
  });

  it("shrinks the window when long labels would exceed the text budget", () => {
    const diagram = buildCycleDiagram({ events: big, state: view(), live: false, maxTextChars: 8_000 });
    expect(diagram.text.length).toBeLessThanOrEqual(8_000);
    expect(diagram.window.end - diagram.window.start).toBeLessThan(250);
  });
});

describe("step look-ups", () => {
  const steps = viewSteps(messy, DEFAULT_VIEW_STATE);
  it("finds the step at or around a seq", () => {
    expect(stepIndexAtOrBefore(steps, steps[5].seq)).toBe(5);
    expect(stepIndexAtOrBefore(steps, 0)).toBe(0);
    expect(stepIndexAtOrAfter(steps, steps[5].seq + 0.5)).toBe(6);
    expect(stepIndexAtOrAfter(steps, 1e9)).toBe(steps.length - 1);
  });
});
