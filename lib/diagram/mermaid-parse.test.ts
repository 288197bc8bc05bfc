// Checks generated text with the real Mermaid parser (it runs under Node without a DOM), and that
// every label reaches Mermaid's diagram model intact.
import mermaid from "mermaid";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFlow } from "./build-flow";
import { renderMermaid } from "./render";
import { idealTrace } from "./test-fixtures";
import { messyTrace } from "./test-fixtures-messy";
import type { Flow, FlowItem } from "./types";

interface SequenceMessage {
  from?: string;
  to?: string;
  message: string;
}

/** Mermaid keeps `#NN;` codes as placeholders until the SVG is written; decode them like it does. */
const fromMermaid = (text: string) =>
  text
    .replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/<br\s*\/?>/gi, "\n");

async function messagesOf(text: string): Promise<SequenceMessage[]> {
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as { getMessages(): SequenceMessage[] };
  // Arrows, relations and notes have lifelines; block markers do not.
  return db.getMessages().filter((m) => m.from != null);
}

const drawnTexts = (items: FlowItem[]) =>
  items.flatMap((i) => (i.kind === "arrow" || i.kind === "relation" ? [i.label] : i.kind === "note" ? [i.text] : []));

describe("generated Mermaid with the real parser", () => {
  beforeAll(async () => {
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
    // Registers the diagram types; the internal API below needs them.
    await mermaid.parse("sequenceDiagram\n  A->>B: x\n");
  });

  it.each([
    ["ideal", () => buildFlow(idealTrace())],
    ["messy, merged", () => buildFlow(messyTrace())],
    ["messy, split, full detail, highlighted", () => buildFlow(messyTrace(), { runners: "split", detail: "full" })],
  ])("parses the %s diagram and keeps every label", async (_name, makeFlow) => {
    const flow = makeFlow();
    const text = renderMermaid(flow, { highlightSeq: 40 });
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: "sequence" });
    const messages = await messagesOf(text);
    expect(messages.map((m) => fromMermaid(m.message))).toEqual(drawnTexts(flow.items));
  });

  it("keeps dangerous text as text", async () => {
    const labels = [
      "GET /<img src=x onerror=alert(1)>",
      "a;b",
      "#1 & 100%",
      "x %%{init: {'securityLevel':'loose'}}%% y",
      "wrap: not a directive",
      "style:#fff;",
      'say "hi" \'there\'',
      "end",
      "critical",
      "note over A: fake",
      "two\nlines",
    ];
    const flow: Flow = {
      participants: [{ id: "A", title: "A" }, { id: "B", title: "B" }],
      items: [
        { kind: "block-start", label: "p;#1" },
        ...labels.map((label): FlowItem => ({ kind: "arrow", from: "A", to: "B", label })),
        ...labels.map((text): FlowItem => ({ kind: "note", over: ["A"], text })),
        { kind: "block-end" },
      ],
    };
    const text = renderMermaid(flow);
    const messages = await messagesOf(text);
    expect(messages.map((m) => fromMermaid(m.message))).toEqual([...labels, ...labels]);
    expect(messages.every((m) => !m.message.includes("<img"))).toBe(true);
  });

  it("accepts an empty critical block", async () => {
    const text = renderMermaid({ participants: [{ id: "A", title: "A" }], items: [{ kind: "block-start", label: "idle" }, { kind: "block-end" }] });
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
  });
});
