// Every built-in scenario: deterministic for a seed, and a well-formed trace (gap-free seqs, causes
// and relays pointing back, phases properly nested and closed, every request answered).
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../trace/types";
import { runScenario } from "./run-scenario";
import { builtInScenarios, loadScenario } from "./scenarios";
import { notes } from "./testing";

function record(name: string, seed: number): TraceEvent[] {
  const events: TraceEvent[] = [];
  runScenario(loadScenario(name), { seed, sink: (event) => events.push(event) });
  return events;
}

/** What a diagram shows, with the generated ids (runner-1a2b3c4d, key-…) masked. */
function shape(events: TraceEvent[]) {
  const mask = (text: string) => text.replace(/\b([a-z]+)-[0-9a-f]{8}\b/g, "$1-<id>");
  return events.map((e) => ({
    kind: e.kind,
    type: e.type,
    from: e.from?.role ?? null,
    to: e.to?.role ?? null,
    label: mask(e.label),
    time: e.time,
    causeSeq: e.causeSeq,
    relayOf: e.relayOf,
    phaseId: e.phaseId,
  }));
}

describe("determinism", () => {
  it.each(builtInScenarios().map((s) => [s.name, s.seed ?? 1] as const))("%s: the same seed records byte-identical events", (name, seed) => {
    expect(JSON.stringify(record(name, seed))).toBe(JSON.stringify(record(name, seed)));
  });

  it("ideal: another seed changes the generated ids but not the shape of the trace", () => {
    const one = record("ideal", 1);
    const two = record("ideal", 2);
    const runnerIds = (events: TraceEvent[]) => new Set(events.map((e) => e.runnerId).filter((id) => id !== null));
    expect(runnerIds(one)).not.toEqual(runnerIds(two));
    expect(shape(two)).toEqual(shape(one));
  });
});

describe.each(builtInScenarios().map((s) => s.name))("built-in scenario %s", (name) => {
  const events = record(name, loadScenario(name).seed ?? 1);
  const bySeq = new Map(events.map((e) => [e.seq, e]));

  it("records gap-free seqs from 1 in time order", () => {
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    events.forEach((e, i) => expect(e.time).toBeGreaterThanOrEqual(i === 0 ? 0 : events[i - 1].time));
  });

  it("points every cause to an earlier event and every relay to an earlier message", () => {
    for (const e of events) {
      if (e.causeSeq !== null) expect(e.causeSeq, `cause of ${e.seq}`).toBeLessThan(e.seq);
      if (e.relayOf !== null) {
        expect(e.relayOf, `relay of ${e.seq}`).toBeLessThan(e.seq);
        expect(bySeq.get(e.relayOf)?.kind).toBe("message");
      }
    }
  });

  it("nests phases: events sit in open phases, each end closes an open start once, none is left open", () => {
    const open = new Set<number>();
    for (const e of events) {
      if (e.kind === "phase-end") {
        expect(open.has(e.phaseId!), `phase end ${e.seq} closes ${e.phaseId}`).toBe(true);
        expect(bySeq.get(e.phaseId!)?.label).toBe(e.label);
        open.delete(e.phaseId!);
        continue;
      }
      if (e.phaseId !== null) expect(open.has(e.phaseId), `event ${e.seq} sits in open phase ${e.phaseId}`).toBe(true);
      if (e.kind === "phase-start") open.add(e.seq);
    }
    expect([...open]).toEqual([]);
  });

  it("answers every user request once", () => {
    const requestIds = (type: string) => events.filter((e) => e.type === type).map((e) => (e.payload as { requestId: string }).requestId);
    const answered = [...requestIds("UserResponse"), ...requestIds("UserError")];
    expect(answered.sort()).toEqual(requestIds("UserRequest").sort());
  });

  it("sends Stopped (note) in the same step as every deallocation", () => {
    const stopped = notes(events, "send-stopped");
    for (const deallocate of notes(events, "deallocate")) {
      expect(stopped.some((s) => s.actorId === deallocate.actorId && s.time === deallocate.time && s.seq > deallocate.seq)).toBe(true);
    }
  });
});
