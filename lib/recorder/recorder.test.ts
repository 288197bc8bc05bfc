import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { findRun, loadCycles, loadEvents } from "@/lib/store/trace-store";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import { computeCycles } from "@/lib/trace/cycles";
import { PrismaEventWriter, registerEventWriter } from "@/lib/store/event-writer";
import { runScenario } from "@/lib/runtime/run-scenario";
import { builtInScenarios } from "@/lib/runtime/scenarios";
import type { CycleInfo, TraceEvent } from "@/lib/trace/types";
import { createRecorder, RecorderError, type RecorderUpdate } from "./recorder";

let temp: TempDb;
beforeEach(async () => {
  temp = await createTempDb();
});
afterEach(async () => {
  await temp.cleanup();
});

/** Many wake/sleep cycles of one actor: a few thousand events, recorded in one synchronous burst. */
function manyCycles(count: number): TraceBuilder {
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  for (let i = 1; i <= count; i++) {
    requestToSleepingActor(b, { actorId: "a1", requestId: `r${i}`, generation: i, newRunnerId: `runner-${i}` });
    actorSleeps(b, { actorId: "a1", runnerId: `runner-${i}`, generation: i });
  }
  return b;
}

function nextUpdate(recorder: ReturnType<typeof createRecorder>, type: RecorderUpdate["type"]) {
  return new Promise<RecorderUpdate>((resolve) => {
    const stop = recorder.subscribe((update) => {
      if (update.type === type) {
        stop();
        resolve(update);
      }
    });
  });
}

