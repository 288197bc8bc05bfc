// A cycle's events read on the store's own SQLite connection are the events Prisma reads (the same
// values, booleans and payloads included), and a run recorded after that connection opened is seen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordTrace } from "@/lib/services/testing/record";
import { wokenTwice } from "@/lib/trace/testing/flows";
import { rowToEvent } from "./mappers";
import { onPostgres, createTempDb, type TempDb } from "./testing/temp-db";
import { loadCycleEvents, loadCycles } from "./trace-store";

let temp: TempDb;

beforeAll(async () => {
  temp = await createTempDb();
});

afterAll(async () => {
  await temp.cleanup();
});

describe.skipIf(onPostgres)("a cycle's events on SQLite", () => {
  it("are what Prisma reads, in seq order, and a run recorded after the first read is seen", async () => {
    for (let round = 0; round < 2; round++) {
      const { run } = await recordTrace(temp.db, wokenTwice().events, { name: `run ${round}`, source: "scenario" });
      const [first] = await loadCycles(temp.db, run.id);
      const events = await loadCycleEvents(temp.db, run.id, first.id);
      const viaPrisma = (await temp.db.event.findMany({ where: { runId: run.id, cycleId: first.id }, orderBy: { seq: "asc" } })).map(rowToEvent);
      expect(events.length).toBeGreaterThan(5);
      expect(events).toEqual(viaPrisma);
      expect(events.some((event) => event.housekeeping)).toBe(true);
      expect(events.some((event) => event.payload !== null && typeof event.payload === "object")).toBe(true);
    }
  });
});
