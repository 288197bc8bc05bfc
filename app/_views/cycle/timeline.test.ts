import { describe, expect, it } from "vitest";
import { builtInScenario, runInline } from "@/lib/runtime/testing";
import type { TraceEvent } from "@/lib/trace/types";
import { viewSteps } from "./cycle-diagram";
import { cycleEvents } from "./test-traces";
import { axisTicks, buildTimeline, criticalPath, criticalSpan, criticalStages, dodgeRows } from "./timeline";
import { DEFAULT_VIEW_STATE } from "./view-state";

function cycleOf(scenario: string, ordinal = 1): TraceEvent[] {
  return cycleEvents("run-1", runInline(builtInScenario(scenario)), ordinal);
}

describe("critical path", () => {
  it("follows the causes from the answer to the user back to the request, through every stage of a cold wake", () => {
    const events = cycleOf("ideal");
    const path = criticalPath(events).map((seq) => events.find((event) => event.seq === seq)!);
    expect(path[0].type).toBe("UserRequest");
    expect(path.at(-1)!.to?.role).toBe("User");
    // Each step was caused by the one before it.
    path.slice(1).forEach((event, index) => expect(event.causeSeq).toBe(path[index].seq));
    const types = path.map((event) => event.type);
    for (const type of ["Wake", "Bump", "StartRequest", "ToServerInit", "CommandStartActor", "EventActorStateUpdate", "Ready"]) {
      expect(types).toContain(type);
    }
    const stages = criticalStages(path);
    expect(stages.map((stage) => stage.name)).toEqual([
      "request → wake",
      "wake → allocation",
      "allocation → /start",
      "/start → runner connected",
      "runner connected → StartActor",
      "StartActor → Running",
      "Running → Ready",
      "Ready → response",
    ]);
    // The stages add up to the whole path.
    expect(stages.reduce((sum, stage) => sum + stage.ms, 0)).toBe(path.at(-1)!.time - path[0].time);
    expect(stages.every((stage) => stage.ms >= 0)).toBe(true);
  });

  it("is empty for a cycle without a wake", () => {
    expect(criticalPath([])).toEqual([]);
  });

  it("falls back to the events of the path when it passes no milestone", () => {
    const event = (seq: number, time: number, type: string): TraceEvent => ({
      seq,
      time,
      kind: "message",
      type,
      label: type,
      from: { role: "Gateway", id: "g" },
      to: { role: "Runner", id: "r" },
      payload: null,
      actorId: null,
      runnerId: null,
      causeSeq: seq > 1 ? seq - 1 : null,
      relayOf: null,
      phaseId: null,
      housekeeping: false,
      cycleId: null,
    }) as TraceEvent;
    expect(criticalStages([event(1, 0, "A"), event(2, 5, "B"), event(3, 9, "C")]).map((stage) => [stage.name, stage.ms])).toEqual([
      ["A → B", 5],
      ["B → C", 4],
    ]);
  });
});

describe("timeline", () => {
  it("puts every step in its lifeline's lane at its time, with the critical path marked", () => {
    const events = cycleOf("messy");
    const steps = viewSteps(events, DEFAULT_VIEW_STATE);
    const start = events[0].time;
    const model = buildTimeline({ steps, events, start, end: events.at(-1)!.time });
    const items = model.lanes.flatMap((lane) => lane.items);
    expect(items).toHaveLength(steps.length);
    expect(model.lanes.map((lane) => lane.role)).toEqual(["User", "Gateway", "Runner", "RunnerWS", "RunnerWorkflow", "ActorWorkflow", "Serverless", "ServerlessEndpoint"]);
    for (const item of items) {
      expect(item.at).toBeGreaterThanOrEqual(0);
      expect(item.at).toBeLessThanOrEqual(1);
      expect(item.at).toBeCloseTo((item.time - start) / (model.end - start));
    }
    expect(items.filter((item) => item.critical).length).toBeGreaterThan(5);
    expect(model.criticalPoints.map((point) => point.seq)).toEqual([...model.criticalPoints.map((point) => point.seq)].sort((a, b) => a - b));
    expect(model.criticalMs).toBeGreaterThan(0);
    expect(model.stages.length).toBeGreaterThanOrEqual(7);
  });

  it("puts items too close to tell apart on separate rows of their lane", () => {
    expect(dodgeRows([0, 0, 0, 0.5, 0.505, 0.9], 0.01, 4)).toEqual([0, 1, 2, 0, 1, 0]);
    // Past the last row, rows are shared again.
    expect(dodgeRows([0, 0, 0], 0.01, 2)).toEqual([0, 1, 0]);
    const events = cycleOf("ideal");
    const model = buildTimeline({ steps: viewSteps(events, DEFAULT_VIEW_STATE), events, start: events[0].time, end: null });
    for (const lane of model.lanes) {
      expect(Math.max(...lane.items.map((item) => item.row)) + 1).toBe(lane.rows);
      // Neighbours on one row are never on top of each other (unless the lane ran out of rows).
      if (lane.rows < 4) {
        for (const row of new Set(lane.items.map((item) => item.row))) {
          const at = lane.items.filter((item) => item.row === row).map((item) => item.at);
          at.slice(1).forEach((position, index) => expect(position - at[index]).toBeGreaterThanOrEqual(0.016 - 1e-9));
        }
      }
    }
    expect(model.rows).toBe(model.lanes.reduce((sum, lane) => sum + lane.rows, 0));
    expect(model.lanes[1].top).toBe(model.lanes[0].rows);
  });

  it("looks closer at the wake alone: the critical path's span, and only the steps inside it", () => {
    const events = cycleOf("messy");
    const steps = viewSteps(events, DEFAULT_VIEW_STATE);
    const span = criticalSpan(events)!;
    expect(span.end).toBeGreaterThan(span.start);
    const model = buildTimeline({ steps, events, ...span, clip: true });
    const items = model.lanes.flatMap((lane) => lane.items);
    expect(items.length).toBeLessThan(steps.length);
    expect(items.every((item) => item.time >= span.start && item.time <= span.end)).toBe(true);
    expect(model.start).toBe(span.start);
    expect(model.end).toBe(span.end);
    expect(criticalSpan([])).toBeNull();
  });

  it("has round ticks across the axis", () => {
    expect(axisTicks(1000).map((tick) => tick.offset)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(0)).toEqual([{ at: 0, offset: 0 }]);
    expect(axisTicks(1340).at(-1)!.offset).toBeLessThanOrEqual(1340);
  });
});
