import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { TraceBuilder } from "@/lib/trace/testing/trace-builder";
import { actorSleeps, requestToSleepingActor, sleepingActor } from "@/lib/trace/testing/flows";
import type { RunInfo, TraceEvent } from "@/lib/trace/types";
import { diagramText } from "./diagrams";
import { recordTrace } from "./testing/record";

let temp: TempDb;
let run: RunInfo;
let trace: TraceEvent[];
let outerPhase: TraceEvent;
let ping: TraceEvent;

beforeAll(async () => {
  temp = await createTempDb();
  const b = new TraceBuilder();
  sleepingActor(b, "a1");
  requestToSleepingActor(b, { actorId: "a1", requestId: "r1", generation: 1 });
  // A block opened during the first cycle encloses the second wake: the second cycle's view keeps it.
  outerPhase = b.phaseStart("request to actor marked as sleeping");
  actorSleeps(b, { actorId: "a1", runnerId: "runner-1", generation: 1 });
  requestToSleepingActor(b, { actorId: "a1", requestId: "r2", generation: 2, runnerId: "runner-1" });
  b.phaseEnd();
  ping = b.message("ToClientPing", ["RunnerWS", "runner-1"], ["Runner", "runner-1"], { runnerId: "runner-1", housekeeping: true });
  sleepingActor(b, "a2");
  b.state("a2", "Sleeping", "Pending", { generation: 0 });
  trace = b.events;
  run = (await recordTrace(temp.db, trace, { name: "diagrams" })).run;
});
afterAll(() => temp.cleanup());

const seqs = (events: TraceEvent[]) => events.map((e) => e.seq);

describe("diagramText", () => {
  it("draws one cycle: its members plus the blocks that enclose them", async () => {
    const second = await diagramText(temp.db, { runId: run.id, actorId: "a1", cycle: 2 });
    expect(second.cycleId).toBe(`${run.id}:a1:2`);
    const outer = second.events.find((e) => e.seq === outerPhase.seq);
    expect(outer?.cycleId).toBe(`${run.id}:a1:1`);
    expect(second.events.every((e) => e.cycleId === second.cycleId || e.kind.startsWith("phase"))).toBe(true);
    expect(second.text).toContain("critical request to actor marked as sleeping");
    expect(second.text.startsWith("---") || second.text.startsWith("sequenceDiagram")).toBe(true);

    const first = await diagramText(temp.db, { runId: run.id, actorId: "a1", cycle: 1 });
    expect(first.events.filter((e) => !e.kind.startsWith("phase")).every((e) => e.cycleId === first.cycleId)).toBe(true);
    expect(first.text).toContain("GET /start");
    expect(second.text).not.toContain("GET /start");
  });

  it("draws the actor's whole run by default: its own events between cycles and runner events outside any cycle", async () => {
    const whole = await diagramText(temp.db, { runId: run.id });
    expect(whole.actorId).toBe("a1");
    expect(seqs(whole.events)).toContain(1); // "Actor already created and sleeping"
    expect(seqs(whole.events)).toContain(ping.seq);
    expect(whole.events.some((e) => e.actorId === "a2")).toBe(false);
    expect(whole.text).toContain("Actor already<br/>created and sleeping");

    const cyclesOnly = await diagramText(temp.db, { runId: run.id, actorId: "a1", allCycles: true });
    expect(seqs(cyclesOnly.events)).not.toContain(1);
    expect(seqs(cyclesOnly.events)).toContain(ping.seq);
    expect(cyclesOnly.events.length).toBeLessThan(whole.events.length);
  });

  it("shows housekeeping only in full detail", async () => {
    const normal = await diagramText(temp.db, { runId: run.id, actorId: "a1", cycle: 1 });
    const full = await diagramText(temp.db, { runId: run.id, actorId: "a1", cycle: 1, detail: "full" });
    expect(full.items.length).toBeGreaterThan(normal.items.length);
    expect(full.text).toContain("ToClientInit");
    expect(normal.text).not.toContain("ToClientInit");
  });

  it("answers unknown runs, actors and cycles and bad options with coded errors", async () => {
    await expect(diagramText(temp.db, { runId: "missing" })).rejects.toMatchObject({ code: "run_not_found", status: 404 });
    await expect(diagramText(temp.db, { runId: run.id, actorId: "zz" })).rejects.toMatchObject({ code: "actor_not_found" });
    await expect(diagramText(temp.db, { runId: run.id, actorId: "a1", cycle: 9 })).rejects.toMatchObject({
      code: "cycle_not_found",
      message: expect.stringContaining("it has 2"),
    });
    await expect(diagramText(temp.db, { runId: run.id, cycle: 1, allCycles: true })).rejects.toMatchObject({ status: 400 });
    await expect(diagramText(temp.db, { runId: run.id, cycle: 0 })).rejects.toMatchObject({ status: 400 });
    await expect(diagramText(temp.db, { runId: run.id, detail: "some" as never })).rejects.toMatchObject({ status: 400 });
  });

  it("draws a run that is still recording from cycles computed on the fly", async () => {
    const partial = (await recordTrace(temp.db, trace.slice(0, 40), { name: "live", finish: false })).run;
    const drawn = await diagramText(temp.db, { runId: partial.id, cycle: 1 });
    expect(drawn.cycleId).toBe(`${partial.id}:a1:1`);
    expect(drawn.events.length).toBeGreaterThan(10);
    expect(Math.max(...seqs(drawn.events))).toBeLessThanOrEqual(40);
  });
});
