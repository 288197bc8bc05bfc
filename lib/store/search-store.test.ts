// The words search finds are the same on SQLite (FTS5, unicode61 with diacritics removed) and on
// PostgreSQL (a stored tsvector, fts-to-tsquery.ts): this file runs in both test runs with the
// same expectations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventWriterFor } from "./event-writer";
import { eventToRow } from "./mappers";
import { ftsQuery, searchEventRows } from "./search-store";
import { createTempDb, onPostgres, type TempDb } from "./testing/temp-db";
import { insertRun } from "./trace-store";
import type { RunInfo, TraceEvent } from "../trace/types";

let temp: TempDb;
const run: RunInfo = {
  id: "words", name: "words", source: "scenario", seed: null, config: null, status: "running", error: null,
  eventCount: 0, startedAt: new Date().toISOString(), endedAt: null,
};

const texts: { label: string; payload: unknown }[] = [
  { label: "Wake in Zürich", payload: { city: "Ça va" } },
  { label: "GET /orders/42", payload: { error: { code: "actor.not_found" } } },
  { label: "plain note", payload: { path: "/users/x-17", note: "naïve café" } },
  { label: "UPPER case Label", payload: null },
];

beforeAll(async () => {
  temp = await createTempDb();
  await insertRun(temp.db, run);
  const events: TraceEvent[] = texts.map((text, i) => ({
    seq: i + 1, time: i, kind: "note", from: null, to: null, type: "note", label: text.label, payload: text.payload,
    actorId: null, runnerId: null, cycleId: null, causeSeq: null, relayOf: null, phaseId: null, housekeeping: false,
  }));
  await eventWriterFor(temp.db).append(run.id, { rows: events.map((event) => eventToRow(run.id, event)) });
});
afterAll(() => temp.cleanup());

async function seqs(words: string, column?: "label" | "payload"): Promise<number[]> {
  const rows = await searchEventRows(temp.db, { match: ftsQuery(words, column)!, limit: 10 });
  return rows.map((row) => row.seq).sort();
}

describe(`word search (${onPostgres ? "postgresql" : "sqlite"})`, () => {
  it("folds accents and case both ways", async () => {
    expect(await seqs("zurich")).toEqual([1]);
    expect(await seqs("ZÜRICH")).toEqual([1]);
    expect(await seqs("ca va")).toEqual([1]);
    expect(await seqs("naive cafe")).toEqual([3]);
    expect(await seqs("label upper")).toEqual([4]);
  });

  it("splits at punctuation, matches phrases in order and the last word as a prefix", async () => {
    expect(await seqs("actor.not_found")).toEqual([2]);
    expect(await seqs("not_found.actor")).toEqual([]);
    expect(await seqs("/orders/42")).toEqual([2]);
    expect(await seqs("x-17")).toEqual([3]);
    // A last word of one character is a word, not a prefix (ftsQuery), on both.
    expect(await seqs("x-1")).toEqual([]);
    expect(await seqs("ord")).toEqual([2]);
    expect(await seqs("or")).toEqual([2]);
  });

  it("limits a query to labels or payloads", async () => {
    expect(await seqs("orders", "label")).toEqual([2]);
    expect(await seqs("orders", "payload")).toEqual([]);
    expect(await seqs("actor.not_found", "payload")).toEqual([2]);
    expect(await seqs("wake", "payload")).toEqual([]);
  });
});
