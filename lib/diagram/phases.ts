// Phases are spans recorded by the engine and they do not always nest (an actor is still going to
// sleep while the next request's phase starts). Mermaid blocks must nest, so a phase interrupted
// by an unrelated one is closed ("suspended") and re-opened as `critical <label> cont` when one of
// its events shows up again — the way the messy reference draws `actor sleep` / `actor sleep cont`.
//
// A phase-start's phaseId is its parent phase; any other event's phaseId is the phase it belongs to;
// a phase-end's phaseId is the start it ends.
import type { TraceEvent } from "@/lib/trace/types";
import { labelToText } from "./text";
import type { FlowItem } from "./types";

type BlockEnd = Extract<FlowItem, { kind: "block-end" }>;

export class PhaseBlocks {
  /** Phase-starts drawn as open blocks, outermost first. */
  private readonly stack: TraceEvent[] = [];
  /** Phases still running but not drawn as open (interrupted by another phase). */
  private readonly suspended = new Map<number, TraceEvent>();

  /** Before drawing an event of phase `phaseId`: re-opens that phase if it was suspended. */
  enter(phaseId: number | null): FlowItem[] {
    const start = phaseId === null ? undefined : this.suspended.get(phaseId);
    if (start === undefined) return [];
    this.suspended.delete(start.seq);
    this.stack.push(start);
    return [{ kind: "block-start", label: `${phaseLabel(start)} cont` }];
  }

  /** Opens a phase inside its parent when the parent is open, otherwise at the top level. */
  start(start: TraceEvent): FlowItem[] {
    const parentIndex = this.stack.findIndex((open) => open.seq === start.phaseId);
    const items: FlowItem[] = this.suspendFrom(parentIndex + 1);
    this.stack.push(start);
    items.push({ kind: "block-start", label: phaseLabel(start), seq: start.seq });
    return items;
  }

  /** Closes the phase the end event names; phases drawn inside it are suspended, not ended. */
  end(end: TraceEvent): FlowItem[] {
    if (end.phaseId !== null && this.suspended.delete(end.phaseId)) return [];
    const index = this.stack.findIndex((open) => open.seq === end.phaseId);
    if (index < 0) return []; // its start is not in the selection
    const items = this.suspendFrom(index + 1);
    this.stack.pop();
    items.push({ kind: "block-end", seq: end.seq });
    return items;
  }

  /** Closes every block still open when the selection ends. */
  finish(): FlowItem[] {
    return this.stack.splice(0).map((): BlockEnd => ({ kind: "block-end" }));
  }

  private suspendFrom(index: number): BlockEnd[] {
    const interrupted = this.stack.splice(index).reverse();
    for (const start of interrupted) this.suspended.set(start.seq, start);
    return interrupted.map((): BlockEnd => ({ kind: "block-end" }));
  }
}

function phaseLabel(start: TraceEvent): string {
  return labelToText(start.label) || start.type;
}

/** The phases started among `events` and not ended by any of them, in start order. */
export function runningPhases(events: readonly TraceEvent[]): TraceEvent[] {
  const running = new Map<number, TraceEvent>();
  for (const event of events) {
    if (event.kind === "phase-start") running.set(event.seq, event);
    else if (event.kind === "phase-end" && event.phaseId !== null) running.delete(event.phaseId);
  }
  return [...running.values()];
}
