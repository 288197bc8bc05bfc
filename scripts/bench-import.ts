// Benchmark: imports a generated bundle of about 85 MB (as `POST /api/runs/import` receives it: the
// JSON text) and prints the longest event-loop stall seen meanwhile, measured with
// perf_hooks.monitorEventLoopDelay. The server hosts a live engine in the same process, so an
// import must not hold the loop for long. Run with `npx tsx scripts/bench-import.ts [MB]`.
// Not a test: nothing here asserts.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseScenario, runScenario } from "../lib/runtime";
import { importBundleText, readBundle } from "../lib/services/bundles";
import { parseJsonInSlices } from "../lib/services/sliced-json";
import { createTempDb } from "../lib/store/testing/temp-db";
import { insertCompleteRun } from "../lib/store/trace-store";
import { computeCycles } from "../lib/trace/cycles";
import type { TraceBundle, TraceEvent } from "../lib/trace/types";

/** A recorded run of `requests` requests to one actor that stays awake, as an exported bundle. */
function bundleOf(requests: number): TraceBundle {
  const scenario = parseScenario({
    name: "bench-import",
    durationMs: requests * 2 + 1_000,
    config: { timing: { sleepTimeoutMs: 3_600_000 } },
    pools: [{ name: "default", requestLifespan: 3_600 }],
    actors: [{ id: "actor-1" }],
    steps: Array.from({ length: requests }, (_, i) => ({ at: 10 + i * 2, request: { actor: "actor-1", path: "/" } })),
  });
  const events: TraceEvent[] = [];
  runScenario(scenario, { seed: 1, sink: (event) => events.push(event) });
  const { cycles, cycleOf } = computeCycles("bench", events);
  for (const event of events) event.cycleId = cycleOf.get(event.seq) ?? null;
  const now = new Date().toISOString();
  return {
    format: "wakeline-bundle",
    version: 1,
    run: { id: "bench", name: "bench-import", source: "scenario", seed: 1, config: null, status: "finished", error: null, eventCount: events.length, startedAt: now, endedAt: now },
    events,
    cycles,
  };
}

/** Runs `work` and returns how long it took and the longest event-loop stall meanwhile. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; maxStallMs: number; p99StallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  // A timer that ticks throughout, as the live engine's timers do.
  const ticker = setInterval(() => undefined, 5);
  histogram.enable();
  // The histogram counts from its first tick on: let it tick before the work starts (a reset
  // would skip the next delay, so none is done).
  await new Promise((resolve) => setTimeout(resolve, 50));
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  // One more tick, so a stall at the very end is counted too.
  await new Promise((resolve) => setTimeout(resolve, 10));
  histogram.disable();
  clearInterval(ticker);
  return { value, ms, maxStallMs: histogram.max / 1e6, p99StallMs: histogram.percentile(99) / 1e6 };
}

async function main() {
  const targetMb = Number(process.argv[2] ?? 85);
  // About 630 bytes of pretty-printed bundle per event, ten events per request.
  const text = JSON.stringify(bundleOf(Math.round((targetMb * 1e6) / 6_300)), null, 2);
  const temp = await createTempDb();
  try {
    const figures = (what: string, m: { ms: number; maxStallMs: number; p99StallMs: number }) =>
      console.log(`${what.padEnd(26)} ${(m.ms / 1000).toFixed(2).padStart(7)} s   longest event-loop stall ${m.maxStallMs.toFixed(1).padStart(8)} ms   p99 ${m.p99StallMs.toFixed(1)} ms`);
    console.log(`bundle of ${(text.length / 1e6).toFixed(1)} MB`);
    // What POST /api/runs/import does, in its two parts, then as one call.
    const prepared = await measured(async () => readBundle(await parseJsonInSlices(text, new Set(["events", "cycles"]))));
    figures("parse + validate", prepared);
    const { run, events, cycles } = prepared.value;
    figures("write (insertCompleteRun)", await measured(() => insertCompleteRun(temp.db, run, events, cycles)));
    const whole = await measured(() => importBundleText(temp.db, text));
    figures(`importBundleText (${whole.value.eventCount} events)`, whole);
  } finally {
    await temp.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
