import { describe, expect, it } from "vitest";
import type { TimelineItem, TimelineLane } from "./timeline";
import { timelineTarget } from "./timeline-keys";

const item = (seq: number, time: number, role: TimelineItem["role"]): TimelineItem => ({ seq, time, at: 0, role, kind: "message", critical: false, row: 0 });
const lanes: TimelineLane[] = [
  { role: "User", items: [item(1, 0, "User"), item(9, 90, "User")], rows: 1, top: 0 },
  { role: "Gateway", items: [item(2, 10, "Gateway"), item(5, 50, "Gateway")], rows: 1, top: 1 },
  { role: "Runner", items: [], rows: 1, top: 2 },
  { role: "RunnerWS", items: [item(4, 40, "RunnerWS"), item(3, 40, "RunnerWS")], rows: 1, top: 3 },
];

describe("timelineTarget", () => {
  it("moves through the events in time order, stopping at the ends", () => {
    expect(timelineTarget(lanes, null, "ArrowRight")).toBe(1);
    expect(timelineTarget(lanes, 2, "ArrowRight")).toBe(3); // same time: by seq
    expect(timelineTarget(lanes, 3, "ArrowRight")).toBe(4);
    expect(timelineTarget(lanes, 3, "ArrowLeft")).toBe(2);
    expect(timelineTarget(lanes, 1, "ArrowLeft")).toBe(1);
    expect(timelineTarget(lanes, 9, "ArrowRight")).toBe(9);
    expect(timelineTarget(lanes, 5, "Home")).toBe(1);
    expect(timelineTarget(lanes, 5, "End")).toBe(9);
  });

  it("goes up and down to the nearest event in time on the next lane that has any", () => {
    expect(timelineTarget(lanes, 2, "ArrowUp")).toBe(1);
    expect(timelineTarget(lanes, 5, "ArrowUp")).toBe(9);
    expect(timelineTarget(lanes, 9, "ArrowDown")).toBe(5);
    expect(timelineTarget(lanes, 5, "ArrowDown")).toBe(3); // the empty Runner lane is skipped
    expect(timelineTarget(lanes, 1, "ArrowUp")).toBe(1); // top lane: stays
  });

  it("starts at the first event when the selection is elsewhere, and has nothing to do on an empty timeline", () => {
    expect(timelineTarget(lanes, 77, "ArrowLeft")).toBe(1);
    expect(timelineTarget([], null, "End")).toBeNull();
  });
});
