// Builds hand-made traces for tests: seqs are assigned gap-free, time advances by a fixed step
// unless told otherwise, and phase ids follow the open `critical` blocks.
import type { EventKind, ParticipantRef, Role, TraceEvent } from "../types";

export interface EventOptions {
  actorId?: string | null;
  runnerId?: string | null;
  cause?: number | TraceEvent | null;
  relayOf?: number | TraceEvent | null;
  payload?: unknown;
  label?: string;
  housekeeping?: boolean;
  /** Milliseconds since the previous event (default: the builder's step). */
  after?: number;
}

type Party = Role | [Role, string];

export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  private time = 0;
  private readonly openPhases: number[] = [];

  constructor(private readonly step = 10) {}

  message(type: string, from: Party, to: Party, options: EventOptions = {}): TraceEvent {
    return this.push("message", type, ref(from), ref(to), options);
  }

  /** Forwards `original` one hop further, keeping its type, actor and payload. */
  relay(original: TraceEvent, to: Party, options: EventOptions = {}): TraceEvent {
    return this.push("message", original.type, original.to, ref(to), {
      actorId: original.actorId,
      runnerId: original.runnerId,
      payload: original.payload,
      label: "",
      cause: original,
      relayOf: original,
      ...options,
    });
  }

  note(type: string, over: Party, options: EventOptions = {}): TraceEvent {
    return this.push("note", type, ref(over), null, options);
  }

  /** An actor-workflow state change (`state` note over AWF). */
  state(
    actorId: string,
    from: string | null,
    to: string,
    options: EventOptions & { generation?: number; placedOn?: string | null } = {},
  ): TraceEvent {
    return this.note("state", ["ActorWorkflow", actorId], {
      actorId,
      housekeeping: true,
      label: `${from ?? "∅"} → ${to}`,
      payload: { from, to, generation: options.generation ?? 0, runnerId: options.placedOn ?? null },
      ...options,
    });
  }

  relation(type: string, from: Party, to: Party, options: EventOptions = {}): TraceEvent {
    return this.push("relation", type, ref(from), ref(to), options);
  }

  phaseStart(label: string, options: EventOptions = {}): TraceEvent {
    const event = this.push("phase-start", "phase", null, null, { label, ...options });
    this.openPhases.push(event.seq);
    return event;
  }

  phaseEnd(options: EventOptions = {}): TraceEvent {
    const start = this.openPhases.pop();
    if (start === undefined) throw new Error("no open phase");
    const startEvent = this.events[start - 1];
    const event = this.push("phase-end", "phase", null, null, { label: startEvent.label, ...options });
    event.phaseId = start;
    return event;
  }

  private push(
    kind: EventKind,
    type: string,
    from: ParticipantRef | null,
    to: ParticipantRef | null,
    options: EventOptions,
  ): TraceEvent {
    this.time += options.after ?? this.step;
    const event: TraceEvent = {
      seq: this.events.length + 1,
      time: this.time,
      kind,
      from,
      to,
      type,
      label: options.label ?? type,
      payload: options.payload ?? null,
      actorId: options.actorId ?? null,
      runnerId: options.runnerId ?? null,
      cycleId: null,
      causeSeq: seqOf(options.cause),
      relayOf: seqOf(options.relayOf),
      phaseId: this.openPhases.length ? this.openPhases[this.openPhases.length - 1] : null,
      housekeeping: options.housekeeping ?? false,
    };
    this.events.push(event);
    return event;
  }
}

function ref(party: Party): ParticipantRef {
  return Array.isArray(party) ? { role: party[0], id: party[1] } : { role: party, id: defaultId(party) };
}

function defaultId(role: Role): string {
  return role === "User" ? "user" : role === "Gateway" ? "gateway" : role.toLowerCase();
}

function seqOf(value: number | TraceEvent | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  return typeof value === "number" ? value : value.seq;
}
