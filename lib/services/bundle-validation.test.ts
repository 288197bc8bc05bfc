// Imported bundles are checked through before anything is written: every reference points at an
// earlier event of the right kind, cycles lie within the run, phases nest boundedly. A bad bundle
// is a 400 `invalid_bundle` naming its first problem, and leaves no run behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import type { TraceBundle, TraceEvent } from "@/lib/trace/types";
import { MAX_PHASE_DEPTH } from "./bundle-schema";
import { exportRun, importBundle, importBundleText } from "./bundles";
import { listScenarios, runScenario } from "./runs";

let temp: TempDb;
let bundle: TraceBundle;

beforeAll(async () => {
  temp = await createTempDb();
  const { run } = await runScenario(temp.db, { scenario: "messy", seed: 1 });
  bundle = JSON.parse(JSON.stringify(await exportRun(temp.db, run.id))) as TraceBundle;
});
afterAll(() => temp.cleanup());

const runCount = () => temp.db.run.count();
const eventCount = () => temp.db.event.count();
const withEvents = (events: TraceEvent[]): TraceBundle => ({ ...bundle, events });
const edit = (seq: number, change: Partial<TraceEvent>): TraceBundle => withEvents(bundle.events.map((e) => (e.seq === seq ? { ...e, ...change } : e)));
const first = (test: (e: TraceEvent) => boolean) => bundle.events.find(test)!;

/** Imports `input` (as an object and as text) and expects a refusal that wrote nothing. */
async function expectRefused(input: unknown, message: RegExp, code = "invalid_bundle") {
  const [runs, events] = [await runCount(), await eventCount()];
  await expect(importBundle(temp.db, input)).rejects.toMatchObject({ status: 400, code, message: expect.stringMatching(message) });
  await expect(importBundleText(temp.db, JSON.stringify(input))).rejects.toMatchObject({ status: 400, code, message: expect.stringMatching(message) });
  expect(await runCount()).toBe(runs);
  expect(await eventCount()).toBe(events);
}

describe("bundle references", () => {
  it("refuses a causeSeq that is not an earlier event", async () => {
    const event = first((e) => e.causeSeq !== null && e.seq > 5);
    await expectRefused(edit(event.seq, { causeSeq: event.seq }), new RegExp(`^Event ${event.seq} has causeSeq ${event.seq}, which is not an earlier event`));
    await expectRefused(edit(event.seq, { causeSeq: bundle.events.length + 10 }), new RegExp(`^Event ${event.seq} has causeSeq`));
  });

  it("refuses a relayOf that is not an earlier message", async () => {
    const relay = first((e) => e.relayOf !== null);
    const note = first((e) => e.kind === "note" && e.seq < relay.seq);
    await expectRefused(edit(relay.seq, { relayOf: note.seq }), new RegExp(`^Event ${relay.seq} has relayOf ${note.seq}, which is a note, not a message`));
    await expectRefused(edit(relay.seq, { relayOf: relay.seq + 1 }), new RegExp(`^Event ${relay.seq} has relayOf ${relay.seq + 1}, which is not an earlier event`));
  });

  it("refuses a phaseId that is not an earlier phase-start", async () => {
    const message = first((e) => e.kind === "message");
    const inPhase = first((e) => e.phaseId !== null && e.seq > message.seq);
    await expectRefused(edit(inPhase.seq, { phaseId: message.seq }), new RegExp(`^Event ${inPhase.seq} has phaseId ${message.seq}, which is a message, not a phase-start`));
    await expectRefused(edit(inPhase.seq, { phaseId: inPhase.seq }), new RegExp(`^Event ${inPhase.seq} has phaseId ${inPhase.seq}, which is not an earlier event`));
  });

  it("refuses gaps in the seqs", async () => {
    await expectRefused(withEvents(bundle.events.filter((e) => e.seq !== 4)), /position 4 has seq 5/);
  });

  it(`refuses phases nested deeper than ${MAX_PHASE_DEPTH}`, async () => {
    const phase = (seq: number): TraceEvent => ({ ...bundle.events[0], seq, kind: "phase-start", type: "phase", label: `p${seq}`, causeSeq: null, relayOf: null, phaseId: seq === 1 ? null : seq - 1, cycleId: null });
    const deep = (levels: number) => ({ ...bundle, events: Array.from({ length: levels }, (_, i) => phase(i + 1)), cycles: [] });
    await expectRefused(deep(MAX_PHASE_DEPTH + 1), new RegExp(`^Event ${MAX_PHASE_DEPTH + 1} opens a phase nested ${MAX_PHASE_DEPTH + 1} deep`));
    const runs = await runCount();
    await importBundle(temp.db, deep(MAX_PHASE_DEPTH));
    expect(await runCount()).toBe(runs + 1);
  });
});

