// A bundle read from a stream is written as it arrives: the run grows while the stream is still
// open, progress is reported as it goes, and a stream that breaks or turns bad leaves no run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import type { TraceBundle } from "@/lib/trace/types";
import { importBundleStream, type ImportProgress } from "./bundle-import";
import { exportRun } from "./bundles";
import { diagramText } from "./diagrams";
import { runScenario } from "./runs";

let temp: TempDb;
let bundle: TraceBundle;
let text: string;

beforeAll(async () => {
  temp = await createTempDb();
  // Enough events for several written batches: many requests to two actors that sleep in between.
  const actors = ["a-1", "a-2"];
  const steps = Array.from({ length: 300 }, (_, i) => ({ at: 10 + i * 40 + Math.floor(i / 50) * 5_000, request: { actor: actors[i % 2], path: `/r${i}` } }));
  const scenario = { name: "stream-me", durationMs: 60_000, pools: [{ name: "default", requestLifespan: 300 }], actors: actors.map((id) => ({ id })), steps };
  const { run } = await runScenario(temp.db, { scenario, seed: 3 });
  bundle = JSON.parse(JSON.stringify(await exportRun(temp.db, run.id))) as TraceBundle;
  text = JSON.stringify(bundle, null, 2);
});
afterAll(() => temp.cleanup());

/** The text as bytes in pieces of `size`, calling `between` before each piece. */
async function* pieces(source: string, size: number, between: (index: number) => Promise<void> = async () => undefined): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(source);
  for (let i = 0, index = 0; i < bytes.length; i += size, index++) {
    await between(index);
    yield bytes.subarray(i, i + size);
  }
}

const runCount = () => temp.db.run.count();

describe("importBundleStream", () => {
  it("writes events while the stream is still open, then completes the run drawing the same diagrams", async () => {
    const size = Math.ceil(text.length / 8);
    const seen: { status: string; eventCount: number }[] = [];
    const progress: ImportProgress[] = [];
    const run = await importBundleStream(
      temp.db,
      pieces(text, size, async (index) => {
        // Before the last piece: what the database holds of the import so far.
        if (index !== 7) return;
        const rows = await temp.db.run.findMany({ where: { source: "import", status: "running" }, select: { status: true, eventCount: true } });
        seen.push(...rows);
      }),
      { onProgress: (p) => progress.push(p) },
    );
    expect(bundle.events.length).toBeGreaterThan(1_500);
    expect(seen).toHaveLength(1);
    expect(seen[0].eventCount).toBeGreaterThan(0);
    expect(seen[0].eventCount).toBeLessThan(bundle.events.length);

    expect(run).toMatchObject({ source: "import", status: "finished", eventCount: bundle.events.length });
    expect((await temp.db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("finished");
    // Progress only grows, and ends at the whole file and every event.
    expect(progress.length).toBeGreaterThan(1);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].events).toBeGreaterThanOrEqual(progress[i - 1].events);
      expect(progress[i].bytes).toBeGreaterThanOrEqual(progress[i - 1].bytes);
    }
    expect(progress.at(-1)).toEqual({ bytes: Buffer.byteLength(text), events: bundle.events.length });

    expect(bundle.cycles.length).toBeGreaterThan(1);
    for (const { actorId, ordinal: cycle } of bundle.cycles) {
      const [original, copy] = await Promise.all([diagramText(temp.db, { runId: bundle.run.id, actorId, cycle }), diagramText(temp.db, { runId: run.id, actorId, cycle })]);
      expect(copy.text).toBe(original.text);
      expect(copy.events.length).toBeGreaterThan(0);
    }
    // Cycle ids move to the new run, keeping what follows the old run's id.
    const cycles = await temp.db.cycle.findMany({ where: { runId: run.id }, orderBy: { id: "asc" } });
    expect(cycles.map((c) => c.id)).toEqual(bundle.cycles.map((c) => c.id.replace(bundle.run.id, run.id)).sort());
  });

  it("takes a hand-made bundle whose head comes after its events", async () => {
    const { format, version, run, events, cycles } = bundle;
    const reordered = JSON.stringify({ events, cycles, run, version, format });
    const copy = await importBundleStream(temp.db, pieces(reordered, 4096));
    expect(copy.eventCount).toBe(events.length);
  });

  it("leaves no run behind when the stream breaks, or turns bad, after events were written", async () => {
    const before = await runCount();
    const size = Math.ceil(text.length / 8);
    const breaking = pieces(text, size, async (index) => {
      if (index === 6) throw new Error("connection reset");
    });
    await expect(importBundleStream(temp.db, breaking)).rejects.toThrow("connection reset");
    expect(await runCount()).toBe(before);

    const last = bundle.events.at(-1)!;
    const badAtTheEnd = JSON.stringify({ ...bundle, events: bundle.events.map((e) => (e.seq === last.seq ? { ...e, causeSeq: last.seq } : e)) });
    await expect(importBundleStream(temp.db, pieces(badAtTheEnd, size))).rejects.toMatchObject({ status: 400, code: "invalid_bundle", message: expect.stringContaining(`Event ${last.seq} has causeSeq`) });
    const cutShort = text.slice(0, Math.floor(text.length * 0.9));
    await expect(importBundleStream(temp.db, pieces(cutShort, size))).rejects.toMatchObject({ status: 400, code: "invalid_json", message: expect.stringMatching(/events\[\d+\]|ends early/) });
    expect(await runCount()).toBe(before);
    expect(await temp.db.event.count({ where: { run: { source: "import", status: "running" } } })).toBe(0);
  });
});
