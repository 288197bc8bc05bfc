// Benchmark of the live engine on the wall clock. Not a test: nothing here asserts; it prints figures.
// Starts the real server in this process (engine only, a temporary database), then:
//  1. memory: N wake/sleep cycles of the demo actor through the gateway over HTTP keep-alive, with
//     RSS and heap used sampled every N/10 cycles (after a full GC when run with --expose-gc), and
//     the growth per 10,000 cycles after the warm-up (the first fifth of the cycles, while the
//     JIT compiles): the least-squares slope of the later samples, and their first-to-last change;
//  2. blocking: event-loop delay (perf_hooks.monitorEventLoopDelay) and the latency of a loop of
//     gateway requests while (a) one runner frame of 100,000 events arrives over a real runner
//     WebSocket, (b) a scenario of 20,000 requests runs paced at the fastest speed and (c) the same
//     scenario runs instant, as POST /api/runs starts them; each against an idle window measured
//     just before it, as a ratio and in milliseconds. A scenario run is shown in two parts: running
//     (until its last event is committed) and finishing (cycles computed and stored); (d) a bundle
//     of about 85 MB imported as POST /api/runs/import does it (`--import-mb N`, 0 skips it).
// Run with `npm run bench:live -- [--cycles N] [--events N] [--requests N] [--only memory|loop]`.
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { WebSocket } from "ws";
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { startServer, type RunningServer } from "../server";
import { onCommitted } from "../lib/recorder/commit-bus";
import { parseScenario, runScenario as runOnRuntime } from "../lib/runtime";
import { MAX_SPEED, pacedRunFinished, startPacedRun } from "../lib/services/paced-runs";
import { runScenario } from "../lib/services/runs";
import { importBundleText } from "../lib/services/bundles";
import { computeCycles } from "../lib/trace/cycles";
import type { TraceBundle, TraceEvent } from "../lib/trace/types";
import { createTempDb } from "../lib/store/testing/temp-db";
import { codec } from "../lib/transport/codec";
import type { Db } from "../lib/store/db";
import { busyScenarioInput } from "./bench-scenarios";
import { keepAliveGet } from "./bench-timing";

interface Options {
  cycles: number;
  events: number;
  requests: number;
  importMb: number;
  only: "memory" | "loop" | null;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { cycles: 10_000, events: 100_000, requests: 20_000, importMb: 85, only: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--only" && (value === "memory" || value === "loop")) options.only = value;
    else if (flag === "--cycles" || flag === "--events" || flag === "--requests") {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} needs a whole number ≥ 1, not ${String(value)}`);
      options[flag.slice(2) as "cycles" | "events" | "requests"] = n;
    } else if (flag === "--import-mb") {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number ≥ 0, not ${String(value)}`);
      options.importMb = n;
    } else throw new Error(`unknown argument ${flag} (use --cycles N, --events N, --requests N, --import-mb N, --only memory|loop)`);
    i += 1;
  }
  return options;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const ms = (ns: number) => ns / 1e6;

// ── the gateway over HTTP keep-alive ─────────────────────────────────────────

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

const get = (base: string, path: string) => keepAliveGet(agent, base, path);

/** Resolves when the demo actor is in `state`, checked after every engine step. */
function actorState(server: RunningServer) {
  const waiters = new Set<{ state: string; resolve: () => void }>();
  server.session.driver.onAfterStep(() => {
    const state = server.session.runtime.world.actors.get("demo")?.state;
    for (const waiter of waiters) {
      if (waiter.state !== state) continue;
      waiters.delete(waiter);
      waiter.resolve();
    }
  });
  return (state: string) => new Promise<void>((resolve) => waiters.add({ state, resolve }));
}

// ── 1. memory over wake/sleep cycles ─────────────────────────────────────────

