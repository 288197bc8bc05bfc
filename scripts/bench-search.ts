// Benchmark: search across runs on a database of 1M events (npm run bench:search, or tsx
// scripts/bench-search.ts [events]). The database is built with raw better-sqlite3 inserts, each
// run's rows indexed for search in one statement as the writers do; the queries go through the real service.
// Prints p50/p95 per kind of query. Not a test: nothing here asserts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { searchEvents, type SearchQuery } from "../lib/services/search";
import { closeDb, openDb } from "../lib/store/db";
import { INDEX_PENDING_EVENTS } from "../lib/store/search-index";
import { percentile } from "./bench-timing";

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const PER_RUN = 5_000;
const TYPES = ["ToClientRequestStart", "ToServerResponse", "CommandStartActor", "EventActorStateUpdate", "ActorIntentSleep", "Ping", "Pong", "KvGet", "KvPut", "Wake", "Allocate", "Bump", "StartRequest", "RunnerConnected", "ToRunnerClose", "state", "phase"];
const WORDS = ["orders", "checkout", "billing", "inventory", "cart", "profile", "search", "upload", "report", "export", "session", "token", "ledger", "invoice", "refund"];
const CODES = ["actor.not_found", "guard.actor_ready_timeout", "actor.destroyed", "guard.actor_wake_retries_exceeded"];

/** How the Prisma adapter stores DateTime columns in SQLite. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

function pick<T>(items: readonly T[], i: number): T {
  return items[i % items.length];
}

async function build(file: string): Promise<void> {
  const url = `file:${file}`;
  await openDb(url); // migrates
  await closeDb(url);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insertRun = db.prepare(`INSERT INTO "Run" (id, name, source, seed, status, eventCount, startedAt, endedAt) VALUES (?, ?, 'scenario', 1, 'finished', ?, ?, ?)`);
  const insertEvent = db.prepare(`INSERT INTO "Event" (runId, seq, time, kind, fromRole, fromId, toRole, toId, type, label, payload, actorId, runnerId, housekeeping) VALUES (?, ?, ?, 'message', 'Gateway', 'gw', 'Runner', ?, ?, ?, ?, ?, ?, 0)`);
  const indexPending = db.prepare(INDEX_PENDING_EVENTS);
  const started = Date.now();
  const runs = Math.ceil(TOTAL / PER_RUN);
  let n = 0;
  for (let r = 0; r < runs; r++) {
    const runId = `bench${String(r).padStart(5, "0")}`;
    const t0 = Date.UTC(2026, 0, 1) + r * 3_600_000;
    db.transaction(() => {
      insertRun.run(runId, `bench run ${r}`, PER_RUN, iso(t0), iso(t0 + 3_000_000));
      for (let seq = 1; seq <= PER_RUN && n < TOTAL; seq++, n++) {
        const actor = `actor-${(n * 7919) % 5000}`;
        const runner = `runner-${(n * 31) % 300}`;
        const type = pick(TYPES, n * 13 + seq);
        const word = pick(WORDS, n * 17);
        const code = n % 997 === 0 ? pick(CODES, n) : null;
        const payload = JSON.stringify({ path: `/${word}/${n}`, requestId: `req-${n}`, status: code ? 503 : 200, ...(code ? { error: { code } } : {}) });
        insertEvent.run(runId, seq, seq * 3, runner, type, `${type} ${word}`, payload, actor, runner);
      }
      // As the event writers do: the transaction's rows enter the search index in one statement.
      indexPending.run();
    })();
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  console.log(`built ${n} events in ${runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s (${(fs.statSync(file).size / 1e6).toFixed(0)} MB)`);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-bench-search-"));
  const file = path.join(dir, "search.db");
  try {
    await build(file);
    const db = await openDb(`file:${file}`);
    const kinds: [string, (i: number) => SearchQuery][] = [
      ["payload word (request id)", (i) => ({ text: `req-${(i * 104_729) % TOTAL}` })],
      ["label word (common)", (i) => ({ text: pick(WORDS, i) })],
      ["word prefix", (i) => ({ text: pick(WORDS, i).slice(0, 4) })],
      ["error code", (i) => ({ code: pick(CODES, i) })],
      ["actor id", (i) => ({ actorId: `actor-${(i * 37) % 5000}` })],
      ["runner id", (i) => ({ runnerId: `runner-${i % 300}` })],
      ["message type", (i) => ({ type: pick(TYPES, i) })],
      ["type + actor", (i) => ({ type: pick(TYPES, i), actorId: `actor-${(i * 37) % 5000}` })],
      ["word + time range", (i) => ({ text: pick(WORDS, i), from: new Date(Date.UTC(2026, 0, 3)).toISOString(), to: new Date(Date.UTC(2026, 0, 4)).toISOString() })],
      ["rare word, no hit", (i) => ({ text: `nothing${i}` })],
    ];
    const all: number[] = [];
    for (const [name, make] of kinds) {
      await searchEvents(db, make(0)); // warm
      const times: number[] = [];
      let hits = 0;
      for (let i = 1; i <= 40; i++) {
        const start = process.hrtime.bigint();
        hits += (await searchEvents(db, make(i))).hits.length;
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      console.log(`${name.padEnd(28)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms   (${(hits / 40).toFixed(0)} hits per page)`);
    }
    all.sort((a, b) => a - b);
    console.log(`${"all searches".padEnd(28)} p50 ${percentile(all, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(all, 95).toFixed(1).padStart(7)} ms`);
    await closeDb(`file:${file}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
