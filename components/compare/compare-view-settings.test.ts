import { describe, expect, it } from "vitest";
import { DEFAULT_COMPARE_SETTINGS, keepCompareSettings, parseCompareSettings, withCompareSettings } from "./compare-view-settings";

describe("compare view settings in the URL", () => {
  it("reads what it writes, and leaves the defaults out", () => {
    const settings = { layout: "stacked" as const, zoom: 1.5, together: false };
    const written = withCompareSettings(new URLSearchParams("a=r1:actor-1:1&b=r2:actor-1:2"), settings);
    expect(written.get("a")).toBe("r1:actor-1:1");
    expect(written.toString()).toContain("layout=stacked&zoom=150&sync=off");
    expect(parseCompareSettings(written)).toEqual(settings);
    expect(withCompareSettings(written, DEFAULT_COMPARE_SETTINGS).toString()).toBe(new URLSearchParams("a=r1:actor-1:1&b=r2:actor-1:2").toString());
    expect(parseCompareSettings(withCompareSettings(new URLSearchParams(), { ...DEFAULT_COMPARE_SETTINGS, zoom: "width" })).zoom).toBe("width");
  });

  it("reads unknown or malformed values as the defaults", () => {
    expect(parseCompareSettings(new URLSearchParams("layout=diagonal&zoom=9999&sync=maybe"))).toEqual(DEFAULT_COMPARE_SETTINGS);
  });

  it("keeps the settings when other cycles are chosen", () => {
    expect(keepCompareSettings("/compare?a=r1:x:1&b=r3:x:4", "?a=r1:x:1&b=r2:x:2&layout=stacked&zoom=75")).toBe("/compare?a=r1:x:1&b=r3:x:4&layout=stacked&zoom=75");
    expect(keepCompareSettings("/compare", "")).toBe("/compare");
  });
});