function sample(): { rss: number; heap: number } {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

async function memory(server: RunningServer, cycles: number): Promise<void> {
  const whenIn = actorState(server);
  const every = Math.max(1, Math.round(cycles / 10));
  console.log(`1. memory over ${cycles} wake/sleep cycles (sample every ${every}${globalThis.gc ? ", after a full GC" : "; run with --expose-gc for exact heap figures"})`);
  console.log(`${"cycles".padStart(8)} ${"RSS MiB".padStart(9)} ${"heap MiB".padStart(9)} ${"cycles/s".padStart(9)}`);
  const samples: { cycle: number; rss: number; heap: number }[] = [];
  let last = performance.now();
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const woke = await get(server.url, "/gateway/demo/");
    const slept = await get(server.url, "/gateway/demo/sleep");
    if (woke !== 200 || slept !== 200) throw new Error(`cycle ${cycle}: the gateway answered ${woke} and ${slept}`);
    await whenIn("Sleeping");
    if (cycle % every === 0 || cycle === cycles) {
      await server.session.flush();
      const now = performance.now();
      const s = { cycle, ...sample() };
      samples.push(s);
      console.log(`${String(cycle).padStart(8)} ${mib(s.rss).padStart(9)} ${mib(s.heap).padStart(9)} ${((every / (now - last)) * 1000).toFixed(0).padStart(9)}`);
      last = performance.now();
    }
  }
  const later = samples.filter((s) => s.cycle >= cycles * 0.2);
  if (later.length >= 2) {
    const warm = later[0];
    const end = later.at(-1)!;
    const per = 10_000 / (end.cycle - warm.cycle);
    const rss = slope(later.map((s) => [s.cycle, s.rss])) * 10_000;
    const heap = slope(later.map((s) => [s.cycle, s.heap])) * 10_000;
    console.log(`growth after warm-up (cycles ${warm.cycle} → ${end.cycle}), per 10,000 cycles:`);
    console.log(`  slope        RSS ${mib(rss).padStart(7)} MiB  heap ${mib(heap).padStart(7)} MiB  (heap ${(heap / 10_000 / 1024).toFixed(2)} KiB per cycle)`);
    console.log(`  first→last   RSS ${mib((end.rss - warm.rss) * per).padStart(7)} MiB  heap ${mib((end.heap - warm.heap) * per).padStart(7)} MiB`);
  }
  console.log(`engine: ${server.session.runtime.eventCount} events recorded\n`);
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

// ── 2. event-loop delay while heavy work runs ────────────────────────────────

interface Window {
  loopP99: number;
  loopMax: number;
  /** Longest time a 5 ms interval timer waited past its due time (a stall the histogram may not sample). */
  stallMax: number;
  requests: number;
  /** Gateway requests that failed (reset, refused) or did not answer 200. */
  failures: number;
  latencyP99: number;
  latencyMax: number;
  wallMs: number;
}

/** One measured stretch: the event loop's delay and the gateway requests that completed in it. */
class Part {
  private readonly histogram = monitorEventLoopDelay({ resolution: 5 });
  private readonly latencies: number[] = [];
  private failures = 0;
  private readonly started = performance.now();
  private ended = 0;
  private stallMax = 0;
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor() {
    this.histogram.enable();
    let last = performance.now();
    this.ticker = setInterval(() => {
      const now = performance.now();
      this.stallMax = Math.max(this.stallMax, now - last - 5);
      last = now;
    }, 5);
  }

  request(latencyMs: number, ok: boolean): void {
    this.latencies.push(latencyMs);
    if (!ok) this.failures += 1;
  }

  end(): void {
    this.ended = performance.now();
    this.histogram.disable();
    clearInterval(this.ticker);
  }

  window(): Window {
    const latencies = [...this.latencies].sort((a, b) => a - b);
    return {
      loopP99: ms(this.histogram.percentile(99)),
      loopMax: ms(this.histogram.max),
      stallMax: this.stallMax,
      requests: latencies.length,
      failures: this.failures,
      latencyP99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
      latencyMax: latencies.at(-1) ?? 0,
      wallMs: this.ended - this.started,
    };
  }
}

/**
 * Runs `work` while measuring the event loop's delay and a loop of gateway requests' latency.
 * `work` may call `mark()` once: what follows is measured as a second part.
 */
async function measure(server: RunningServer, work: (mark: () => void) => Promise<unknown>): Promise<[Window, Window | null]> {
  const parts = [new Part()];
  let running = true;
  const requests = (async () => {
    while (running) {
      const started = performance.now();
      const status = await get(server.url, "/gateway/demo/").catch(() => 0);
      parts.at(-1)!.request(performance.now() - started, status === 200);
    }
  })();
  try {
    await work(() => {
      if (parts.length > 1) return;
      parts[0].end();
      parts.push(new Part());
    });
  } finally {
    running = false;
  }
  // A stall that lasted to the end is sampled by the histogram's next timer turn.
  await new Promise((resolve) => setTimeout(resolve, 20));
  parts.at(-1)!.end();
  await requests;
  return [parts[0].window(), parts[1]?.window() ?? null];
}

/** The baseline: the same request loop with nothing else running (after the last phase's garbage is gone). */
async function idle(server: RunningServer, wallMs: number): Promise<Window> {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return (await measure(server, () => new Promise((resolve) => setTimeout(resolve, wallMs))))[0];
}

/** Marks the end of a run's recording: its last event committed (the finish follows). */
function whenAllCommitted(runId: string, lastSeq: number, mark: () => void): void {
  const stop = onCommitted(runId, (notice) => {
    if (notice.lastSeq < lastSeq) return;
    stop();
    mark();
  });
}

function report(name: string, base: Window, load: Window): void {
  const ratio = (a: number, b: number) => `×${(a / Math.max(b, 0.001)).toFixed(1)}`;
  const failed = load.failures > 0 ? `, ${load.failures} failed` : "";
  console.log(`${name} (${(load.wallMs / 1000).toFixed(1)} s, ${load.requests} gateway requests${failed})`);
  console.log(
    `  event-loop delay p99 ${load.loopP99.toFixed(1)} ms (idle ${base.loopP99.toFixed(1)} ms, ${ratio(load.loopP99, base.loopP99)}), max ${load.loopMax.toFixed(1)} ms, longest stall ${load.stallMax.toFixed(0)} ms (idle ${base.stallMax.toFixed(0)} ms)`,
  );
  console.log(`  gateway latency  p99 ${load.latencyP99.toFixed(1)} ms (idle ${base.latencyP99.toFixed(1)} ms, ${ratio(load.latencyP99, base.latencyP99)}), max ${load.latencyMax.toFixed(1)} ms`);
}

/** A raw runner on the runner WebSocket: init, pongs, and a count of the acks it receives. */
function rawRunner(server: RunningServer): Promise<{ sendBytes(frame: Uint8Array): void; acks(n: number): Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/runners/connect?protocol_version=7&namespace=default&runner_key=bench-frame`, ["rivet"]);
    let acked = 0;
    let want: { n: number; resolve: () => void } | null = null;
    const send = (frame: protocol.ToServer) => ws.send(codec().encodeToServer(frame));
    ws.on("message", (data: Buffer) => {
      const frame = codec().decodeToClient(new Uint8Array(data));
      if (frame.tag === "ToClientPing") send({ tag: "ToServerPong", val: { ts: frame.val.ts } });
      if (frame.tag === "ToClientAckEvents") acked += 1;
      if (frame.tag === "ToClientInit") resolve({ sendBytes: (bytes) => ws.send(bytes), acks: (n) => new Promise((done) => (want = { n, resolve: done })), close: () => ws.close() });
      if (want && acked >= want.n) {
        want.resolve();
        want = null;
      }
    });
    ws.once("open", () => send({ tag: "ToServerInit", val: { name: "bench-frame", version: 1, totalSlots: 1, prepopulateActorNames: null, metadata: null } }));
    ws.once("error", reject);
  });
}

const busyScenario = (requests: number) => busyScenarioInput("bench-live-busy", requests);

async function blocking(server: RunningServer, db: Db, options: Options): Promise<void> {
  console.log("2. event-loop delay and gateway latency under heavy work");
  if ((await get(server.url, "/gateway/demo/")) !== 200) throw new Error("the demo actor did not wake");
  await idle(server, 500); // warm-up

  const runner = await rawRunner(server);
  const scenario = busyScenario(options.requests);
  let expected = 0;
  runOnRuntime(parseScenario(scenario), { seed: 1, sink: () => (expected += 1) });

  // Encoded before the measurement: only the engine's work is measured.
  const bytes = codec().encodeToServer({
    tag: "ToServerEvents",
    val: Array.from({ length: options.events }, (_, i) => ({
      checkpoint: { actorId: "bench-frame-actor", generation: 1, index: BigInt(i) },
      inner: { tag: "EventActorSetAlarm" as const, val: { alarmTs: BigInt(1_000 + i) } },
    })),
  });
  let base = await idle(server, 2_000);
  const [framed] = await measure(server, async () => {
    const acked = runner.acks(options.events);
    runner.sendBytes(bytes);
    await acked;
    await server.session.flush();
  });
  report(`(a) one runner frame of ${options.events} events (${mib(bytes.length)} MiB)`, base, framed);
  runner.close();

  const runs = `a scenario of ${options.requests} requests (${expected} events)`;
  base = await idle(server, 2_000);
  const paced = await measure(server, async (mark) => {
    const { run } = await startPacedRun(db, { scenario, speed: MAX_SPEED });
    whenAllCommitted(run.id, expected, mark);
    await pacedRunFinished(run.id);
  });
  report(`(b) ${runs}, paced at ${MAX_SPEED}×: running`, base, paced[0]);
  if (paced[1]) report(`    … then finishing (cycles computed and stored)`, base, paced[1]);

  base = await idle(server, 2_000);
  const instant = await measure(server, async (mark) => {
    let settled = false;
    const finished = runScenario(db, { scenario }).finally(() => (settled = true));
    // The service answers once the run is finished: find its row to follow its commits.
    while (!settled) {
      const row = await db.run.findFirst({ where: { name: scenario.name, status: "running" }, select: { id: true } });
      if (row) {
        whenAllCommitted(row.id, expected, mark);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await finished;
  });
  report(`(c) ${runs}, instant: running`, base, instant[0]);
  if (instant[1]) report(`    … then finishing (cycles computed and stored)`, base, instant[1]);

  if (options.importMb > 0) {
    // About 630 bytes of pretty-printed bundle per event, ten events per request; built beforehand.
    const text = JSON.stringify(bundleOf(Math.round((options.importMb * 1e6) / 6_300)), null, 2);
    base = await idle(server, 2_000);
    const [imported] = await measure(server, () => importBundleText(db, text));
    report(`(d) importing a bundle of ${(text.length / 1e6).toFixed(0)} MB`, base, imported);
  }
}

/** An exported run of the busy scenario, as a bundle. */
function bundleOf(requests: number): TraceBundle {
  const events: TraceEvent[] = [];
  runOnRuntime(parseScenario(busyScenario(requests)), { seed: 1, sink: (event) => events.push(event) });
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

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const temp = await createTempDb();
  const server = await startServer({
    port: 0,
    hostname: "127.0.0.1",
    ui: false,
    databaseUrl: temp.url,
    // The demo actor sleeps only when asked (GET /sleep); a drained runner goes away at once.
    demoSleepTimeoutMs: 3_600_000,
    engine: { defaultPool: { drainGracePeriod: 0 } },
  });
  console.log(`Wakeline live benchmark — node ${process.version}, engine on ${server.url}\n`);
  try {
    if (options.only !== "loop") await memory(server, options.cycles);
    if (options.only !== "memory") await blocking(server, temp.db, options);
  } finally {
    agent.destroy();
    await server.close();
    await temp.cleanup();
  }
}

main().catch((error) => {
  console.error(`bench-live: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
