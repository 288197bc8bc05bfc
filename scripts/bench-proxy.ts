// Benchmark: the latency the recording proxy adds to warm gateway requests to a real engine
// (the npm package's rivet-engine, on free loopback ports). Three paths to two running actors, in
// the same process and run, requests interleaved so load affects them alike:
//   direct    user → engine → runner                (runner connected straight to the engine)
//   gateway   user → proxy → engine → runner        (only the user's hop recorded)
//   recorded  user → proxy → engine → proxy → runner (both hops recorded: how `wakeline record` runs)
// Prints p50/p95 per path, and the recorded path against direct as a ratio and in ms.
// Run with `npm run bench:proxy [-- requests]`. Not a test: nothing here asserts.
import type { Runner } from "@rivetkit/engine-runner";
import { startRecording } from "../lib/proxy/recording";
import { startRealEngine } from "../lib/proxy/testing/real-engine";
import { waitFor } from "../lib/proxy/testing/wait";
import { createTempDb } from "../lib/store/testing/temp-db";

const REQUESTS = Number(process.argv[2] ?? 400);
const WARM_UP = 50;

async function startRunner(endpoint: string, runnerName: string, started: Set<string>): Promise<Runner> {
  const { Runner: RunnerClass } = await import("@rivetkit/engine-runner");
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const runner = new RunnerClass({
    version: 1,
    endpoint,
    namespace: "default",
    runnerName,
    totalSlots: 10,
    prepopulateActorNames: {},
    noAutoShutdown: true,
    onConnected: () => connected(),
    onDisconnected: () => {},
    onShutdown: () => {},
    fetch: async () => new Response("ok", { status: 200, headers: { "content-type": "text/plain" } }),
    websocket: async () => {},
    hibernatableWebSocket: { canHibernate: () => false },
    onActorStart: async (actorId) => {
      started.add(actorId);
    },
    onActorStop: async () => {},
  });
  await runner.start();
  await ready;
  return runner;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed(url: string): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await fetch(url);
  await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main() {
  const [engine, temp] = await Promise.all([startRealEngine(), createTempDb()]);
  const recording = await startRecording(temp.db, { engineUrl: engine.url });
  const started = new Set<string>();
  const runners = [await startRunner(engine.url, "bench-direct", started), await startRunner(recording.proxy.url, "bench-recorded", started)];
  try {
    const create = async (pool: string) => {
      const created = await engine.api("POST", "/actors?namespace=default", { name: "bench", key: pool, runner_name_selector: pool, crash_policy: "sleep" });
      const actorId: string = created.body.actor.actor_id;
      await waitFor(`actor on ${pool}`, () => started.has(actorId), 30_000);
      return actorId;
    };
    const [direct, recorded] = [await create("bench-direct"), await create("bench-recorded")];
    const paths = {
      direct: `${engine.url}/gateway/${direct}/`,
      gateway: `${recording.proxy.url}/gateway/${direct}/`,
      recorded: `${recording.proxy.url}/gateway/${recorded}/`,
    };
    const samples: Record<keyof typeof paths, number[]> = { direct: [], gateway: [], recorded: [] };
    for (let i = 0; i < WARM_UP; i++) for (const url of Object.values(paths)) await timed(url);
    const eventsBefore = recording.recorder.lastSeq;
    for (let i = 0; i < REQUESTS; i++) {
      for (const name of Object.keys(paths) as (keyof typeof paths)[]) samples[name].push(await timed(paths[name]));
    }
    const eventsPerRequest = (recording.recorder.lastSeq - eventsBefore) / (REQUESTS * 2);
    const stats = Object.fromEntries(
      Object.entries(samples).map(([name, values]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return [name, { p50: percentile(sorted, 50), p95: percentile(sorted, 95) }];
      }),
    ) as Record<keyof typeof paths, { p50: number; p95: number }>;
    console.log(`real engine ${recording.metadata.version}, ${REQUESTS} warm requests per path (after ${WARM_UP} each), interleaved`);
    for (const [name, { p50, p95 }] of Object.entries(stats)) console.log(`${name.padEnd(9)} p50 ${p50.toFixed(2).padStart(7)} ms   p95 ${p95.toFixed(2).padStart(7)} ms`);
    const against = (name: "recorded" | "gateway") => {
      const part = (p: "p50" | "p95") => {
        const added = stats[name][p] - stats.direct[p];
        return `${p} ×${(stats[name][p] / stats.direct[p]).toFixed(2)} (${added >= 0 ? "+" : "−"}${Math.abs(added).toFixed(2)} ms)`;
      };
      return `${name.padEnd(8)} vs direct: ${part("p50")}, ${part("p95")}`;
    };
    console.log(against("recorded"));
    console.log(against("gateway"));
    console.log(`${eventsPerRequest.toFixed(1)} events recorded per request through the proxy`);
  } finally {
    await Promise.all(runners.map((runner) => runner.shutdown(true).catch(() => undefined)));
    await recording.stop().catch(() => undefined);
    await engine.stop();
    await temp.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
