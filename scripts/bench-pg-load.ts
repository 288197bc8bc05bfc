// Benchmark: the sustained rate one PostgreSQL takes from N live engines recording at once. Each
// engine is a recorder of its own (its own writer and connection pool, as an instance has) appending
// batches of 500 events (what a busy live recorder commits) to its own run, as fast as the server
// takes them, for a few seconds; the figure is events/s committed, for N = 1, 2, 4, 8, and the
// ratio against N = 1 in the same run. Uses WAKELINE_BENCH_POSTGRES_URL (a server; a database is
// created on it and dropped), else a throwaway server from Debian's postgresql binaries.
// Not a test: nothing here asserts.   npx tsx scripts/bench-pg-load.ts [seconds per N, default 6]
import { randomBytes } from "node:crypto";
import { closeDb, openDb } from "../lib/store/db";
import { eventToRow } from "../lib/store/mappers";
import { PgEventWriter } from "../lib/store/pg-event-writer";
import { connectPgClient } from "../lib/store/pg-connection";
import { databaseUrl } from "../lib/store/testing/postgres-database";
import { insertRun } from "../lib/store/trace-store";
import type { TraceEvent } from "../lib/trace/types";
import { findPostgresBin, startThrowawayServer } from "../test/postgres/throwaway-server";

const SECONDS = Number(process.argv[2] ?? 6);
const BATCH = 500;

/** A live-looking event: a tunnelled request of the demo actor, with a small payload. */
function event(seq: number): TraceEvent {
  return {
    seq, time: seq, cycleId: null, kind: "message", from: { role: "Gateway", id: "gateway" }, to: { role: "RunnerWS", id: "ws-1" },
    type: "ToClientRequestStart", label: "Tunnel ToClientRequestStart<br/>GET /", payload: { requestId: `req-${seq}`, actorId: "demo", method: "GET", path: "/", headers: {}, body: null },
    actorId: "demo", runnerId: "runner-1", causeSeq: seq > 1 ? seq - 1 : null, relayOf: null, phaseId: null, housekeeping: false,
  };
}

async function engines(url: string, count: number): Promise<number> {
  const db = await openDb(url);
  const runs = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const id = `load-${count}-${i}-${randomBytes(3).toString("hex")}`;
      await insertRun(db, { id, name: id, source: "live", seed: null, config: null, status: "running", error: null, eventCount: 0, startedAt: new Date().toISOString(), endedAt: null });
      return { id, writer: new PgEventWriter(url), next: 1 };
    }),
  );
  const until = performance.now() + SECONDS * 1000;
  let committed = 0;
  const started = performance.now();
  await Promise.all(
    runs.map(async (run) => {
      while (performance.now() < until) {
        const rows = Array.from({ length: BATCH }, (_, k) => eventToRow(run.id, event(run.next + k)));
        await run.writer.append(run.id, { rows });
        run.next += BATCH;
        committed += BATCH;
      }
      await run.writer.close();
    }),
  );
  return committed / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  let serverUrl = process.env.WAKELINE_BENCH_POSTGRES_URL;
  let stop = () => {};
  if (!serverUrl) {
    const bin = findPostgresBin();
    if (!bin) throw new Error("no PostgreSQL: set WAKELINE_BENCH_POSTGRES_URL or install Debian's postgresql");
    const server = await startThrowawayServer(bin);
    serverUrl = server.url;
    stop = () => server.stop();
  }
  const name = `wakeline_load_${randomBytes(4).toString("hex")}`;
  const admin = await connectPgClient(serverUrl, "wakeline-bench");
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = databaseUrl(serverUrl, name);
  try {
    let single = 0;
    for (const count of [1, 2, 4, 8]) {
      const rate = await engines(url, count);
      single ||= rate;
      console.log(`${count} engine(s): ${Math.round(rate).toLocaleString("en")} events/s committed (×${(rate / single).toFixed(2)} of one engine)`);
    }
  } finally {
    await closeDb(url);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
