// Benchmark: what recording costs the live server. Two real servers in this process (engine only,
// a temporary database each) serve warm gateway requests to their awake demo actor in alternating
// phases: one records every event of its live run, the other has recording switched off (its
// session's recorder takes the events and drops them, from the start). Prints the process CPU per request in each, and recording's cost as
// a multiple of the CPU of serving the request with recording off ((on − off) / off), and the
// throughput ratio. Run with `npx tsx scripts/bench-live-recording.ts [requests per phase, 2000]`.
// Not a test: nothing here asserts.
import http from "node:http";
import { startServer, type RunningServer } from "../server";
import { createTempDb } from "../lib/store/testing/temp-db";
import { keepAliveGet, median } from "./bench-timing";

const PER_PHASE = Number(process.argv[2] ?? 2_000);
const ROUNDS = 3;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const get = (base: string, path: string) => keepAliveGet(agent, base, path);

/** Serves `count` requests one after another; CPU µs and wall ms per request, the writes included. */
async function phase(server: RunningServer, count: number): Promise<{ cpuUs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const status = await get(server.url, "/gateway/demo/");
    if (status !== 200) throw new Error(`the gateway answered ${status}`);
  }
  await server.session.flush();
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / count, wallMs: (performance.now() - start) / count };
}

/** A server of its own database; with `recording` false its recorder drops every event. */
async function serverWith(recording: boolean): Promise<{ server: RunningServer; cleanup(): Promise<void> }> {
  const temp = await createTempDb();
  const server = await startServer({ port: 0, hostname: "127.0.0.1", ui: false, databaseUrl: temp.url, demoSleepTimeoutMs: 3_600_000 });
  if (!recording) (server.session.recorder as { record(event: unknown): void }).record = () => {};
  await phase(server, Math.min(500, PER_PHASE)); // wake the actor, warm the JIT
  return {
    server,
    async cleanup() {
      await server.close();
      await temp.cleanup();
    },
  };
}

async function main() {
  const recording = await serverWith(true);
  const silent = await serverWith(false);
  try {
    const on: { cpuUs: number; wallMs: number }[] = [];
    const off: { cpuUs: number; wallMs: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      off.push(await phase(silent.server, PER_PHASE));
      on.push(await phase(recording.server, PER_PHASE));
    }
    const cpuOn = median(on.map((p) => p.cpuUs));
    const cpuOff = median(off.map((p) => p.cpuUs));
    const wallOn = median(on.map((p) => p.wallMs));
    const wallOff = median(off.map((p) => p.wallMs));
    const perRequest = recording.server.session.recorder.lastSeq / ((ROUNDS + 0.25) * PER_PHASE);
    console.log(`live server, ${PER_PHASE} warm gateway requests per phase, ${ROUNDS} rounds (medians), ~${perRequest.toFixed(1)} events recorded per request`);
    console.log(`  recording off   CPU ${cpuOff.toFixed(0).padStart(6)} µs/request   ${(1000 / wallOff).toFixed(0).padStart(6)} requests/s`);
    console.log(`  recording on    CPU ${cpuOn.toFixed(0).padStart(6)} µs/request   ${(1000 / wallOn).toFixed(0).padStart(6)} requests/s`);
    console.log(`  recording costs ×${((cpuOn - cpuOff) / cpuOff).toFixed(2)} of the CPU of serving the request (target < ×1); throughput ×${(wallOff / wallOn).toFixed(2)} of recording off`);
  } finally {
    await recording.cleanup();
    await silent.cleanup();
  }
}

main().catch((error) => {
  console.error(`bench-live-recording: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
