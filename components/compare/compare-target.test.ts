import { describe, expect, it } from "vitest";
import { compareHref, formatCycleRef, parseCompareTarget, parseCycleRef } from "./compare-target";

describe("compared cycles in the URL", () => {
  it("reads a cycle, an actor's whole run, and refuses what names no actor", () => {
    expect(parseCycleRef("run1:actor-1:2")).toEqual({ runId: "run1", actorId: "actor-1", ordinal: 2 });
    expect(parseCycleRef("run1:actor-1")).toEqual({ runId: "run1", actorId: "actor-1" });
    expect(parseCycleRef("run1:ns:actor:3")).toEqual({ runId: "run1", actorId: "ns:actor", ordinal: 3 });
    expect(parseCycleRef("run1:actor:0")).toEqual({ runId: "run1", actorId: "actor:0" });
    for (const bad of ["", "run1", ":actor:1", "run1::2", "run1:"]) expect(parseCycleRef(bad), bad).toBeNull();
  });

  it("writes links that read back the same, with readable colons", () => {
    const a = { runId: "r1", actorId: "actor 1", ordinal: 4 };
    const b = { runId: "r2", actorId: "actor-2" };
    const href = compareHref({ a, b });
    expect(href).toBe("/compare?a=r1:actor%201:4&b=r2:actor-2");
    expect(parseCompareTarget(new URL(href, "http://x").searchParams)).toEqual({ a, b, withReference: false });
    expect(compareHref({ a, b, withReference: true })).toBe("/compare?a=r1:actor%201:4&with=reference");
    expect(formatCycleRef(b)).toBe("r2:actor-2");
  });
});