describe("createRecorder", () => {
  it("stores a burst of thousands of events, then the cycles, before marking the run finished", async () => {
    const trace = manyCycles(40).events;
    expect(trace.length).toBeGreaterThan(2000);
    const recorder = createRecorder(temp.db, { name: "burst", source: "scenario", seed: 7, config: { n: 40 } });
    for (const event of trace) recorder.record(event);

    const { run, cycles } = await recorder.finish();

    expect(run).toMatchObject({ id: recorder.run.id, status: "finished", eventCount: trace.length, seed: 7 });
    expect(run.endedAt).not.toBeNull();
    const stored = await loadEvents(temp.db, run.id);
    expect(stored.map((e) => e.seq)).toEqual(trace.map((e) => e.seq));
    expect(stored[5]).toEqual({ ...trace[5], cycleId: stored[5].cycleId });
    expect(cycles).toHaveLength(40);
    expect(cycles.every((c) => c.outcome === "slept")).toBe(true);
    expect(await loadCycles(temp.db, run.id)).toEqual(cycles);
    // Each event carries its cycle, and each cycle counts exactly its members.
    for (const cycle of cycles) {
      expect(stored.filter((e) => e.cycleId === cycle.id)).toHaveLength(cycle.eventCount);
    }
    expect((await findRun(temp.db, run.id))?.config).toEqual({ n: 40 });
  });

  it.each(builtInScenarios().map((s) => [s.name, s]))(
    "%s: stores the cycles and each event's cycle exactly as computeCycles finds them in the stored run",
    async (_name, scenario) => {
      const recorder = createRecorder(temp.db, { name: scenario.name, source: "scenario" });
      runScenario(scenario, { seed: scenario.seed ?? 1, sink: (event) => recorder.record(event) });
      const { run, cycles } = await recorder.finish();
      const stored = await loadEvents(temp.db, run.id);
      const reference = computeCycles(run.id, stored);
      expect(cycles).toEqual(reference.cycles);
      expect(await loadCycles(temp.db, run.id)).toEqual(reference.cycles);
      expect(stored.filter((e) => e.cycleId !== (reference.cycleOf.get(e.seq) ?? null)).map((e) => e.seq)).toEqual([]);
    },
  );

  it("records the same through the Prisma writer (a database without a writer of its own)", async () => {
    registerEventWriter(temp.db, new PrismaEventWriter(temp.db));
    const scenario = builtInScenarios().find((s) => s.name === "messy")!;
    const recorder = createRecorder(temp.db, { name: scenario.name, source: "scenario" });
    runScenario(scenario, { seed: 1, sink: (event) => recorder.record(event) });
    const { run, cycles } = await recorder.finish();
    const stored = await loadEvents(temp.db, run.id);
    const reference = computeCycles(run.id, stored);
    expect(stored).toHaveLength(recorder.lastSeq);
    // Prisma's raw parameters round a float's last digit (1356.9999999999998 is read back as 1357).
    const rounded = (list: CycleInfo[]) =>
      list.map((c) => ({ ...c, startTime: c.startTime.toPrecision(12), endTime: c.endTime?.toPrecision(12), wakeToReadyMs: c.wakeToReadyMs?.toPrecision(12), coldStartMs: c.coldStartMs?.toPrecision(12) }));
    expect(rounded(await loadCycles(temp.db, run.id))).toEqual(rounded(reference.cycles));
    expect(rounded(cycles)).toEqual(rounded(reference.cycles));
    expect(stored.map((e) => e.cycleId)).toEqual(stored.map((e) => reference.cycleOf.get(e.seq) ?? null));
  });

  it("tags a running run's events with their cycle and stores each cycle as it opens", async () => {
    const trace = manyCycles(3).events;
    const recorder = createRecorder(temp.db, { name: "open", source: "live" });
    trace.forEach((e) => recorder.record(e));
    await recorder.flush();
    const open = await loadCycles(temp.db, recorder.run.id);
    expect(open.map((c) => [c.id, c.outcome])).toEqual(computeCycles(recorder.run.id, trace).cycles.map((c) => [c.id, "open"]));
    const tagged = (await loadEvents(temp.db, recorder.run.id)).filter((e) => e.cycleId !== null);
    expect(tagged.length).toBeGreaterThan(trace.length / 2);
    await recorder.finish();
    expect((await loadCycles(temp.db, recorder.run.id)).every((c) => c.outcome === "slept")).toBe(true);
  });

  it("past the events it tracks, computes the cycles from the stored run when it ends: the same result", async () => {
    const trace = manyCycles(15).events;
    const recorder = createRecorder(temp.db, { name: "long live", source: "live", trackedEvents: 100 });
    trace.forEach((e) => recorder.record(e));
    const { run, cycles } = await recorder.finish("stopped");
    const stored = await loadEvents(temp.db, run.id);
    const reference = computeCycles(run.id, trace);
    expect(cycles).toEqual(reference.cycles);
    expect(await loadCycles(temp.db, run.id)).toEqual(reference.cycles);
    expect(stored.map((e) => e.cycleId)).toEqual(trace.map((e) => reference.cycleOf.get(e.seq) ?? null));
    expect(run.status).toBe("stopped");
  });

  it("commits a live run's trickle of events without being asked to flush", async () => {
    const trace = manyCycles(1).events.slice(0, 3);
    const recorder = createRecorder(temp.db, { name: "live", source: "live" });
    const committed = nextUpdate(recorder, "committed");
    for (const event of trace) recorder.record(event);
    expect(await committed).toEqual({ type: "committed", lastSeq: 3 });
    expect(await loadEvents(temp.db, recorder.run.id)).toHaveLength(3);
    const row = await temp.db.run.findUniqueOrThrow({ where: { id: recorder.run.id } });
    expect(row).toMatchObject({ status: "running", eventCount: 3 });
  });

  it("flush resolves once every recorded event is readable", async () => {
    const trace = manyCycles(15).events;
    const recorder = createRecorder(temp.db, { name: "flush", source: "live" });
    trace.slice(0, 700).forEach((e) => recorder.record(e));
    await recorder.flush();
    expect(await loadEvents(temp.db, recorder.run.id)).toHaveLength(700);
  });

  it("refuses an event whose seq is not the next one", () => {
    const trace = manyCycles(1).events;
    const recorder = createRecorder(temp.db, { name: "seq", source: "live" });
    expect(() => recorder.record(trace[1])).toThrow(RecorderError);
    recorder.record(trace[0]);
    expect(() => recorder.record(trace[0])).toThrow(/expected seq 2, got 1/);
    expect(() => recorder.record(trace[2])).toThrow(/expected seq 2, got 3/);
    recorder.record(trace[1]);
    expect(recorder.lastSeq).toBe(2);
  });

  it("fans events out to listeners, and a failing listener does not stop recording", async () => {
    const trace = manyCycles(1).events;
    const recorder = createRecorder(temp.db, { name: "fanout", source: "live" });
    const seen: TraceEvent[] = [];
    recorder.subscribe(() => {
      throw new Error("broken view");
    });
    const stop = recorder.subscribe((u) => {
      if (u.type === "event") seen.push(u.event);
    });
    trace.slice(0, 5).forEach((e) => recorder.record(e));
    stop();
    trace.slice(5, 8).forEach((e) => recorder.record(e));
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const finished = nextUpdate(recorder, "finished");
    await recorder.finish();
    expect(await finished).toMatchObject({ type: "finished", run: { eventCount: 8 } });
  });

  it("records a failed run with its error, and refuses events after the end", async () => {
    const trace = manyCycles(1).events;
    const recorder = createRecorder(temp.db, { name: "failed", source: "scenario" });
    recorder.record(trace[0]);
    const { run } = await recorder.finish("failed", "scenario step 3 threw");
    expect(run).toMatchObject({ status: "failed", error: "scenario step 3 threw", eventCount: 1 });
    expect(() => recorder.record(trace[1])).toThrow(/has ended/);
    await expect(recorder.finish()).rejects.toThrow(RecorderError);
  });

  it("reports a write failure from flush and marks the run failed at finish", async () => {
    const trace = manyCycles(1).events;
    const recorder = createRecorder(temp.db, { name: "dup", source: "live" });
    await recorder.flush();
    // Another writer took seq 1 of this run: the batch violates the primary key.
    await temp.db.event.create({ data: { runId: recorder.run.id, seq: 1, time: 0, kind: "note", type: "x", label: "" } });
    recorder.record(trace[0]);
    await expect(recorder.flush()).rejects.toMatchObject({ code: "write_failed" });
    await expect(recorder.finish()).rejects.toMatchObject({ code: "write_failed" });
    const row = await temp.db.run.findUniqueOrThrow({ where: { id: recorder.run.id } });
    expect(row.status).toBe("failed");
  });

  it("caughtUp resolves once no more than the given number of recorded events wait to be written", async () => {
    const trace = manyCycles(40).events;
    const recorder = createRecorder(temp.db, { name: "behind", source: "scenario" });
    for (const event of trace) recorder.record(event);
    const readable = async () => (await loadEvents(temp.db, recorder.run.id)).length;
    expect(await readable()).toBe(0);
    await recorder.caughtUp(100);
    // Written in the order recorded: at most 100 are missing, the first ones are all there.
    expect(await readable()).toBeGreaterThanOrEqual(trace.length - 100);
    await recorder.caughtUp(0);
    expect(await readable()).toBe(trace.length);
    // Already caught up: at once.
    await recorder.caughtUp(0);
    await recorder.finish();
  });

  it("caughtUp does not wait for ever on a recording whose writes fail", async () => {
    const trace = manyCycles(1).events;
    const recorder = createRecorder(temp.db, { name: "dup", source: "scenario" });
    await recorder.flush();
    await temp.db.event.create({ data: { runId: recorder.run.id, seq: 1, time: 0, kind: "note", type: "x", label: "" } });
    for (const event of trace) recorder.record(event);
    await recorder.caughtUp(0);
    expect(() => recorder.record({ ...trace[0], seq: trace.length + 1 })).toThrow(RecorderError);
    await expect(recorder.finish()).rejects.toMatchObject({ code: "write_failed" });
  });
});
