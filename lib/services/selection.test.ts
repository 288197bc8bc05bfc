import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { wokenTwice } from "@/lib/trace/testing/flows";
import type { RunInfo } from "@/lib/trace/types";
import { listCycles } from "./run-queries";
import { selectEvents } from "./selection";
import { recordEndedAndLive } from "./testing/record";

let temp: TempDb;
let ended: RunInfo;
let live: RunInfo;

beforeAll(async () => {
  temp = await createTempDb();
  ({ ended, live } = await recordEndedAndLive(temp.db, wokenTwice().events));
});

afterAll(async () => {
  await temp.cleanup();
});

describe("selectEvents with the cycles a caller has read already", () => {
  it("selects what it selects by reading them itself", async () => {
    const cycles = await listCycles(temp.db, ended.id);
    for (const cycle of [1, 2]) {
      const read = await selectEvents(temp.db, ended, { actorId: "a1", cycle });
      const given = await selectEvents(temp.db, ended, { actorId: "a1", cycle }, cycles);
      expect(given).toEqual(read);
      expect(given.events.length).toBeGreaterThan(0);
    }
  });

  it("takes them instead of reading the run's cycles again", async () => {
    const cycles = await listCycles(temp.db, ended.id);
    const firstOnly = cycles.filter((cycle) => cycle.ordinal === 1);
    await expect(selectEvents(temp.db, ended, { actorId: "a1", cycle: 2 }, firstOnly)).rejects.toMatchObject({ code: "cycle_not_found" });
  });

  it("ignores them for a live run, whose cycles are still changing", async () => {
    const selection = await selectEvents(temp.db, live, { actorId: "a1", cycle: 2 }, []);
    expect(selection.cycle?.ordinal).toBe(2);
    expect(selection).toEqual(await selectEvents(temp.db, live, { actorId: "a1", cycle: 2 }));
  });
});
