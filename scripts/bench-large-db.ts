// Benchmark: the dashboard's hot queries on a database of millions of events. Builds (once, cached
// in the temporary folder by size) a database of N events in runs of about 10,000, written through
// the real store path (the event writer, its indexes and search index, cycles stored as a run
// ends), then prints p50/p95 over random runs and cycles of:
//   - the cycle page's reads (the run, its cycles, the cycle's events with their phases);
//   - the run list (first page, and a page 500 runs in);
//   - search (a payload word, an actor id, a message type);
//   - a cycle's Mermaid export.
// Run with `npx tsx scripts/bench-large-db.ts [events, default 1000000] [--rebuild]`; with
// WAKELINE_TEST_POSTGRES_URL set, the same on PostgreSQL too (database wakeline_bench_large_N on
// that server, kept for the next run like the SQLite file).
// Target: the cycle page's reads p95 < 50 ms at 10M events. Not a test: nothing here asserts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseScenario, runScenario } from "../lib/runtime";
import { diagramText } from "../lib/services/diagrams";
import { getRun, listCycles, listRuns } from "../lib/services/run-queries";
import { searchEvents } from "../lib/services/search";
import { selectEvents } from "../lib/services/selection";
import { closeDb, openDb, type Db } from "../lib/store/db";
import { eventWriterFor } from "../lib/store/event-writer";
import { eventToRow } from "../lib/store/mappers";
import { connectPgClient } from "../lib/store/pg-connection";
import { databaseUrl, testPostgresServerUrl } from "../lib/store/testing/postgres-database";
import { endRun, insertRun } from "../lib/store/trace-store";
import { computeCycles } from "../lib/trace/cycles";
import type { RunInfo, TraceEvent } from "../lib/trace/types";
import { percentile, timeAsync } from "./bench-timing";

const SAMPLES = 60;
const ACTORS = 4;

/** About 10,000 events: four actors, bursts of requests with pauses long enough to sleep between. */
function runEvents(): TraceEvent[] {
  const requests = 1_000;
  const scenario = parseScenario({
    name: "bench-large",
    durationMs: requests * 2 + (requests / 50) * 1_000 + 2_000,
    config: { timing: { sleepTimeoutMs: 300 } },
    pools: [{ name: "default", requestLifespan: 3_600 }],
    actors: Array.from({ length: ACTORS }, (_, i) => ({ id: `actor-${i + 1}` })),
    steps: Array.from({ length: requests }, (_, i) => ({
      at: 10 + i * 2 + Math.floor(i / 50) * 1_000,
      request: { actor: `actor-${(i % ACTORS) + 1}`, path: `/orders/${i}` },
    })),
  });
  const events: TraceEvent[] = [];
  runScenario(scenario, { seed: 1, sink: (event) => events.push(event) });
  return events;
}

async function build(db: Db, total: number): Promise<void> {
  const events = runEvents();
  const runs = Math.ceil(total / events.length);
  const writer = eventWriterFor(db);
  const { ms } = await timeAsync(async () => {
    for (let r = 0; r < runs; r++) {
      const id = `bench${String(r).padStart(6, "0")}`;
      const startedAt = new Date(Date.UTC(2026, 0, 1) + r * 60_000).toISOString();
      const run: RunInfo = { id, name: `bench run ${r}`, source: "scenario", seed: 1, config: null, status: "running", error: null, eventCount: 0, startedAt, endedAt: null };
      await insertRun(db, run);
      const { cycles, cycleOf } = computeCycles(id, events);
      const rows = events.map((event) => ({ ...eventToRow(id, event), cycleId: cycleOf.get(event.seq) ?? null }));
      await writer.append(id, { rows });
      await writer.storeCycles(id, cycles, []);
      await endRun(db, id, { status: "finished", error: null, endedAt: new Date(startedAt) });
      if ((r + 1) % Math.max(1, Math.round(runs / 10)) === 0) process.stdout.write(`  built ${r + 1}/${runs} runs\n`);
    }
  });
  console.log(`  built ${runs * events.length} events in ${runs} runs: ${(ms / 1000).toFixed(1)} s (${Math.round((runs * events.length) / (ms / 1000))} events/s)`);
}

async function measure(name: string, query: (i: number) => Promise<unknown>): Promise<void> {
  await query(0); // warm
  const times: number[] = [];
  for (let i = 1; i <= SAMPLES; i++) times.push((await timeAsync(() => query(i))).ms);
  times.sort((a, b) => a - b);
  console.log(`  ${name.padEnd(44)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms`);
}

