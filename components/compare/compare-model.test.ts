import { describe, expect, it } from "vitest";
import type { FlowItem } from "@/lib/diagram";
import type { TraceEvent } from "@/lib/trace/types";
import { compareRecordings, compareWithReference, drawingMarks, drawnElementKey, withoutInstanceIds } from "./compare-model";

const participants = [
  { id: "G", title: "Gateway" },
  { id: "AWF", title: "Actor Workflow" },
];

function event(seq: number, runnerId: string | null, actorId = "actor-1"): TraceEvent {
  return {
    seq,
    time: seq,
    kind: "message",
    from: { role: "ActorWorkflow", id: actorId },
    to: { role: "Gateway", id: "gateway" },
    type: "Ready",
    label: "",
    payload: { requestId: "req-77" },
    actorId,
    runnerId,
    cycleId: null,
    causeSeq: null,
    relayOf: null,
    phaseId: null,
    housekeeping: false,
  };
}

function recording(runnerId: string, extra: FlowItem[] = []) {
  const items: FlowItem[] = [
    { kind: "arrow", from: "G", to: "AWF", label: "Wake", seq: 1 },
    { kind: "note", over: ["AWF"], text: "Allocate", seq: 2 },
    { kind: "arrow", from: "AWF", to: "G", label: `Receive runner ID\n${runnerId}`, seq: 3 },
    ...extra,
  ];
  return { participants, items, events: [event(1, null), event(3, runnerId)] };
}

describe("compareRecordings", () => {
  it("sees no difference between two recordings that differ only in instance ids", () => {
    const { report, baseline, compared } = compareRecordings(recording("runner-1a2b"), recording("runner-9f8e"));
    expect(report.ok).toBe(true);
    expect([...baseline.messages, ...baseline.notes, ...compared.messages, ...compared.notes].every((mark) => mark === null)).toBe(true);
  });

  it("marks what only the second has, at its place among the drawn messages and notes", () => {
    const extra: FlowItem[] = [
      { kind: "note", over: ["AWF"], text: "Mark as sleeping", seq: 4 },
      { kind: "arrow", from: "G", to: "AWF", label: "Wake", seq: 5 },
    ];
    const { report, baseline, compared } = compareRecordings(recording("runner-1"), recording("runner-2", extra));
    expect(report.extra.map((diff) => diff.seq)).toEqual([4, 5]);
    expect(baseline).toEqual({ messages: [null, null], notes: [null] });
    expect(compared).toEqual({ messages: [null, null, "extra"], notes: [null, "extra"] });
  });
});

describe("withoutInstanceIds", () => {
  it("replaces runner, actor and request ids but keeps plain words", () => {
    const items: FlowItem[] = [{ kind: "arrow", from: "G", to: "AWF", label: "default pool runner-42 for actor-1 (req-77)" }];
    const [item] = withoutInstanceIds(items, [event(1, "runner-42")]);
    expect(item).toMatchObject({ label: "default pool ‹id› for ‹id› (‹id›)" });
  });
});

describe("compareWithReference", () => {
  it("marks what the reference expects and the recording lacks on the reference's drawing", () => {
    const reference = "sequenceDiagram\n  participant G as Gateway\n  participant AWF as Actor Workflow\n  G->>AWF: Wake\n  note over AWF: Allocate\n  note over AWF: Start pending\n";
    const { report, baseline, compared, reference: parsed } = compareWithReference(reference, recording("runner-1"));
    expect(report.missing.map((diff) => diff.line)).toEqual([6]);
    expect(parsed.items).toHaveLength(3);
    expect(baseline).toEqual({ messages: [null], notes: [null, "missing"] });
    // The recording's "Receive runner ID" is not in the reference.
    expect(report.extra.map((diff) => diff.seq)).toEqual([3]);
    expect(compared).toEqual({ messages: [null, "extra"], notes: [null] });
  });

  it("throws the parser's error for text that is not a sequence diagram", () => {
    expect(() => compareWithReference("graph TD\n  A-->B", recording("runner-1"))).toThrow(/sequenceDiagram/);
  });
});

describe("drawingMarks", () => {
  it("skips blocks, which Mermaid draws apart from messages and notes", () => {
    const items: FlowItem[] = [
      { kind: "block-start", label: "phase" },
      { kind: "relation", from: "G", to: "AWF", label: "Same process" },
      { kind: "note", over: ["G"], text: "n" },
      { kind: "block-end" },
      { kind: "arrow", from: "G", to: "AWF", label: "x" },
    ];
    expect(drawingMarks(items, new Map([[0, "missing"], [4, "moved"]]))).toEqual({ messages: [null, "moved"], notes: [null] });
  });
});

describe("drawnElementKey", () => {
  it("names the n-th drawn message or note an item is, and nothing for block boundaries", () => {
    const items: FlowItem[] = [
      { kind: "block-start", label: "p" },
      { kind: "arrow", from: "G", to: "AWF", label: "Wake" },
      { kind: "note", over: ["AWF"], text: "Allocate" },
      { kind: "relation", from: "AWF", to: "G", label: "Same process" },
      { kind: "note", over: ["G"], text: "x" },
      { kind: "block-end" },
    ];
    expect(items.map((_item, index) => drawnElementKey(items, index))).toEqual([null, "m0", "n0", "m1", "n1", null]);
    expect(drawnElementKey(items, 99)).toBeNull();
  });
});
