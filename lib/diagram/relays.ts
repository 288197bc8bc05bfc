// Relays: a message forwarded unchanged one hop further. The references draw a hop that follows
// its chain with an empty label (`RWF->>RWS:`); a hop delivered later, after other messages,
// keeps a label and says so (`RWF->>RWS: Proxy StopActor (from before)`).
import type { TraceEvent } from "@/lib/trace/types";
import { labelToText } from "./text";

const FROM_BEFORE = "(from before)";

export class RelayChains {
  private readonly bySeq = new Map<number, TraceEvent>();

  constructor(events: readonly TraceEvent[]) {
    for (const event of events) this.bySeq.set(event.seq, event);
  }

  /** The first message of the chain `seq` belongs to (itself when it is not a relay). */
  rootOf(seq: number): number {
    let current = seq;
    // Bounded walk: a corrupt cycle of relayOf links must not hang the diagram.
    for (let hops = 0; hops <= this.bySeq.size; hops++) {
      const relayOf = this.bySeq.get(current)?.relayOf ?? null;
      if (relayOf === null) return current;
      current = relayOf;
    }
    return current;
  }

  /** Whether `relay` directly continues the chain of the previously drawn arrow. */
  continues(relay: TraceEvent, previousArrowSeq: number | null): boolean {
    return relay.relayOf !== null && previousArrowSeq !== null && this.rootOf(previousArrowSeq) === this.rootOf(relay.seq);
  }

  /**
   * Whether the hop `relay` forwards is among the events but not drawn, and no arrow was drawn
   * after it: the relay then follows its (hidden) hop directly.
   */
  hiddenHopJustBefore(relay: TraceEvent, previousArrowSeq: number | null, drawn: ReadonlySet<number>): boolean {
    if (relay.relayOf === null || drawn.has(relay.relayOf) || !this.bySeq.has(relay.relayOf)) return false;
    return previousArrowSeq === null || previousArrowSeq < relay.relayOf;
  }

  /** The relay's own label, else the original message's, else its type. */
  ownLabel(relay: TraceEvent): string {
    const original = this.bySeq.get(this.rootOf(relay.seq));
    return labelToText(relay.label) || (original ? labelToText(original.label) : "") || relay.type;
  }

  /** Label of a relay drawn away from its chain: its own (else the original's), "from before". */
  detachedLabel(relay: TraceEvent): string {
    const label = this.ownLabel(relay);
    return label.includes(FROM_BEFORE) ? label : `${label} ${FROM_BEFORE}`;
  }
}
