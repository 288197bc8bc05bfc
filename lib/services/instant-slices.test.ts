// An instant run started through the service (POST /api/runs without a speed) goes in slices: the
// event loop keeps turning while it runs, and it records exactly what the runtime records at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario, runScenario as runOnRuntime } from "@/lib/runtime";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { loadEvents } from "@/lib/store/trace-store";
import type { TraceEvent } from "@/lib/trace/types";
import { runScenario } from "./runs";

let temp: TempDb;
beforeAll(async () => {
  temp = await createTempDb();
});
afterAll(() => temp.cleanup());

const busy = {
  name: "busy",
  durationMs: 3_000,
  config: { timing: { sleepTimeoutMs: 3_600_000 } },
  pools: [{ name: "default", requestLifespan: 3_600 }],
  actors: [{ id: "actor-1" }],
  steps: Array.from({ length: 600 }, (_, i) => ({ at: 10 + i * 2, request: { actor: "actor-1", path: "/" } })),
};

describe("an instant run through the service", () => {
  it("leaves the event loop turning while it runs and records what one advance records", async () => {
    const expected: TraceEvent[] = [];
    runOnRuntime(parseScenario(busy), { seed: 4, sink: (event) => expected.push(event) });

    let turns = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const { run, cycles } = await runScenario(temp.db, { scenario: busy, seed: 4 });
    running = false;

    expect(run).toMatchObject({ status: "finished", eventCount: expected.length });
    expect(cycles).toHaveLength(1);
    expect(turns).toBeGreaterThan(1);
    const stored = await loadEvents(temp.db, run.id);
    expect(stored.map((event) => ({ ...event, cycleId: null }))).toEqual(expected);
  });
});
