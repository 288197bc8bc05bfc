// Scenario faults on one hop: delay a kind of message in transit, hold it at the sender, or drop it.
import type { Role } from "../trace/types";

export interface HopFault {
  from?: Role;
  to?: Role;
  /** Message type (e.g. "EventActorIntent"); any type when omitted. */
  type?: string;
  /**
   * transit: recorded when sent, delivered `ms` later. hold: the sender keeps it `ms` before it leaves
   * (recorded then; lost if the sender closes meanwhile). drop: never delivered.
   */
  mode: "transit" | "hold" | "drop";
  ms?: number;
  /** Which matching messages (1-based); all when omitted. */
  nth?: number[];
  /** Only messages sent at or after / before these engine times. */
  after?: number;
  before?: number;
}

export class FaultTable {
  private readonly counts: number[];

  constructor(private readonly faults: HopFault[]) {
    this.counts = faults.map(() => 0);
  }

  /** The fault that applies to this send, counting it against every fault it matches. */
  match(from: Role, to: Role, type: string, now: number): HopFault | null {
    let hit: HopFault | null = null;
    this.faults.forEach((fault, index) => {
      if (fault.from && fault.from !== from) return;
      if (fault.to && fault.to !== to) return;
      if (fault.type && fault.type !== type) return;
      if (fault.after !== undefined && now < fault.after) return;
      if (fault.before !== undefined && now >= fault.before) return;
      this.counts[index] += 1;
      if (!hit && (!fault.nth || fault.nth.includes(this.counts[index]))) hit = fault;
    });
    return hit;
  }
}
