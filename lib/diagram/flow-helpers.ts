// Small read-only views of a flow that the app needs next to the Mermaid text.
import type { Flow, FlowItem } from "./types";

export interface ItemCounts {
  /** Messages (`->>`). */
  arrows: number;
  /** Relations (`-->`), e.g. "Same process". */
  relations: number;
  notes: number;
  /** `critical` blocks. */
  blocks: number;
}

export function countItems(flow: Pick<Flow, "items">): ItemCounts {
  const counts: ItemCounts = { arrows: 0, relations: 0, notes: 0, blocks: 0 };
  for (const item of flow.items) {
    if (item.kind === "arrow") counts.arrows++;
    else if (item.kind === "relation") counts.relations++;
    else if (item.kind === "note") counts.notes++;
    else if (item.kind === "block-start") counts.blocks++;
  }
  return counts;
}

/**
 * Drops `critical … end` blocks that draw nothing (no arrow, relation or note inside, at any depth),
 * and unmatched `end`s. A filter (hidden lifelines or types, housekeeping) or a window can empty a
 * phase; Mermaid lays an empty block out with NaN coordinates, so it is never written.
 */
export function dropEmptyBlocks(items: readonly FlowItem[]): FlowItem[] {
  const keep = new Array<boolean>(items.length).fill(true);
  // Open blocks: the index of their start and whether anything was drawn inside so far.
  const open: { index: number; drawn: boolean }[] = [];
  items.forEach((item, index) => {
    if (item.kind === "block-start") {
      open.push({ index, drawn: false });
    } else if (item.kind === "block-end") {
      const block = open.pop();
      if (block === undefined) {
        keep[index] = false;
        return;
      }
      if (!block.drawn) keep[block.index] = keep[index] = false;
      else if (open.length > 0) open[open.length - 1].drawn = true;
    } else if (open.length > 0) {
      open[open.length - 1].drawn = true;
    }
  });
  // Blocks left open are closed by the writer; one with nothing inside is dropped here.
  for (const block of open) if (!block.drawn) keep[block.index] = false;
  return items.filter((_item, index) => keep[index]);
}

export interface SeqsInDrawingOrder {
  /** One entry per arrow or relation, in the order Mermaid draws the message lines. */
  messages: (number | null)[];
  /** One entry per note, in drawing order; null for notes the diagram added itself. */
  notes: (number | null)[];
  /** One entry per `critical` block, in order of its start. */
  blocks: (number | null)[];
}

/**
 * The event behind each drawn element, by element kind. Mermaid draws messages, notes and blocks
 * each in source order, so the n-th message element of the SVG belongs to `messages[n]`.
 */
export function seqsInDrawingOrder(flow: Pick<Flow, "items">): SeqsInDrawingOrder {
  const result: SeqsInDrawingOrder = { messages: [], notes: [], blocks: [] };
  const seqOf = (item: FlowItem) => item.seq ?? null;
  for (const item of flow.items) {
    if (item.kind === "arrow" || item.kind === "relation") result.messages.push(seqOf(item));
    else if (item.kind === "note") result.notes.push(seqOf(item));
    else if (item.kind === "block-start") result.blocks.push(seqOf(item));
  }
  return result;
}
