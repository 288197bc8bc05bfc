import { describe, expect, it } from "vitest";
import { buildFlow } from "./build-flow";
import { idealTrace } from "./test-fixtures";
import { messyTrace } from "./test-fixtures-messy";
import { windowEvents } from "./window";

describe("windowEvents", () => {
  const events = idealTrace();

  it("takes maxItems events balanced around the center", () => {
    const window = windowEvents(events, 20, 7);
    expect(window.endIndex - window.startIndex).toBe(7);
    expect(window.startIndex).toBe(17);
    expect(window.events.slice(window.reopenedPhases)).toEqual(events.slice(17, 24));
  });

  it("shifts the window when the center is near an edge, and clamps the center", () => {
    expect(windowEvents(events, 0, 5)).toMatchObject({ startIndex: 0, endIndex: 5 });
    expect(windowEvents(events, 10_000, 5)).toMatchObject({ startIndex: events.length - 5, endIndex: events.length });
    expect(windowEvents(events, 3, 10_000)).toMatchObject({ startIndex: 0, endIndex: events.length, reopenedPhases: 0 });
  });

  it("re-opens the phases that are open at the window's start, so the diagram stays well-formed", () => {
    const center = events.findIndex((e) => e.label === "Create runner workflow");
    const window = windowEvents(events, center, 3);
    const reopened = window.events.slice(0, window.reopenedPhases).map((e) => e.label);
    expect(reopened).toEqual(["request to sleeping actor", "actor allocation", "runner connection"]);
    const items = buildFlow(window.events).items;
    const starts = items.filter((i) => i.kind === "block-start").length;
    expect(items.filter((i) => i.kind === "block-end")).toHaveLength(starts);
    expect(starts).toBe(3);
  });

  it("re-opens a phase that was still running but interrupted, and draws it as `cont` again", () => {
    const messy = messyTrace();
    const center = messy.findIndex((e) => e.label === "Proxy StopActor");
    const window = windowEvents(messy, center, 4);
    const reopened = window.events.slice(0, window.reopenedPhases).map((e) => e.label);
    expect(reopened).toEqual(["actor sleep", "request to actor marked as sleeping"]);
    const blocks = buildFlow(window.events).items.filter((i) => i.kind === "block-start").map((i) => i.kind === "block-start" && i.label);
    // The re-opened "actor sleep" is interrupted at once; only its continuation draws anything.
    expect(blocks).toEqual(["request to actor marked as sleeping", "actor sleep cont"]);
  });

  it("counts only the events the view shows when given its options", () => {
    const all = windowEvents(events, 20, 10);
    const shown = windowEvents(events, 20, 10, { detail: "default" });
    const visibleIn = (w: typeof shown) => w.events.slice(w.reopenedPhases).filter((e) => !e.housekeeping).length;
    expect(visibleIn(shown)).toBe(10);
    expect(visibleIn(all)).toBeLessThan(10);
  });

  it("rejects a window size that is not a positive integer", () => {
    expect(() => windowEvents(events, 0, 0)).toThrow(expect.objectContaining({ code: "invalid_window" }));
    expect(() => windowEvents(events, Number.NaN, 5)).toThrow(expect.objectContaining({ code: "invalid_window" }));
    expect(windowEvents([], 0, 5)).toEqual({ events: [], startIndex: 0, endIndex: 0, reopenedPhases: 0 });
  });
});
