import { describe, expect, it } from "vitest";
import { buildFlow } from "./build-flow";
import { countItems, seqsInDrawingOrder } from "./flow-helpers";
import { toMermaid } from "./index";
import { renderMermaid } from "./render";
import { idealTrace } from "./test-fixtures";
import { DiagramError, type Flow } from "./types";

const participants = [
  { id: "U", title: "User" },
  { id: "G", title: "Gateway" },
];

describe("renderMermaid", () => {
  it("writes the reference header, declarations and indented blocks", () => {
    const text = renderMermaid({
      participants: [...participants, { id: "SE", title: "Serverless\nEndpoint" }],
      items: [
        { kind: "block-start", label: "request to sleeping actor" },
        { kind: "arrow", from: "U", to: "G", label: "GET /sleep\n(actor endpoint)" },
        { kind: "arrow", from: "G", to: "U", label: "" },
        { kind: "note", over: ["U", "G"], text: "Actor sleeping" },
        { kind: "relation", from: "SE", to: "G", label: "Same process" },
        { kind: "block-end" },
      ],
    });
    expect(text).toBe(
      [
        "---",
        "config:",
        "  theme: mc",
        "  look: classic",
        "---",
        "sequenceDiagram",
        "  participant U as User",
        "  participant G as Gateway",
        "  participant SE as Serverless<br/>Endpoint",
        "",
        "  critical request to sleeping actor",
        "    U->>G: GET /sleep<br/>(actor endpoint)",
        "    G->>U:",
        "    note over U, G: Actor sleeping",
        "    SE-->G: Same process",
        "  end",
        "",
      ].join("\n"),
    );
  });

  it("escapes labels, notes and block labels", () => {
    const text = renderMermaid({
      participants,
      items: [
        { kind: "block-start", label: "a;b" },
        { kind: "arrow", from: "U", to: "G", label: "GET /<img src=x onerror=alert(1)>" },
        { kind: "note", over: ["G"], text: "50% #1" },
        { kind: "block-end" },
      ],
    });
    expect(text).toContain("critical a#59;b");
    expect(text).toContain("U->>G: GET /#60;img src=x onerror=alert(1)#62;");
    expect(text).toContain("note over G: 50#37; #35;1");
    expect(text).not.toContain("<img");
  });

  it("drops stray ends and closes open blocks so the output always nests", () => {
    const text = renderMermaid({
      participants,
      items: [{ kind: "block-end" }, { kind: "block-start", label: "open" }, { kind: "arrow", from: "U", to: "G", label: "x" }],
    });
    const body = text.split("sequenceDiagram\n")[1].trim().split("\n").map((l) => l.trim());
    expect(body).toEqual(["participant U as User", "participant G as Gateway", "", "critical open", "U->>G: x", "end"]);
  });

  it("wraps the highlighted item in a rect, and a highlighted block as a whole", () => {
    const flow: Flow = {
      participants,
      items: [
        { kind: "arrow", from: "U", to: "G", label: "one", seq: 1 },
        { kind: "block-start", label: "phase", seq: 2 },
        { kind: "arrow", from: "G", to: "U", label: "two", seq: 3 },
        { kind: "block-end", seq: 4 },
      ],
    };
    const lines = (seq: number) => renderMermaid(flow, { highlightSeq: seq }).split("\n").slice(9, -1).map((l) => l.trim());
    expect(lines(3)).toEqual(["U->>G: one", "critical phase", expect.stringMatching(/^rect /), "G->>U: two", "end", "end"]);
    expect(lines(4)).toEqual(["U->>G: one", expect.stringMatching(/^rect /), "critical phase", "G->>U: two", "end", "end"]);
    expect(renderMermaid(flow, { highlightSeq: 99 })).toBe(renderMermaid(flow));
  });

  it("refuses lifeline ids that are not plain identifiers", () => {
    const bad: Flow = { participants, items: [{ kind: "arrow", from: "U", to: "G: x\nA", label: "x" }] };
    expect(() => renderMermaid(bad)).toThrow(DiagramError);
    expect(() => renderMermaid({ participants, items: [{ kind: "note", over: [], text: "x" }] })).toThrow(/at least one/);
  });
});

describe("helpers", () => {
  it("toMermaid is buildFlow then renderMermaid, with the highlight option", () => {
    const events = idealTrace();
    expect(toMermaid(events, { highlightSeq: 3 })).toBe(renderMermaid(buildFlow(events), { highlightSeq: 3 }));
    expect(toMermaid(events, { highlightSeq: 3 })).toContain("rect ");
  });

  it("counts items and lists the seq behind each drawn element", () => {
    const flow: Flow = {
      participants,
      items: [
        { kind: "note", over: ["U"], text: "added" },
        { kind: "block-start", label: "p", seq: 1 },
        { kind: "arrow", from: "U", to: "G", label: "a", seq: 2 },
        { kind: "relation", from: "U", to: "G", label: "r", seq: 3 },
        { kind: "note", over: ["G"], text: "n", seq: 4 },
        { kind: "block-end", seq: 5 },
      ],
    };
    expect(countItems(flow)).toEqual({ arrows: 1, relations: 1, notes: 2, blocks: 1 });
    expect(seqsInDrawingOrder(flow)).toEqual({ messages: [2, 3], notes: [null, 4], blocks: [1] });
  });
});
