import { describe, expect, it } from "vitest";
import { randomHex, seededRandom } from "./random";

const take = (random: () => number, n: number) => Array.from({ length: n }, () => random());

describe("seededRandom", () => {
  it("gives the same sequence for the same seed", () => {
    expect(take(seededRandom(42), 20)).toEqual(take(seededRandom(42), 20));
  });

  it("gives a different sequence for another seed", () => {
    expect(take(seededRandom(1), 5)).not.toEqual(take(seededRandom(2), 5));
  });

  it("stays in [0, 1) and spreads over the range", () => {
    const values = take(seededRandom(7), 2_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = [0, 0, 0, 0];
    for (const v of values) buckets[Math.floor(v * 4)] += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(400);
  });
});

describe("randomHex", () => {
  it("makes lowercase hex ids of the requested length, deterministic for a seed", () => {
    const id = randomHex(seededRandom(3), 8);
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(randomHex(seededRandom(3), 8)).toBe(id);
    expect(randomHex(seededRandom(4), 8)).not.toBe(id);
  });
});
