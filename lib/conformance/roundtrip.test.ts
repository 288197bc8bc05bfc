import { describe, expect, it } from "vitest";
import { referenceFlow } from "./test-references";
import { buildFlow, renderMermaid, toMermaid, type Flow, type FlowItem } from "@/lib/diagram";
import { idealTrace } from "@/lib/diagram/test-fixtures";
import { messyTrace } from "@/lib/diagram/test-fixtures-messy";
import { compareFlows } from "./compare";
import { parseMermaidSequence } from "./parse";

/** Positions differ by design between a flow and its re-read text; compare the rest. */
const withoutLine = (item: FlowItem): FlowItem => {
  const copy = { ...item };
  delete copy.line;
  return copy;
};
const withoutSeq = (item: FlowItem): FlowItem => {
  const copy = { ...item };
  delete copy.seq;
  return copy;
};

const DANGEROUS = [
  "semi;colon",
  "hash #1",
  "<img src=x onerror=alert(1)>",
  'quote " and \' apostrophe',
  "a & b",
  "100%% done %%{init: {}}%%",
  "colon: in: label",
  "wrap: not a directive",
  "style:#fff;",
  "end",
  "critical thing",
  "note over G: fake",
  "two\nlines",
  "#59; literally",
];

describe("render → parse round trip", () => {
  it("gives back every dangerous label exactly", () => {
    const flow: Flow = {
      participants: [{ id: "U", title: "User" }, { id: "G", title: "Gate;way <x>" }],
      items: DANGEROUS.flatMap((text, i) => [
        { kind: "block-start" as const, label: text },
        { kind: "arrow" as const, from: "U", to: "G", label: text, seq: i },
        { kind: "note" as const, over: ["G"], text },
        { kind: "block-end" as const },
      ]),
    };
    const parsed = parseMermaidSequence(renderMermaid(flow));
    expect(parsed.participants).toEqual(flow.participants);
    expect(parsed.items.map(withoutLine)).toEqual(flow.items.map(withoutSeq));
    expect(compareFlows(flow, parsed).ok).toBe(true);
  });

  it("keeps the diagrams of recorded traces equal, in every view", () => {
    for (const events of [idealTrace("/a;b#c<script>"), messyTrace()]) {
      for (const options of [{}, { detail: "full" as const }, { runners: "split" as const }, { highlightSeq: 5 }]) {
        const flow = buildFlow(events, options);
        const parsed = parseMermaidSequence(renderMermaid(flow, options));
        expect(compareFlows(flow, parsed)).toMatchObject({ ok: true, matched: flow.items.length });
      }
    }
  });

  it("re-reads a reference through our own writer without losing anything", () => {
    const text = referenceFlow.messy;
    const parsed = parseMermaidSequence(text);
    const again = parseMermaidSequence(renderMermaid(parsed));
    expect(again.items.map(withoutLine)).toEqual(parsed.items.map(withoutLine));
  });

  it("shows a request path with markup as text in the generated Mermaid", () => {
    const text = toMermaid(idealTrace("/<img src=x onerror=alert(1)>"));
    expect(text).not.toContain("<img");
    expect(text).toContain("#60;img src=x onerror=alert(1)#62;");
  });
});
