// Every golden scenario records exactly its fixture, event by event (ids masked; golden-traces.ts).
// A failure names the first event that differs, with both versions.
import { describe, expect, it } from "vitest";
import { goldenLines, goldenScenarios, readGolden } from "./golden-traces";

describe("golden traces", () => {
  it.each(goldenScenarios().map((scenario) => [scenario.name, scenario] as const))("%s records its fixture", (name, scenario) => {
    const expected = readGolden(name);
    const actual = goldenLines(scenario);
    const first = actual.findIndex((line, i) => line !== expected[i]);
    if (first >= 0) expect({ event: first + 1, actual: JSON.parse(actual[first]) }).toEqual({ event: first + 1, actual: expected[first] ? JSON.parse(expected[first]) : null });
    expect(actual.length).toBe(expected.length);
  });
});
