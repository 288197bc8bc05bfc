// Instance ids (actors, runners, requests, pools' generated names) differ between any two
// recordings, so they are replaced in labels before two recorded flows are aligned. Only ids with
// a digit count: role and pool names such as "default" are part of the flow. Pure.
import type { FlowItem } from "@/lib/diagram";
import type { TraceEvent } from "@/lib/trace/types";

export const ID_PLACEHOLDER = "‹id›";

export function idsOf(events: readonly TraceEvent[]): string[] {
  const ids = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === "string" && value.length >= 6 && /\d/.test(value) && /[a-z]/i.test(value)) ids.add(value);
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
  return [...ids].sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, ids: readonly string[]): string {
  let out = ids.reduce((result, id) => result.split(id).join(ID_PLACEHOLDER), text);
  // Short forms of ids the labels print (the first 8 characters of an actor id).
  for (const id of ids) if (id.length > 12) out = out.split(id.slice(0, 8)).join(ID_PLACEHOLDER);
  return out;
}

export function withoutIds(items: readonly FlowItem[], ids: readonly string[]): FlowItem[] {
  return items.map((item) => {
    switch (item.kind) {
      case "note":
        return { ...item, text: scrubText(item.text, ids) };
      case "arrow":
      case "relation":
      case "block-start":
        return { ...item, label: scrubText(item.label, ids) };
      case "block-end":
        return item;
    }
  });
}
