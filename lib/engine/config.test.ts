import { describe, expect, it } from "vitest";
import { DEFAULT_POOL, DEFAULT_TIMING, backoffMs, desiredRunners, engineConfig, type PoolConfig } from "./config";

const pool = (overrides: Partial<PoolConfig>): PoolConfig => ({ ...DEFAULT_POOL, ...overrides });

describe("desiredRunners", () => {
  // min(max(margin + ceil(slots / slotsPerRunner), minRunners), maxRunners)
  it.each([
    { name: "nothing wanted", slots: 0, per: 1, margin: 0, min: 0, max: 10, expected: 0 },
    { name: "one slot per runner", slots: 3, per: 1, margin: 0, min: 0, max: 10, expected: 3 },
    { name: "slots round up to whole runners", slots: 3, per: 2, margin: 0, min: 0, max: 10, expected: 2 },
    { name: "exact multiple", slots: 4, per: 2, margin: 0, min: 0, max: 10, expected: 2 },
    { name: "margin adds spare runners", slots: 1, per: 1, margin: 2, min: 0, max: 10, expected: 3 },
    { name: "margin applies with no demand", slots: 0, per: 1, margin: 1, min: 0, max: 10, expected: 1 },
    { name: "minimum wins over low demand", slots: 1, per: 1, margin: 0, min: 3, max: 10, expected: 3 },
    { name: "maximum caps demand", slots: 50, per: 1, margin: 0, min: 0, max: 4, expected: 4 },
    { name: "maximum caps margin too", slots: 3, per: 1, margin: 5, min: 0, max: 6, expected: 6 },
    { name: "maximum wins over minimum", slots: 0, per: 1, margin: 0, min: 5, max: 2, expected: 2 },
    { name: "negative counters count as none", slots: -2, per: 1, margin: 0, min: 0, max: 10, expected: 0 },
  ])("$name", ({ slots, per, margin, min, max, expected }) => {
    expect(desiredRunners(pool({ slotsPerRunner: per, runnersMargin: margin, minRunners: min, maxRunners: max }), slots)).toBe(expected);
  });
});

describe("backoffMs", () => {
  const timing = DEFAULT_TIMING;

  it("retries the first time at once, without jitter", () => {
    expect(backoffMs(0, timing, () => 0.99)).toBe(0);
  });

  it("doubles from the base and adds up to the jitter", () => {
    expect(backoffMs(1, timing, () => 0)).toBe(2_000);
    expect(backoffMs(2, timing, () => 0)).toBe(4_000);
    expect(backoffMs(3, timing, () => 0)).toBe(8_000);
    expect(backoffMs(2, timing, () => 0.999)).toBe(4_000 + 499);
    expect(backoffMs(2, timing, () => 0.5)).toBe(4_250);
  });

  it("never exceeds the cap, jitter included", () => {
    expect(backoffMs(9, timing, () => 0)).toBe(512_000);
    expect(backoffMs(10, timing, () => 0.999)).toBe(512_000);
    expect(backoffMs(40, timing, () => 0.5)).toBe(512_000);
    expect(backoffMs(2, { ...timing, backoffMaxMs: 3_000 }, () => 0.5)).toBe(3_000);
  });
});

describe("engineConfig", () => {
  it("keeps the defaults for what is not given and merges nested overrides", () => {
    const config = engineConfig({ timing: { actorReadyTimeoutMs: 500 }, latency: { hops: { "Gateway>ActorWorkflow": 7 } } });
    expect(config.timing.actorReadyTimeoutMs).toBe(500);
    expect(config.timing.runnerLostThresholdMs).toBe(15_000);
    expect(config.latency.hops["Gateway>ActorWorkflow"]).toBe(7);
    expect(config.latency.processingMs.ActorWorkflow).toBe(20);
    expect(config.pools).toEqual([DEFAULT_POOL]);
    expect(config.goingAwayOnDrain).toBe(false);
  });
});
