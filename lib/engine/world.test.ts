import { describe, expect, it } from "vitest";
import { adjustDesiredSlots, emptyWorld, enqueuePending, inAllocationIndex, pickRunner, removePending, type RunnerRecord, type World } from "./world";

const FRESH_MS = 10_000;

function runner(runnerId: string, overrides: Partial<RunnerRecord> = {}): RunnerRecord {
  return {
    runnerId,
    name: "default",
    runnerKey: `key-${runnerId}`,
    version: 1,
    totalSlots: 2,
    freeSlots: 2,
    lastPingAt: 0,
    connId: `${runnerId}/ws-1`,
    processId: runnerId,
    draining: false,
    alive: true,
    disconnectedAt: null,
    actorIds: new Set(),
    ...overrides,
  };
}

function worldWith(...runners: RunnerRecord[]): World {
  const world = emptyWorld();
  for (const r of runners) world.runners.set(r.runnerId, r);
  return world;
}

describe("allocation index", () => {
  it("holds a connected, live, non-draining runner with a free slot and a fresh ping", () => {
    expect(inAllocationIndex(runner("r1"), FRESH_MS, FRESH_MS)).toBe(true);
  });

  it.each([
    { why: "no free slot", overrides: { freeSlots: 0 } },
    { why: "draining", overrides: { draining: true } },
    { why: "disconnected", overrides: { connId: null } },
    { why: "ended", overrides: { alive: false } },
  ])("leaves out a runner that is $why", ({ overrides }) => {
    expect(inAllocationIndex(runner("r1", overrides), 0, FRESH_MS)).toBe(false);
  });

  it("leaves out a runner whose last ping is older than the freshness window", () => {
    expect(inAllocationIndex(runner("r1", { lastPingAt: 0 }), FRESH_MS + 1, FRESH_MS)).toBe(false);
  });

  it("picks the highest version first, then the runner with most free slots", () => {
    const world = worldWith(runner("old-roomy", { version: 1, freeSlots: 5, totalSlots: 5 }), runner("new-tight", { version: 2, freeSlots: 1 }), runner("new-roomy", { version: 2, freeSlots: 2 }));
    expect(pickRunner(world, "default", 0, FRESH_MS)?.runnerId).toBe("new-roomy");
  });

  it("only picks runners of the requested name, and none when nothing fits", () => {
    const world = worldWith(runner("other", { name: "gpu" }), runner("full", { freeSlots: 0 }));
    expect(pickRunner(world, "default", 0, FRESH_MS)).toBeNull();
    expect(pickRunner(world, "gpu", 0, FRESH_MS)?.runnerId).toBe("other");
  });
});

describe("pending queue and desired slots", () => {
  it("queues each actor once, first in first out, and removes on request", () => {
    const world = emptyWorld();
    enqueuePending(world, "default", "a");
    enqueuePending(world, "default", "b");
    enqueuePending(world, "default", "a");
    expect(world.pending.get("default")).toEqual(["a", "b"]);
    expect(removePending(world, "default", "a")).toBe(true);
    expect(removePending(world, "default", "a")).toBe(false);
    expect(world.pending.get("default")).toEqual(["b"]);
  });

  it("never lets the desired-slot counter go below zero", () => {
    const world = emptyWorld();
    expect(adjustDesiredSlots(world, "default", 2)).toBe(2);
    expect(adjustDesiredSlots(world, "default", -5)).toBe(0);
    expect(adjustDesiredSlots(world, "default", 1)).toBe(1);
  });
});
