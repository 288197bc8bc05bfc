// Filtering never breaks a diagram: every view of the messy flow with one lifeline or one message
// type hidden is read by Mermaid's own parser without error, and holds no empty block (Mermaid lays
// an empty `critical … end` or `rect … end` out with NaN coordinates) and no relay that reads as
// the continuation of another message.
import mermaid from "mermaid";
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "@/lib/trace/types";
import { buildFlow } from "./build-flow";
import { dropEmptyBlocks } from "./flow-helpers";
import { renderMermaid } from "./render";
import { messyTrace } from "./test-fixtures-messy";
import type { DiagramOptions, FlowItem } from "./types";

interface ParsedMessage {
  type: number;
  from?: string | null;
}

interface SequenceDb {
  getMessages(): ParsedMessage[];
  LINETYPE: Record<string, number>;
}

async function parsedMessages(text: string): Promise<{ messages: ParsedMessage[]; lineType: Record<string, number> }> {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as SequenceDb;
  return { messages: db.getMessages(), lineType: db.LINETYPE };
}

/** The block kinds Mermaid knows, as [start, end] line types. */
function blockTypes(lineType: Record<string, number>): Map<number, number> {
  const pairs = new Map<number, number>();
  for (const [name, start] of Object.entries(lineType)) {
    if (!name.endsWith("_START") || name === "ACTIVE_START") continue;
    const end = lineType[name.replace(/_START$/, "_END")];
    if (end !== undefined) pairs.set(start, end);
  }
  return pairs;
}

/** Blocks of the parsed diagram with nothing drawn inside (a message or a note, at any depth). */
function emptyBlocks(messages: ParsedMessage[], lineType: Record<string, number>): number {
  const pairs = blockTypes(lineType);
  const ends = new Set(pairs.values());
  const open: boolean[] = [];
  let empty = 0;
  for (const message of messages) {
    if (pairs.has(message.type)) open.push(false);
    else if (ends.has(message.type)) {
      const drawn = open.pop();
      if (drawn === false) empty++;
      else if (drawn && open.length > 0) open[open.length - 1] = true;
    } else if (message.from != null && open.length > 0) open[open.length - 1] = true;
  }
  return empty;
}

function flowHasEmptyBlock(items: readonly FlowItem[]): boolean {
  return dropEmptyBlocks(items).length !== items.length;
}

const events = messyTrace();
const types = [...new Set(events.filter((event) => event.kind !== "phase-start" && event.kind !== "phase-end").map((event) => event.type))];
const details: NonNullable<DiagramOptions["detail"]>[] = ["default", "full"];

const views: [string, DiagramOptions][] = details.flatMap((detail) => [
  ...ROLES.map((role): [string, DiagramOptions] => [`${detail}, lifeline ${role} hidden`, { detail, hideRoles: [role as Role] }]),
  ...types.map((type): [string, DiagramOptions] => [`${detail}, type ${type} hidden`, { detail, hideTypes: [type] }]),
]);

describe("filtered views of the messy flow with Mermaid's parser", () => {
  beforeAll(async () => {
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
    await mermaid.parse("sequenceDiagram\n  A->>B: x\n");
  });

  it("covers every lifeline and every type of the flow", () => {
    expect(types.length).toBeGreaterThan(20);
    expect(views).toHaveLength(2 * (ROLES.length + types.length));
  });

  it.each(views)("%s: parses, with no empty block and no dangling relay", async (_name, options) => {
    const flow = buildFlow(events, options);
    expect(flowHasEmptyBlock(flow.items)).toBe(false);
    // The replay highlight (a `rect`) around a drawn item must not empty anything either.
    const highlighted = flow.items.find((item) => item.kind === "arrow" && item.seq !== undefined)?.seq ?? null;
    for (const text of [renderMermaid(flow), renderMermaid(flow, { highlightSeq: highlighted })]) {
      const { messages, lineType } = await parsedMessages(text);
      expect(emptyBlocks(messages, lineType)).toBe(0);
    }
    // An unlabelled arrow continues the arrow just above it: the same message, one hop further.
    const bySeq = new Map(events.map((event) => [event.seq, event]));
    const root = (seq: number): number => {
      let current = seq;
      while (bySeq.get(current)?.relayOf != null) current = bySeq.get(current)!.relayOf!;
      return current;
    };
    const arrows = flow.items.filter((item) => item.kind === "arrow" || item.kind === "relation");
    arrows.forEach((arrow, index) => {
      if (arrow.label !== "") return;
      const previous = arrows[index - 1];
      expect(previous, `unlabelled arrow #${arrow.seq} has an arrow above it`).toBeDefined();
      expect(root(previous.seq!)).toBe(root(arrow.seq!));
    });
  });

  it("labels the first hop on screen of a message whose earlier hops are hidden, without 'from before'", () => {
    const flow = buildFlow(events, { hideRoles: ["RunnerWS"] });
    const responses = flow.items.filter((item) => item.kind === "arrow" && item.from === "G" && item.to === "U");
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses) {
      expect(response.kind === "arrow" && response.label).not.toBe("");
      expect(response.kind === "arrow" && response.label).not.toContain("from before");
    }
  });

  it("drops a block emptied by a hidden lifeline, and keeps its neighbours", () => {
    const shown = buildFlow(events);
    const hidden = buildFlow(events, { hideRoles: ["RunnerWS"] });
    const blockLabels = (items: FlowItem[]) => items.flatMap((item) => (item.kind === "block-start" ? [item.label] : []));
    expect(blockLabels(shown.items)).toContain("runner connection");
    expect(blockLabels(hidden.items)).not.toContain("runner connection");
    expect(blockLabels(hidden.items)).toContain("actor allocation");
  });
});

describe("dropEmptyBlocks", () => {
  it("drops empty and nested-empty blocks and unmatched ends, keeping blocks that draw something", () => {
    const arrow: FlowItem = { kind: "arrow", from: "A", to: "B", label: "x" };
    const start = (label: string): FlowItem => ({ kind: "block-start", label });
    const end: FlowItem = { kind: "block-end" };
    expect(dropEmptyBlocks([start("a"), start("b"), end, end, arrow])).toEqual([arrow]);
    expect(dropEmptyBlocks([end, start("a"), start("b"), arrow, end, end])).toEqual([start("a"), start("b"), arrow, end, end]);
    expect(dropEmptyBlocks([start("a"), start("b"), end, arrow, end])).toEqual([start("a"), arrow, end]);
    // Left open: kept when it draws something (the writer closes it), dropped otherwise.
    expect(dropEmptyBlocks([start("a"), arrow])).toEqual([start("a"), arrow]);
    expect(dropEmptyBlocks([arrow, start("a")])).toEqual([arrow]);
  });
});