describe("bundle cycles", () => {
  const withCycle = (change: Record<string, unknown>, index = 0) => ({ ...bundle, cycles: bundle.cycles.map((c, i) => (i === index ? { ...c, ...change } : c)) });

  it("refuses a cycle outside the run's seqs, or ending before it starts", async () => {
    const cycle = bundle.cycles[0];
    await expectRefused(withCycle({ lastSeq: bundle.events.length + 1 }), new RegExp(`^Cycle ${cycle.id} spans seqs ${cycle.firstSeq}–${bundle.events.length + 1}, outside the run`));
    await expectRefused(withCycle({ firstSeq: cycle.lastSeq + 1, lastSeq: cycle.lastSeq }), new RegExp(`^Cycle ${cycle.id} starts at seq ${cycle.lastSeq + 1}`));
    await expectRefused(withCycle({ anomalies: [{ kind: "timeout", seq: bundle.events.length + 5, message: "x" }] }), /has an anomaly at seq/);
  });

  it("refuses a cycle of an actor no event names, and two cycles with one ordinal", async () => {
    await expectRefused(withCycle({ actorId: "ghost" }), /is of actor ghost, which no event of the run names/);
    expect(bundle.cycles.length).toBeGreaterThan(1);
    const twice = withCycle({ ordinal: bundle.cycles[0].ordinal, actorId: bundle.cycles[0].actorId }, 1);
    await expectRefused(twice, new RegExp(`has more than one cycle ${bundle.cycles[0].ordinal}`));
  });
});

describe("bundle text", () => {
  it("imports the text of a bundle as it imports the object", async () => {
    const fromText = await importBundleText(temp.db, JSON.stringify(bundle, null, 2));
    const fromObject = await importBundle(temp.db, bundle);
    const strip = (b: TraceBundle) => b.events.map((e) => ({ ...e, cycleId: e.cycleId?.split(":").slice(1).join(":") ?? null }));
    expect(strip(await exportRun(temp.db, fromText.id))).toEqual(strip(await exportRun(temp.db, fromObject.id)));
    expect(fromText.eventCount).toBe(bundle.events.length);
  });

  it("answers text that is not JSON with invalid_json, naming where", async () => {
    const text = JSON.stringify(bundle);
    const runs = await runCount();
    await expect(importBundleText(temp.db, text.slice(0, text.length / 2))).rejects.toMatchObject({ status: 400, code: "invalid_json" });
    const missingComma = text.replace('},{"seq":3,', '} {"seq":3,');
    await expect(importBundleText(temp.db, missingComma)).rejects.toMatchObject({ code: "invalid_json", message: expect.stringContaining("events[1]") });
    expect(await runCount()).toBe(runs);
  });

  it("imports every built-in scenario's run: real traces pass the checks", async () => {
    for (const { name } of listScenarios()) {
      const { run } = await runScenario(temp.db, { scenario: name, seed: 2 });
      const copy = await importBundleText(temp.db, JSON.stringify(await exportRun(temp.db, run.id)));
      expect(copy.eventCount, name).toBe(run.eventCount);
    }
  });
});
