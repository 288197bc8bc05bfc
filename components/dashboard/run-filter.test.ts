import { describe, expect, it } from "vitest";
import { NO_FILTER, parseRunFilter, runFilterHref, runListSearch } from "./run-filter";

describe("run filter in the URL", () => {
  it("reads what it knows and ignores the rest", () => {
    expect(parseRunFilter({ name: "  messy ", source: "import", since: "24h" })).toEqual({ name: "messy", source: "import", since: "24h" });
    expect(parseRunFilter({ source: "files", since: "forever", name: ["a", "b"] })).toEqual({ name: "a", source: null, since: null });
    expect(parseRunFilter(new URLSearchParams(""))).toEqual(NO_FILTER);
  });

  it("writes only what is set, and reads back the same filter", () => {
    expect(runFilterHref(NO_FILTER)).toBe("/");
    const filter = { name: "a b&c", source: "scenario" as const, since: "7d" as const };
    const href = runFilterHref(filter);
    expect(href).toBe("/?name=a+b%26c&source=scenario&since=7d");
    expect(parseRunFilter(new URL(href, "http://x").searchParams)).toEqual(filter);
  });

  it("turns a time window into the instant it starts at, seen from now", () => {
    const now = new Date("2026-05-10T12:00:00.000Z");
    const params = runListSearch({ name: "", source: null, since: "1h" }, 50, now);
    expect(Object.fromEntries(params)).toEqual({ limit: "50", since: "2026-05-10T11:00:00.000Z" });
  });
});
