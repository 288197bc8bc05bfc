import { describe, expect, it } from "vitest";
import { referenceFlow } from "./test-references";
import { countItems } from "@/lib/diagram";
import { ConformanceError } from "./errors";
import { parseMermaidSequence } from "./parse";

const reference = (name: keyof typeof referenceFlow) => referenceFlow[name];

describe("parseMermaidSequence on the reference flows", () => {
  // Counted by hand from the files; commented-out lines (`%%`) do not count.
  it("reads the ideal flow", () => {
    const parsed = parseMermaidSequence(reference("ideal"));
    expect(parsed.participants.map((p) => p.id)).toEqual(["A", "U", "G", "R", "RWS", "RWF", "AWF", "S", "SE"]);
    expect(parsed.participants.at(-1)).toEqual({ id: "SE", title: "Serverless\nEndpoint" });
    expect(countItems(parsed)).toEqual({ arrows: 19, relations: 1, notes: 10, blocks: 3 });
    expect(parsed.items.filter((i) => i.kind === "block-end")).toHaveLength(3);
    expect(parsed.items[0]).toEqual({ kind: "note", over: ["AWF"], text: "Actor already\ncreated and sleeping", line: 18 });
    expect(parsed.items.filter((i) => i.kind === "arrow" && i.label === "")).toHaveLength(7);
  });

  it("reads the messy flow", () => {
    const parsed = parseMermaidSequence(reference("messy"));
    // `%% participant A as API` is commented out.
    expect(parsed.participants.map((p) => p.id)).toEqual(["U", "G", "R", "RWS", "RWF", "AWF", "S", "SE"]);
    expect(countItems(parsed)).toEqual({ arrows: 82, relations: 2, notes: 45, blocks: 10 });
    expect(parsed.items[0]).toEqual({
      kind: "note",
      over: ["R", "RWF"],
      text: "For simplicity, this represents multiple\nrunners/runner workflows",
      line: 18,
    });
    expect(parsed.items).toContainEqual({ kind: "arrow", from: "RWF", to: "RWS", label: "Proxy StopActor\n(from before)", line: 95 });
    expect(parsed.items).toContainEqual({ kind: "note", over: ["R", "SE"], text: "Second runner", line: 133 });
    expect(parsed.items).toContainEqual({ kind: "relation", from: "SE", to: "R", label: "Same process", line: 134 });
    expect(parsed.items).toContainEqual({ kind: "block-start", label: "actor sleep cont", line: 94 });
  });
});

describe("parseMermaidSequence syntax", () => {
  const parse = (body: string) => parseMermaidSequence(`sequenceDiagram\n${body}\n`);

  it("decodes entities and <br/> in labels and titles", () => {
    const parsed = parse("participant X as A#59;B\nX->>Y: a #35;1 #60;b#62;<br/>c");
    expect(parsed.participants).toEqual([{ id: "X", title: "A;B" }, { id: "Y", title: "Y" }]);
    expect(parsed.items[0]).toMatchObject({ label: "a #1 <b>\nc" });
  });

  it("accepts a trailing statement `;`, `Note` in any case, and ignores highlight rects", () => {
    const parsed = parse("A->>B: hi;\nNote over A,B: n\nrect rgba(1, 2, 3, 0.5)\nA->>B: x\nend");
    expect(parsed.items).toEqual([
      { kind: "arrow", from: "A", to: "B", label: "hi", line: 2 },
      { kind: "note", over: ["A", "B"], text: "n", line: 3 },
      { kind: "arrow", from: "A", to: "B", label: "x", line: 5 },
    ]);
  });

  const errorOf = (text: string) => {
    try {
      parseMermaidSequence(text);
    } catch (error) {
      return error;
    }
    throw new Error("expected a parse error");
  };

  it.each([
    ["unknown statement", "sequenceDiagram\n  A->>B: ok\n  loop forever\n  end\n", 3, /unsupported statement/],
    ["stray end", "sequenceDiagram\n\n  end\n", 3, /without an open block/],
    ["unclosed block", "sequenceDiagram\n  critical x\n  A->>B: y\n", 2, /never closed/],
    ["raw semicolon", "sequenceDiagram\n  A->>B: a;b\n", 2, /#59;/],
    ["missing header", "graph TD\n  A-->B\n", 1, /sequenceDiagram/],
    ["unclosed frontmatter", "---\nconfig: {}\nsequenceDiagram\n", 1, /frontmatter/],
    ["message without colon", "---\n---\nsequenceDiagram\n  A->>B\n", 4, /unsupported/],
  ])("reports %s with its line", (_name, text, line, message) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(ConformanceError);
    expect(error).toMatchObject({ code: "parse_error", line });
    expect((error as Error).message).toMatch(message);
  });

  it("reports an empty text", () => {
    expect(errorOf("%% nothing\n")).toMatchObject({ code: "parse_error" });
  });
});
