import { describe, expect, it } from "vitest";
import { referenceFlow } from "./test-references";
import { buildFlow, type FlowItem } from "@/lib/diagram";
import { idealTrace } from "@/lib/diagram/test-fixtures";
import { messyTrace } from "@/lib/diagram/test-fixtures-messy";
import { compareFlows } from "./compare";
import { checkConformance } from "./index";
import { parseMermaidSequence } from "./parse";
import { formatReport } from "./report";

const reference = (name: keyof typeof referenceFlow) => referenceFlow[name];

const arrow = (from: string, to: string, label: string, seq?: number): FlowItem => ({ kind: "arrow", from, to, label, seq });
const note = (over: string[], text: string, seq?: number): FlowItem => ({ kind: "note", over, text, seq });

const expected: FlowItem[] = [
  { kind: "block-start", label: "request to sleeping actor" },
  arrow("U", "G", "Request to actor"),
  note(["G"], "Actor sleeping"),
  arrow("G", "AWF", "Wake"),
  arrow("AWF", "G", "Receive runner ID"),
  arrow("G", "U", ""),
  { kind: "block-end" },
];
const withSeqs = (items: FlowItem[]): FlowItem[] => items.map((item, i) => ({ ...item, seq: 100 + i }));

describe("compareFlows", () => {
  it("passes when actual labels carry extra words and relays carry any label", () => {
    const actual = withSeqs(expected).map((item) =>
      item.kind === "arrow" ? { ...item, label: `${item.label} (req-1, 12 ms)`.trim() } : item,
    );
    const report = compareFlows(expected, actual);
    expect(report).toMatchObject({ ok: true, matched: expected.length, missing: [], extra: [], outOfOrder: [] });
  });

  it("matches words case-insensitively, whatever separates them", () => {
    const actual = withSeqs(expected).map((item) => (item.kind === "arrow" && item.label === "Wake" ? { ...item, label: "WAKE!" } : item));
    expect(compareFlows(expected, actual).ok).toBe(true);
  });

  it("reports a missing arrow", () => {
    const actual = withSeqs(expected).filter((item) => !(item.kind === "arrow" && item.label === "Wake"));
    const report = compareFlows(expected, actual);
    expect(report.ok).toBe(false);
    expect(report.missing).toEqual([expect.objectContaining({ expectedIndex: 3, text: "G->>AWF: Wake" })]);
    expect(report.extra).toEqual([]);
  });

  it("reports an extra arrow with its seq", () => {
    const actual = withSeqs(expected);
    actual.splice(4, 0, arrow("G", "AWF", "Retry wake", 555));
    const report = compareFlows(expected, actual);
    expect(report.extra).toEqual([expect.objectContaining({ seq: 555, actualIndex: 4, text: "G->>AWF: Retry wake" })]);
    expect(report.missing).toEqual([]);
  });

  it("reports swapped items as out of order", () => {
    const actual = withSeqs(expected);
    [actual[3], actual[4]] = [actual[4], actual[3]];
    const report = compareFlows(expected, actual);
    expect(report.missing).toEqual([]);
    expect(report.extra).toEqual([]);
    expect(report.outOfOrder).toHaveLength(1);
    expect(report.outOfOrder[0]).toMatchObject({ expectedIndex: expect.any(Number), seq: expect.any(Number) });
    expect(report.matched).toBe(expected.length - 1);
  });

  it("reports an arrow on the wrong lifeline as missing and extra", () => {
    const actual = withSeqs(expected).map((item) => (item.kind === "arrow" && item.label === "Wake" ? { ...item, to: "S" } : item));
    const report = compareFlows(expected, actual);
    expect(report.missing.map((d) => d.text)).toEqual(["G->>AWF: Wake"]);
    expect(report.extra.map((d) => d.text)).toEqual(["G->>S: Wake"]);
  });

  it("reports a label missing a word", () => {
    const actual = withSeqs(expected).map((item) => (item.kind === "arrow" && item.label === "Receive runner ID" ? { ...item, label: "Receive runner" } : item));
    expect(compareFlows(expected, actual).missing.map((d) => d.text)).toEqual(["AWF->>G: Receive runner ID"]);
  });

  it("reports a missing note and a note over other lifelines", () => {
    const without = withSeqs(expected).filter((item) => item.kind !== "note");
    expect(compareFlows(expected, without).missing.map((d) => d.text)).toEqual(["note over G: Actor sleeping"]);
    const moved = withSeqs(expected).map((item) => (item.kind === "note" ? { ...item, over: ["AWF"] } : item));
    expect(compareFlows(expected, moved).ok).toBe(false);
  });

  it("reports a missing block and a block with another label", () => {
    const without = withSeqs(expected).filter((item) => !item.kind.startsWith("block"));
    expect(compareFlows(expected, without).missing.map((d) => d.text)).toEqual(["critical request to sleeping actor", "end"]);
    const renamed = withSeqs(expected).map((item) => (item.kind === "block-start" ? { ...item, label: "request to running actor" } : item));
    expect(compareFlows(expected, renamed).missing.map((d) => d.text)).toEqual(["critical request to sleeping actor"]);
  });

  it("compares lifelines by role, through titles when participants are given", () => {
    const split = { participants: [{ id: "R2", title: "Runner 2" }, { id: "X", title: "Runner WS 2" }], items: [arrow("R2", "X", "Connect")] };
    expect(compareFlows([arrow("R", "RWS", "Connect")], split).ok).toBe(true);
    expect(compareFlows([arrow("R", "RWS", "Connect")], [arrow("R2", "RWS2", "Connect")]).ok).toBe(true);
    expect(compareFlows([arrow("R", "RWS", "Connect")], [arrow("R2", "X", "Connect")]).ok).toBe(false);
  });

  it("formats a readable report", () => {
    const actual = withSeqs(expected).filter((item) => !(item.kind === "arrow" && item.label === "Wake"));
    actual.push(arrow("G", "U", "late", 900));
    const parsedExpected = parseMermaidSequence("sequenceDiagram\n  critical request to sleeping actor\n  U->>G: Request to actor\n  note over G: Actor sleeping\n  G->>AWF: Wake\n  AWF->>G: Receive runner ID\n  G->>U:\n  end\n");
    const text = formatReport(compareFlows(parsedExpected, actual));
    expect(text).toMatch(/^Conformance FAILED: 6 of 7 expected items matched/);
    expect(text).toContain("Missing (expected, not found):");
    expect(text).toMatch(/line 5\s+G->>AWF: Wake/);
    expect(text).toMatch(/seq 900\s+G->>U: late/);
    expect(formatReport(compareFlows(expected, expected))).toMatch(/^Conformance OK/);
  });
});

describe("recorded flows against the reference files", () => {
  it("the ideal trace conforms to the ideal reference", () => {
    const report = checkConformance(reference("ideal"), buildFlow(idealTrace()));
    expect(formatReport(report)).toMatch(/^Conformance OK/);
  });

  it("the messy trace conforms to the messy reference, merged and split", () => {
    expect(checkConformance(reference("messy"), buildFlow(messyTrace())).ok).toBe(true);
    const split = checkConformance(reference("messy"), buildFlow(messyTrace(), { runners: "split" }));
    // Split diagrams need no runner notes; they are the only differences.
    expect(split.missing.map((d) => d.text)).toEqual([
      "note over R, RWF: For simplicity, this represents multiple runners/runner workflows",
      "note over R, SE: Second runner",
    ]);
    expect(split.extra).toEqual([]);
    expect(split.outOfOrder).toEqual([]);
  });

  it("the ideal trace does not conform to the messy reference", () => {
    const report = checkConformance(reference("messy"), buildFlow(idealTrace()));
    expect(report.ok).toBe(false);
    expect(report.missing.length).toBeGreaterThan(50);
  });
});
