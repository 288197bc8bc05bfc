// Benchmark: importing a generated bundle of about 85 MB, each way in a process of its own so its
// memory is its own:
//   - streamed: the file read piece by piece (as `wakeline import` and `POST /api/runs/import` do);
//   - whole text: the file read into one string first, then imported (what both did before);
//   - write path alone: the parsed events written with insertCompleteRun (the store's own speed).
// For each it prints the time, events per second, the longest event-loop stall (the server hosts a
// live engine in the same process) and the peak growth of the process's memory over its start,
// as a ratio to the file's size. Run with `npx tsx scripts/bench-import.ts [MB]`.
// Not a test: nothing here asserts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseScenario, runScenario } from "../lib/runtime";
import { importBundleStream, importBundleText } from "../lib/services/bundles";
import { createTempDb } from "../lib/store/testing/temp-db";
import { insertCompleteRun } from "../lib/store/trace-store";
import { computeCycles } from "../lib/trace/cycles";
import type { RunInfo, TraceBundle, TraceEvent } from "../lib/trace/types";

const MODES = ["streamed", "whole text", "write path alone"] as const;
type Mode = (typeof MODES)[number];

interface Figures {
  ms: number;
  events: number;
  maxStallMs: number;
  peakGrowthBytes: number;
}

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

/** Runs `work`, sampling the loop's longest stall and the process's peak memory meanwhile. */
async function measured(work: () => Promise<number>): Promise<Figures> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  // A timer that ticks throughout, as the live engine's timers do; it samples memory too.
  const ticker = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 5);
  histogram.enable();
  // The histogram counts from its first tick on: let it tick before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const start = performance.now();
  const events = await work();
  const ms = performance.now() - start;
  // One more tick, so a stall at the very end is counted too.
  await new Promise((resolve) => setTimeout(resolve, 10));
  histogram.disable();
  clearInterval(ticker);
  return { ms, events, maxStallMs: histogram.max / 1e6, peakGrowthBytes: peakRss - startRss };
}

/** One mode, in this (child) process: prints its figures as JSON. */
async function child(mode: Mode, file: string): Promise<void> {
  const temp = await createTempDb();
  try {
    let figures: Figures;
    if (mode === "streamed") {
      figures = await measured(async () => (await importBundleStream(temp.db, fs.createReadStream(file))).eventCount);
    } else if (mode === "whole text") {
      figures = await measured(async () => (await importBundleText(temp.db, fs.readFileSync(file, "utf8"))).eventCount);
    } else {
      const bundle = JSON.parse(fs.readFileSync(file, "utf8")) as TraceBundle;
      const run: RunInfo = { ...bundle.run, id: "copy", source: "import" };
      const cycles = bundle.cycles.map((cycle) => ({ ...cycle, id: `copy:${cycle.id}`, runId: "copy" }));
      for (const event of bundle.events) if (event.cycleId) event.cycleId = `copy:${event.cycleId}`;
      figures = await measured(async () => {
        await insertCompleteRun(temp.db, run, bundle.events, cycles);
        return bundle.events.length;
      });
    }
    console.log(JSON.stringify(figures));
  } finally {
    await temp.cleanup();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3] as Mode, process.argv[4]);
  const targetMb = Number(process.argv[2] ?? 85);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-bench-import-"));
  const file = path.join(dir, "bundle.json");
  try {
    // About 630 bytes of pretty-printed bundle per event, ten events per request.
    fs.writeFileSync(file, JSON.stringify(bundleOf(Math.round((targetMb * 1e6) / 6_300)), null, 2));
    const size = fs.statSync(file).size;
    console.log(`bundle of ${(size / 1e6).toFixed(1)} MB`);
    const results = new Map<Mode, Figures>();
    for (const mode of MODES) {
      const ran = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", mode, file], { encoding: "utf8", maxBuffer: 1 << 20 });
      if (ran.status !== 0) throw new Error(`${mode} failed:\n${ran.stderr}`);
      const figures = JSON.parse(ran.stdout.trim().split("\n").pop()!) as Figures;
      results.set(mode, figures);
      console.log(
        `${mode.padEnd(17)} ${(figures.ms / 1000).toFixed(2).padStart(7)} s   ${Math.round(figures.events / (figures.ms / 1000)).toLocaleString("en").padStart(9)} events/s` +
          `   longest stall ${figures.maxStallMs.toFixed(1).padStart(6)} ms   memory ${(figures.peakGrowthBytes / 1e6).toFixed(0).padStart(5)} MB (×${(figures.peakGrowthBytes / size).toFixed(2)} of the file)`,
      );
    }
    const streamed = results.get("streamed")!;
    console.log(`streamed against the write path alone: time ×${(streamed.ms / results.get("write path alone")!.ms).toFixed(2)}`);
    console.log(`streamed against the whole text: memory ×${(streamed.peakGrowthBytes / results.get("whole text")!.peakGrowthBytes).toFixed(2)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
