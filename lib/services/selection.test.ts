import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { wokenTwice } from "@/lib/trace/testing/flows";
import type { RunInfo } from "@/lib/trace/types";
import { parseScenario } from "@/lib/runtime";
import { listActors, listCycles } from "./run-queries";
import { runScenario } from "./runs";
import { firstActorId, selectEvents } from "./selection";
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

describe("firstActorId", () => {
  it("is the first actor of the run's actor list, found without summarising the run", async () => {
    // The actor created first sorts last by name: the default is the first seen, not the first named.
    const scenario = parseScenario({
      name: "second-first",
      durationMs: 5_000,
      steps: [
        { at: 10, create: { actor: "actor-b" } },
        { at: 20, request: { actor: "actor-b", path: "/" } },
        { at: 2_000, create: { actor: "actor-a" } },
        { at: 2_010, request: { actor: "actor-a", path: "/" } },
      ],
    });
    const { run } = await runScenario(temp.db, { scenario, seed: 1 });
    const actors = await listActors(temp.db, run.id);
    expect(actors.map((actor) => actor.actorId)).toEqual(["actor-b", "actor-a"]);
    expect(await firstActorId(temp.db, run.id)).toBe("actor-b");
    expect(await firstActorId(temp.db, "no-such-run")).toBeNull();
  });
});
