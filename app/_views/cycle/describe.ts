// Short human descriptions of recorded events, for lists, accessible names and the detail panel. Pure.
import { labelToText } from "@/lib/diagram";
import { ROLE_TITLE, type ParticipantRef, type TraceEvent } from "@/lib/trace/types";

export function roleTitle(ref: ParticipantRef): string {
  return labelToText(ROLE_TITLE[ref.role] ?? ref.role).replace(/\n/g, " ");
}

/** "Runner WS rws-1" — the lifeline and the instance. */
export function participantText(ref: ParticipantRef | null): string {
  if (ref === null) return "—";
  return ref.id === "" || ref.id === "*" ? roleTitle(ref) : `${roleTitle(ref)} ${ref.id}`;
}

/** The recorded label as one line of text, or the type when it has none. */
export function eventLabel(event: TraceEvent): string {
  return labelToText(event.label).replace(/\n/g, " ") || event.type;
}

/**
 * "#12 Wake: Gateway → Actor Workflow", "#3 UserRequest: User → Gateway — GET / (request…)",
 * "#14 note over Actor Workflow: Allocate".
 */
export function describeEvent(event: TraceEvent): string {
  const label = eventLabel(event);
  switch (event.kind) {
    case "message":
    case "relation": {
      const hops = `${event.from ? roleTitle(event.from) : "?"} → ${event.to ? roleTitle(event.to) : "?"}`;
      const name = event.relayOf !== null ? `${event.type} (relay)` : event.type;
      const detail = event.relayOf === null && label !== event.type ? ` — ${label}` : "";
      return `#${event.seq} ${name}: ${hops}${detail}`;
    }
    case "note":
      return `#${event.seq} note over ${event.from ? roleTitle(event.from) : "?"}: ${label}`;
    default:
      return `#${event.seq} ${event.kind} ${label}`;
  }
}

/** The event and every relay of the same message (the original first), from `events`. */
export function relaysOf(event: TraceEvent, events: readonly TraceEvent[]): TraceEvent[] {
  const original = event.relayOf ?? event.seq;
  return events.filter((candidate) => candidate.seq === original || candidate.relayOf === original);
}

/** Payload as indented JSON text (never markup: it is rendered as text). */
export function payloadText(payload: unknown): string {
  if (payload === null || payload === undefined) return "(no payload)";
  try {
    return JSON.stringify(payload, null, 2) ?? String(payload);
  } catch {
    return String(payload);
  }
}
