import { describe, expect, it } from "vitest";
import { anchoredScroll, clampZoom, formatZoom, MAX_FIT_ZOOM, MAX_ZOOM, MIN_ZOOM, parseZoom, resolveZoom, stepZoom, wheelZoom, zoomText } from "./zoom";

describe("zoom", () => {
  it("resolves fixed scales and fits against the room on screen", () => {
    const natural = { width: 2000, height: 4000 };
    expect(resolveZoom(1.5, natural, null)).toBe(1.5);
    expect(resolveZoom(99, natural, null)).toBe(MAX_ZOOM);
    expect(resolveZoom("width", natural, { width: 1000, height: 500 })).toBe(0.5);
    expect(resolveZoom("page", natural, { width: 1000, height: 500 })).toBe(0.125);
    // A small drawing is not blown up without end.
    expect(resolveZoom("width", { width: 100, height: 100 }, { width: 1000, height: 1000 })).toBe(MAX_FIT_ZOOM);
    // Before the drawing or the frame is measured, a fit is 100%.
    expect(resolveZoom("page", null, { width: 1000, height: 500 })).toBe(1);
  });

  it("steps in and out, stopping at 100% on the way, within bounds", () => {
    expect(stepZoom(1, 1)).toBe(1.25);
    expect(stepZoom(1, -1)).toBe(0.8);
    expect(stepZoom(0.9, 1)).toBe(1);
    expect(stepZoom(1.1, -1)).toBe(1);
    expect(stepZoom(MAX_ZOOM, 1)).toBe(MAX_ZOOM);
    expect(stepZoom(MIN_ZOOM, -1)).toBe(MIN_ZOOM);
    expect(clampZoom(Number.NaN)).toBe(1);
  });

  it("zooms in on a wheel turned up (or a pinch out), out on one turned down", () => {
    expect(wheelZoom(1, -100)).toBeGreaterThan(1);
    expect(wheelZoom(1, 100)).toBeLessThan(1);
    expect(wheelZoom(1, 100) * wheelZoom(1, -100)).toBeCloseTo(1);
    expect(wheelZoom(MIN_ZOOM, 10_000)).toBe(MIN_ZOOM);
  });

  it("keeps the point under the pointer in place", () => {
    // At 1×, the point 300 px into the drawing is under the pointer (scroll 200, pointer at 100).
    const next = anchoredScroll(200, 100, 1, 2);
    expect((next + 100) / 2).toBe(300);
    expect(anchoredScroll(0, 0, 1, 0.5)).toBe(0);
    // With padding before the drawing.
    expect(anchoredScroll(216, 100, 1, 2, 16)).toBe(2 * 300 + 16 - 100);
  });

  it("writes and reads URL values", () => {
    expect(formatZoom(1.5)).toBe("150");
    expect(formatZoom("width")).toBe("width");
    expect(parseZoom("150")).toBe(1.5);
    expect(parseZoom("page")).toBe("page");
    expect(parseZoom("100")).toBeNull();
    expect(parseZoom("1.5")).toBeNull();
    expect(parseZoom("1000")).toBeNull();
    expect(parseZoom(null)).toBeNull();
    expect(zoomText(0.805)).toBe("81%");
  });
});
