import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import type { RunInfo, TraceBundle } from "@/lib/trace/types";
import { exportRun, importBundle } from "./bundles";
import { diagramText } from "./diagrams";
import { listCycles } from "./run-queries";
import { recordTrace } from "./testing/record";

let temp: TempDb;
let original: RunInfo;

beforeAll(async () => {
  temp = await createTempDb();
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
  actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
  requestToSleepingActor(b, { actorId: "a1", requestId: "r2", generation: 2, runnerId: "runner-1" });
  original = (await recordTrace(temp.db, b.events, { name: "bundled", source: "scenario", seed: 42, config: { steps: 2 } })).run;
});
afterAll(() => temp.cleanup());

/** A JSON round trip, as through a file. */
const viaJson = (bundle: TraceBundle): unknown => JSON.parse(JSON.stringify(bundle));

describe("exportRun / importBundle", () => {
  it("imports a bundle as a new run that draws exactly the same diagrams", async () => {
    const bundle = await exportRun(temp.db, original.id);
    expect(bundle).toMatchObject({ format: "wakeline-bundle", version: 1, run: { id: original.id } });
    expect(bundle.events).toHaveLength(original.eventCount);

    const copy = await importBundle(temp.db, viaJson(bundle));

    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({ source: "import", name: "bundled", seed: 42, config: { steps: 2 }, status: "finished" });
    for (const query of [{}, { cycle: 1 }, { cycle: 2, detail: "full" as const }, { allCycles: true }]) {
      const a = await diagramText(temp.db, { runId: original.id, ...query });
      const b = await diagramText(temp.db, { runId: copy.id, ...query });
      expect(b.text).toBe(a.text);
    }
    const strip = (c: { id: string; runId: string }) => ({ ...c, id: c.id.split(":").slice(1).join(":"), runId: "" });
    expect((await listCycles(temp.db, copy.id)).map(strip)).toEqual((await listCycles(temp.db, original.id)).map(strip));
    const again = await exportRun(temp.db, copy.id);
    expect(again.events.map((e) => ({ ...e, cycleId: null }))).toEqual(bundle.events.map((e) => ({ ...e, cycleId: null })));
  });

  it("refuses what is not a bundle, naming the first problem", async () => {
    await expect(importBundle(temp.db, { hello: "world" })).rejects.toMatchObject({
      code: "invalid_bundle",
      status: 400,
      message: expect.stringMatching(/^Not a Wakeline bundle: format/),
    });
    const bundle = viaJson(await exportRun(temp.db, original.id)) as TraceBundle;
    await expect(
      importBundle(temp.db, { ...bundle, events: bundle.events.map((e, i) => (i === 3 ? { ...e, kind: "shout" } : e)) }),
    ).rejects.toMatchObject({ message: expect.stringContaining("events.3.kind") });
  });

  it("refuses events out of order and cycles the bundle does not contain", async () => {
    const bundle = viaJson(await exportRun(temp.db, original.id)) as TraceBundle;
    await expect(importBundle(temp.db, { ...bundle, events: bundle.events.slice(1) })).rejects.toMatchObject({
      code: "invalid_bundle",
      message: expect.stringContaining("position 1 has seq 2"),
    });
    await expect(importBundle(temp.db, { ...bundle, cycles: bundle.cycles.slice(1) })).rejects.toMatchObject({
      code: "invalid_bundle",
      message: expect.stringContaining("not in the bundle"),
    });
  });
});
