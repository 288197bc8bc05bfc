// The run list's name filter means the same on both providers: a part of the name, any case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, onPostgres, type TempDb } from "./testing/temp-db";
import { findRuns, insertRun } from "./trace-store";
import type { RunInfo } from "../trace/types";

let temp: TempDb;
const run = (id: string, name: string, startedAt: string): RunInfo => ({
  id, name, source: "scenario", seed: null, config: null, status: "finished", error: null, eventCount: 0, startedAt, endedAt: startedAt,
});

beforeAll(async () => {
  temp = await createTempDb();
  await insertRun(temp.db, run("r1", "Nightly Wake Storm", "2026-01-01T00:00:00.000Z"));
  await insertRun(temp.db, run("r2", "cold start", "2026-01-02T00:00:00.000Z"));
});
afterAll(() => temp.cleanup());

describe(`findRuns (${onPostgres ? "postgresql" : "sqlite"})`, () => {
  it("filters by a part of the name in any case, newest first", async () => {
    expect((await findRuns(temp.db, { name: "wake storm" })).map((r) => r.id)).toEqual(["r1"]);
    expect((await findRuns(temp.db, { name: "START" })).map((r) => r.id)).toEqual(["r2"]);
    expect((await findRuns(temp.db, {})).map((r) => r.id)).toEqual(["r2", "r1"]);
  });
});
