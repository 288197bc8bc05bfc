// The fidelity comparison of two recorded flows, lifeline pair by lifeline pair: what only one
// engine drew becomes a row on its side, labels that say more on either side still pair up, and
// each row is explained by the first known difference that matches it (or none).
import { describe, expect, it } from "vitest";
import type { FlowItem, Participant } from "@/lib/diagram";
import { compareByLifelinePair, type DifferenceRow } from "./compare";
import { annotate, type KnownDifference } from "./known-differences";

const participants: Participant[] = [
  { id: "U", title: "User" },
  { id: "G", title: "Gateway" },
  { id: "AWF", title: "Actor Workflow" },
];
const arrow = (from: string, to: string, label: string, seq: number): FlowItem => ({ kind: "arrow", from, to, label, seq });
const note = (over: string, text: string, seq: number): FlowItem => ({ kind: "note", over: [over], text, seq });

describe("comparing two recorded cycles by lifeline pair", () => {
  const embedded = [arrow("U", "G", "GET /hello\n(request to actor endpoint)", 1), arrow("G", "AWF", "Wake", 2), note("AWF", "Allocate", 3), arrow("AWF", "G", "Receive runner ID", 4)];
  const real = [arrow("U", "G", "GET /hello\n(request to actor)", 1), arrow("G", "AWF", "Wake", 2), arrow("G", "AWF", "Wake", 3), note("AWF", "Allocate", 4), note("AWF", "Allocated to runner x", 5), arrow("AWF", "G", "Receive runner ID", 6)];

  it("pairs what both drew, whichever side's label says more, and reports the rest per pair", () => {
    const { rows, matched } = compareByLifelinePair({ participants, items: embedded }, { participants, items: real });
    // The request, one Wake, the Allocate note and Ready.
    expect(matched).toBe(4);
    expect(rows).toEqual([
      { pair: "G ↔ AWF", kind: "only real", embedded: "—", real: "G->>AWF: Wake" },
      { pair: "note AWF", kind: "only real", embedded: "—", real: "note over AWF: Allocated to runner x" },
    ]);
  });

  it("a side that drew nothing has every item of the other as a difference", () => {
    const { rows, matched } = compareByLifelinePair({ participants, items: [] }, { participants, items: real });
    expect(matched).toBe(0);
    expect(rows).toHaveLength(real.length);
    expect(rows.every((row) => row.kind === "only real" && row.embedded === "—")).toBe(true);
  });
});

describe("explaining differences", () => {
  const row = (pair: string, real: string): DifferenceRow => ({ workload: "wake", client: "runner-v7", cycle: 2, pair, kind: "only real", embedded: "—", real });
  const known: KnownDifference[] = [
    { id: "double-wake", title: "", verdict: "engine team", why: "", matches: (r) => r.pair === "G ↔ AWF" },
    { id: "any-note", title: "", verdict: "stays", why: "", matches: (r) => r.pair.startsWith("note") },
    { id: "never-reached", title: "", verdict: "stays", why: "", matches: (r) => r.pair === "G ↔ AWF" },
  ];

  it("takes the first entry that matches, and leaves a row no entry matches unexplained", () => {
    const annotated = annotate([row("G ↔ AWF", "G->>AWF: Wake"), row("note AWF", "note over AWF: x"), row("U ↔ G", "G->>U: 503")], known);
    expect(annotated.map((r) => r.known)).toEqual(["double-wake", "any-note", null]);
  });
});