async function queries(db: Db): Promise<void> {
  const runCount = await db.run.count();
  const runId = (i: number) => `bench${String((i * 7919) % runCount).padStart(6, "0")}`;
  const actor = (i: number) => `actor-${(i % ACTORS) + 1}`;
  const ordinal = (i: number) => 1 + (i % 5);
  await measure("cycle page: run + cycles + cycle's events", async (i) => {
    const run = await getRun(db, runId(i));
    await listCycles(db, run.id);
    await selectEvents(db, run, { actorId: actor(i), cycle: ordinal(i) });
  });
  await measure("  of which the cycle's events", async (i) => selectEvents(db, await getRun(db, runId(i)), { actorId: actor(i), cycle: ordinal(i) }));
  await measure("run list, first page (50)", async () => listRuns(db, { limit: 50 }));
  await measure("run list, 500 runs in", async () => listRuns(db, { limit: 50, offset: Math.min(500, Math.max(0, runCount - 50)) }));
  await measure("search: payload word", async (i) => searchEvents(db, { text: `orders ${(i * 37) % 1000}` }));
  await measure("search: actor id", async (i) => searchEvents(db, { actorId: actor(i) }));
  await measure("search: message type", async () => searchEvents(db, { type: "ActorIntentSleep" }));
  await measure("cycle export (Mermaid)", async (i) => diagramText(db, { runId: runId(i), actorId: actor(i), cycle: ordinal(i) }));
}

/** The runs a database of `total` events holds; its last one finished means the build completed. */
function lastRunId(total: number, eventsPerRun: number): string {
  return `bench${String(Math.ceil(total / eventsPerRun) - 1).padStart(6, "0")}`;
}

async function built(db: Db, total: number): Promise<boolean> {
  const last = await db.run.findUnique({ where: { id: lastRunId(total, runEvents().length) }, select: { status: true } });
  return last?.status === "finished";
}

async function sqlite(total: number, rebuild: boolean): Promise<void> {
  const file = path.join(os.tmpdir(), `wakeline-bench-large-${total}.db`);
  const remove = () => {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  };
  if (rebuild) remove();
  const url = `file:${file}`;
  let db = await openDb(url);
  try {
    const before = await built(db, total);
    if (!before && (await db.run.count()) > 0) {
      // A build cut short (interrupted): start again.
      await closeDb(url);
      remove();
      db = await openDb(url);
    }
    console.log(`SQLite, ${total} events (${file}${before ? ", built before" : ""})`);
    if (!before) await build(db, total);
    await queries(db);
  } finally {
    await closeDb(url);
  }
}

/** Kept between runs like the SQLite file (a 10M build takes a quarter of an hour): `--rebuild` drops it. */
async function postgres(total: number, rebuild: boolean): Promise<void> {
  const serverUrl = testPostgresServerUrl();
  const name = `wakeline_bench_large_${total}`;
  const admin = async (sql: string) => {
    const client = await connectPgClient(serverUrl, "wakeline-bench");
    try {
      return await client.query<{ n: number }>(sql);
    } finally {
      await client.end();
    }
  };
  const drop = () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (rebuild) await drop();
  if ((await admin(`SELECT count(*)::int AS n FROM pg_database WHERE datname = '${name}'`)).rows[0].n === 0) await admin(`CREATE DATABASE "${name}"`);
  const url = databaseUrl(serverUrl, name);
  let db = await openDb(url);
  try {
    const before = await built(db, total);
    if (!before && (await db.run.count()) > 0) {
      await closeDb(url);
      await drop();
      await admin(`CREATE DATABASE "${name}"`);
      db = await openDb(url);
    }
    console.log(`PostgreSQL, ${total} events (database ${name}${before ? ", built before" : ""})`);
    if (!before) {
      await build(db, total);
      await db.$executeRawUnsafe(`ANALYZE`);
    }
    await queries(db);
  } finally {
    await closeDb(url);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const total = Number(args.find((arg) => !arg.startsWith("--")) ?? 1_000_000);
  if (!Number.isSafeInteger(total) || total < 10_000) throw new Error(`events must be a whole number ≥ 10000, not ${String(total)}`);
  await sqlite(total, args.includes("--rebuild"));
  if (process.env.WAKELINE_TEST_POSTGRES_URL) await postgres(total, args.includes("--rebuild"));
}

main().catch((error) => {
  console.error(`bench-large-db: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
