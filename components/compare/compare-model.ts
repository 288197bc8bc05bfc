// The comparison itself, as plain functions: align two flows with the conformance aligner and turn
// its report into marks for each drawn diagram (by element kind and drawing order, the way Mermaid
// lays out messages and notes).
import { compareFlows, parseMermaidSequence, type ConformanceReport } from "@/lib/conformance";
import type { FlowItem, Participant } from "@/lib/diagram";
import type { TraceEvent } from "@/lib/trace/types";

/** How an item differs: only on the baseline side, only on the compared side, or in another place. */
export type DiffMark = "missing" | "extra" | "moved";

export interface SideFlow {
  participants: readonly Participant[];
  items: readonly FlowItem[];
}

/** Marks of one diagram: per message (arrows and relations) and per note, in drawing order. */
export interface DrawingMarks {
  messages: (DiffMark | null)[];
  notes: (DiffMark | null)[];
}

export interface Comparison {
  report: ConformanceReport;
  /** Marks on the baseline (A, or the reference) and on the compared side (B, or the recording). */
  baseline: DrawingMarks;
  compared: DrawingMarks;
}

const ID_PLACEHOLDER = "‹id›";

/**
 * Instance ids (runner, actor and request ids) differ between any two recordings, so they are
 * replaced in labels before two recorded flows are aligned. Only ids with a digit count as
 * instance ids: pool and role names such as "default" are part of the flow.
 */
export function withoutInstanceIds(items: readonly FlowItem[], events: readonly TraceEvent[]): FlowItem[] {
  const ids = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === "string" && value.length >= 3 && /\d/.test(value)) ids.add(value);
  };
  for (const event of events) {
    add(event.actorId);
    add(event.runnerId);
    add(event.from?.id);
    add(event.to?.id);
    if (typeof event.payload === "object" && event.payload !== null) {
      const payload = event.payload as Record<string, unknown>;
      add(payload.requestId);
      add(payload.runnerId);
      add(payload.actorId);
    }
  }
  // Longest first, so an id that contains another is replaced whole.
  const ordered = [...ids].sort((a, b) => b.length - a.length);
  const scrub = (text: string) => ordered.reduce((result, id) => result.split(id).join(ID_PLACEHOLDER), text);
  return items.map((item) => {
    switch (item.kind) {
      case "note":
        return { ...item, text: scrub(item.text) };
      case "arrow":
      case "relation":
      case "block-start":
        return { ...item, label: scrub(item.label) };
      case "block-end":
        return item;
    }
  });
}

/** Two recordings: A is the baseline, B is read against it. */
export function compareRecordings(
  a: SideFlow & { events: readonly TraceEvent[] },
  b: SideFlow & { events: readonly TraceEvent[] },
): Comparison {
  const report = compareFlows(
    { participants: a.participants, items: withoutInstanceIds(a.items, a.events) },
    { participants: b.participants, items: withoutInstanceIds(b.items, b.events) },
  );
  return { report, ...marksFor(report, a.items, b.items) };
}

/** A reference diagram (the baseline) against a recording. Throws ConformanceError for bad text. */
export function compareWithReference(referenceText: string, recording: SideFlow): Comparison & { reference: SideFlow } {
  const reference = parseMermaidSequence(referenceText);
  const report = compareFlows(reference, recording);
  return { report, reference, ...marksFor(report, reference.items, recording.items) };
}

function marksFor(
  report: ConformanceReport,
  baselineItems: readonly FlowItem[],
  comparedItems: readonly FlowItem[],
): Pick<Comparison, "baseline" | "compared"> {
  const baseline = new Map<number, DiffMark>();
  const compared = new Map<number, DiffMark>();
  for (const diff of report.missing) if (diff.expectedIndex !== undefined) baseline.set(diff.expectedIndex, "missing");
  for (const diff of report.extra) if (diff.actualIndex !== undefined) compared.set(diff.actualIndex, "extra");
  for (const diff of report.outOfOrder) {
    if (diff.expectedIndex !== undefined) baseline.set(diff.expectedIndex, "moved");
    if (diff.actualIndex !== undefined) compared.set(diff.actualIndex, "moved");
  }
  return { baseline: drawingMarks(baselineItems, baseline), compared: drawingMarks(comparedItems, compared) };
}

/** Item marks → marks by drawn element, in the order Mermaid draws messages and notes. */
export function drawingMarks(items: readonly FlowItem[], marks: ReadonlyMap<number, DiffMark>): DrawingMarks {
  const result: DrawingMarks = { messages: [], notes: [] };
  items.forEach((item, index) => {
    const mark = marks.get(index) ?? null;
    if (item.kind === "arrow" || item.kind === "relation") result.messages.push(mark);
    else if (item.kind === "note") result.notes.push(mark);
  });
  return result;
}

/**
 * Which drawn element shows item `index`: "m3" for the fourth message (arrow or relation), "n0" for
 * the first note, in Mermaid's drawing order; null for a block boundary (or no item).
 */
export function drawnElementKey(items: readonly FlowItem[], index: number): string | null {
  const item = items[index];
  if (!item || (item.kind !== "arrow" && item.kind !== "relation" && item.kind !== "note")) return null;
  const isMessage = item.kind !== "note";
  let position = 0;
  for (let i = 0; i < index; i++) {
    const kind = items[i].kind;
    if (isMessage ? kind === "arrow" || kind === "relation" : kind === "note") position++;
  }
  return `${isMessage ? "m" : "n"}${position}`;
}

export function countMarks(marks: DrawingMarks): number {
  return [...marks.messages, ...marks.notes].filter((mark) => mark !== null).length;
}

/** Where an item comes from: its line in a reference file, or its event in a recording. */
export function itemPlace(item: FlowItem | undefined): string {
  if (item?.line !== undefined) return `line ${item.line}`;
  if (item?.seq !== undefined) return `event #${item.seq}`;
  return "";
}
