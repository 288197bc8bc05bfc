// Flow → Mermaid text, in the layout of the reference diagrams.
import { dropEmptyBlocks } from "./flow-helpers";
import { escapeMermaidText } from "./text";
import { DiagramError, type Flow, type FlowItem, type RenderOptions } from "./types";

const HEADER = ["---", "config:", "  theme: mc", "  look: classic", "---", "sequenceDiagram"];
const HIGHLIGHT_FILL = "rgba(255, 200, 0, 0.25)";
const INDENT = "  ";

const LIFELINE_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function renderMermaid(flow: Flow, options: RenderOptions = {}): string {
  assertWritable(flow);
  const lines = [...HEADER];
  for (const participant of flow.participants) {
    lines.push(`${INDENT}participant ${participant.id} as ${titleText(participant.title)}`);
  }
  if (flow.participants.length > 0 && flow.items.length > 0) lines.push("");

  const items = balanced(dropEmptyBlocks(flow.items));
  const highlight = highlightRange(items, options.highlightSeq ?? null);
  let depth = 1;
  items.forEach((item, index) => {
    if (item.kind === "block-end") depth--;
    if (highlight && index === highlight.first) lines.push(`${INDENT.repeat(depth)}rect ${HIGHLIGHT_FILL}`);
    const extra = highlight && index >= highlight.first && index <= highlight.last ? 1 : 0;
    lines.push(INDENT.repeat(depth + extra) + itemLine(item));
    if (highlight && index === highlight.last) lines.push(`${INDENT.repeat(depth)}end`);
    if (item.kind === "block-start") depth++;
  });
  return `${lines.join("\n")}\n`;
}

function itemLine(item: FlowItem): string {
  switch (item.kind) {
    case "arrow":
      return `${item.from}->>${item.to}:${labelPart(item.label)}`;
    case "relation":
      return `${item.from}-->${item.to}:${labelPart(item.label)}`;
    case "note":
      return `note over ${item.over.join(", ")}:${labelPart(item.text)}`;
    case "block-start":
      return `critical${labelPart(item.label)}`;
    case "block-end":
      return "end";
  }
}

/** Lifeline ids are written raw, so only plain identifiers are accepted. */
function assertWritable(flow: Flow): void {
  const ids = [
    ...flow.participants.map((participant) => participant.id),
    ...flow.items.flatMap((item) =>
      item.kind === "arrow" || item.kind === "relation" ? [item.from, item.to] : item.kind === "note" ? item.over : [],
    ),
  ];
  const bad = ids.find((id) => !LIFELINE_ID.test(id));
  if (bad !== undefined) throw new DiagramError("invalid_flow", `lifeline id ${JSON.stringify(bad)} is not a plain identifier`);
  if (flow.items.some((item) => item.kind === "note" && item.over.length === 0)) {
    throw new DiagramError("invalid_flow", "a note must be over at least one lifeline");
  }
}

/** A participant alias also ends at `:`, `,` and `@` in Mermaid's grammar. */
function titleText(title: string): string {
  return escapeMermaidText(title).replace(/[:,@]/g, (char) => `#${char.codePointAt(0)};`);
}

/** " text", or nothing for an empty label — the references write a relay as `X->>Y:`. */
function labelPart(text: string): string {
  const escaped = escapeMermaidText(text);
  return escaped === "" ? "" : ` ${escaped}`;
}

/** Closes blocks left open (unmatched `end`s are dropped before), so the output always parses. */
function balanced(items: readonly FlowItem[]): FlowItem[] {
  const result: FlowItem[] = [];
  let open = 0;
  for (const item of items) {
    if (item.kind === "block-end") {
      if (open === 0) continue;
      open--;
    } else if (item.kind === "block-start") {
      open++;
    }
    result.push(item);
  }
  for (; open > 0; open--) result.push({ kind: "block-end" });
  return result;
}

/**
 * The items to wrap in a highlight `rect`: the item with that seq, or a whole block when the seq is
 * one of its boundaries (a `rect` must not cut through a block).
 */
function highlightRange(items: readonly FlowItem[], seq: number | null): { first: number; last: number } | null {
  if (seq === null) return null;
  const index = items.findIndex((item) => item.seq === seq);
  if (index < 0) return null;
  const item = items[index];
  if (item.kind === "block-start") return { first: index, last: matchingEnd(items, index) };
  if (item.kind === "block-end") return { first: matchingStart(items, index), last: index };
  return { first: index, last: index };
}

function matchingEnd(items: readonly FlowItem[], start: number): number {
  let depth = 0;
  for (let i = start; i < items.length; i++) {
    if (items[i].kind === "block-start") depth++;
    if (items[i].kind === "block-end" && --depth === 0) return i;
  }
  return items.length - 1;
}

function matchingStart(items: readonly FlowItem[], end: number): number {
  let depth = 0;
  for (let i = end; i >= 0; i--) {
    if (items[i].kind === "block-end") depth++;
    if (items[i].kind === "block-start" && --depth === 0) return i;
  }
  return 0;
}
