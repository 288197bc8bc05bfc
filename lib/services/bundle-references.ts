// The references inside a bundle, checked as its events and cycles arrive one by one, so a bundle
// read from a stream is checked without holding its events: what is kept is a byte per event (its
// kind), the depth of each phase, and the actors and cycle ids named.
import { MAX_PHASE_DEPTH, type BundleCycle, type BundleEvent } from "./bundle-schema";

const KINDS: readonly BundleEvent["kind"][] = ["message", "note", "phase-start", "phase-end", "relation"];

/**
 * Checks, in order: seqs run 1, 2, 3 …; every causeSeq names an earlier event, every relayOf an
 * earlier message, every phaseId an earlier phase-start; phases nest at most MAX_PHASE_DEPTH deep;
 * each cycle lies within the run's seqs, is of an actor the events name, and has an ordinal of its
 * own for that actor; each event's cycleId names a cycle of the bundle. Each method returns the
 * first problem found (naming it by seq or cycle id), or null.
 */
export class BundleReferences {
  private kinds = new Uint8Array(1024);
  private count = 0;
  /** Phase depth of each phase-start, by seq. */
  private readonly depth = new Map<number, number>();
  private readonly actors = new Set<string>();
  /** The cycle ids events name, each with the first event naming it. */
  private readonly namedCycles = new Map<string, number>();
  private readonly cycleIds = new Set<string>();
  private readonly ordinals = new Set<string>();

  /** The events checked so far. */
  get events(): number {
    return this.count;
  }

  event(event: BundleEvent): string | null {
    const seq = event.seq;
    if (seq !== this.count + 1) return `Events must be numbered 1, 2, 3 … in order; position ${this.count + 1} has seq ${seq}`;
    if (event.causeSeq !== null && event.causeSeq >= seq) return `Event ${seq} has causeSeq ${event.causeSeq}, which is not an earlier event`;
    if (event.relayOf !== null) {
      if (event.relayOf >= seq) return `Event ${seq} has relayOf ${event.relayOf}, which is not an earlier event`;
      const kind = this.kindOf(event.relayOf);
      if (kind !== "message") return `Event ${seq} has relayOf ${event.relayOf}, which is a ${kind}, not a message`;
    }
    if (event.phaseId !== null) {
      if (event.phaseId >= seq) return `Event ${seq} has phaseId ${event.phaseId}, which is not an earlier event`;
      const kind = this.kindOf(event.phaseId);
      if (kind !== "phase-start") return `Event ${seq} has phaseId ${event.phaseId}, which is a ${kind}, not a phase-start`;
    }
    if (event.kind === "phase-start") {
      const level = (event.phaseId === null ? 0 : this.depth.get(event.phaseId)!) + 1;
      if (level > MAX_PHASE_DEPTH) return `Event ${seq} opens a phase nested ${level} deep; at most ${MAX_PHASE_DEPTH} levels are allowed`;
      this.depth.set(seq, level);
    }
    if (event.actorId !== null) this.actors.add(event.actorId);
    if (event.cycleId !== null && !this.namedCycles.has(event.cycleId)) this.namedCycles.set(event.cycleId, seq);
    this.remember(event.kind);
    return null;
  }

  /** A cycle; call once every event has been checked (cycles are checked against the whole run). */
  cycle(cycle: BundleCycle): string | null {
    const last = this.count;
    const within = (seq: number) => seq >= 1 && seq <= last;
    const range = last === 0 ? "the run has no events" : `the run's seqs are 1–${last}`;
    if (this.cycleIds.has(cycle.id)) return `Cycle ${cycle.id} appears twice`;
    this.cycleIds.add(cycle.id);
    if (!within(cycle.firstSeq) || !within(cycle.lastSeq)) return `Cycle ${cycle.id} spans seqs ${cycle.firstSeq}–${cycle.lastSeq}, outside the run (${range})`;
    if (cycle.firstSeq > cycle.lastSeq) return `Cycle ${cycle.id} starts at seq ${cycle.firstSeq}, after its last seq ${cycle.lastSeq}`;
    if (!this.actors.has(cycle.actorId)) return `Cycle ${cycle.id} is of actor ${cycle.actorId}, which no event of the run names`;
    const ordinal = JSON.stringify([cycle.actorId, cycle.ordinal]);
    if (this.ordinals.has(ordinal)) return `Cycle ${cycle.id}: actor ${cycle.actorId} has more than one cycle ${cycle.ordinal}`;
    this.ordinals.add(ordinal);
    const anomaly = cycle.anomalies.find((a) => !within(a.seq));
    if (anomaly) return `Cycle ${cycle.id} has an anomaly at seq ${anomaly.seq}, outside the run (${range})`;
    return null;
  }

  /** After the last cycle: every cycle an event names is in the bundle. */
  end(): string | null {
    let first: [string, number] | null = null;
    for (const [id, seq] of this.namedCycles) if (!this.cycleIds.has(id) && (first === null || seq < first[1])) first = [id, seq];
    return first && `Event ${first[1]} names cycle ${first[0]}, which is not in the bundle`;
  }

  private kindOf(seq: number): BundleEvent["kind"] {
    return KINDS[this.kinds[seq - 1]];
  }

  private remember(kind: BundleEvent["kind"]): void {
    if (this.count === this.kinds.length) {
      const grown = new Uint8Array(this.kinds.length * 2);
      grown.set(this.kinds);
      this.kinds = grown;
    }
    this.kinds[this.count++] = KINDS.indexOf(kind);
  }
}
