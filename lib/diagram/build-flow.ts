// Recorded events → flow items (the diagram's content, before it is written as Mermaid).
import { ROLE_SHORT, type ParticipantRef, type TraceEvent } from "@/lib/trace/types";
import {
  eventRefs,
  lifelineId,
  lifelineOf,
  numberRunners,
  participantsFor,
  runnerOrdinalText,
  type Lifeline,
} from "./lifelines";
import { dropEmptyBlocks } from "./flow-helpers";
import { PhaseBlocks } from "./phases";
import { RelayChains } from "./relays";
import { labelToText } from "./text";
import type { DiagramFlow, DiagramOptions, FlowItem } from "./types";
import { isVisible, resolveOptions } from "./visibility";

const MULTIPLE_RUNNERS_TEXT = "For simplicity, this represents multiple\nrunners/runner workflows";

/** Builds the diagram of `events` (one selection, sorted by seq). */
export function buildFlow(events: readonly TraceEvent[], options: DiagramOptions = {}): DiagramFlow {
  const resolved = resolveOptions(options);
  const visible = events.filter((event) => isVisible(event, resolved));
  const runnerBySeq = numberRunners(visible);
  let runnerCount = 0;
  for (const n of runnerBySeq.values()) runnerCount = Math.max(runnerCount, n);
  const announceRunners = !resolved.split && runnerCount > 1;

  const items: FlowItem[] = [];
  const used: Lifeline[] = [];
  const lifeline = (ref: ParticipantRef, seq: number) => {
    const line = lifelineOf(ref.role, runnerBySeq.get(seq), resolved.split);
    used.push(line);
    return lifelineId(line);
  };
  const runnerNote = (text: string, other: "RunnerWorkflow" | "ServerlessEndpoint") => {
    const roles = (["Runner", other] as const).filter((role) => !resolved.hiddenRoles.has(role));
    if (roles.length === 0) return;
    for (const role of roles) used.push({ role, instance: null });
    items.push({ kind: "note", over: roles.map((role) => ROLE_SHORT[role]), text });
  };

  if (announceRunners) runnerNote(MULTIPLE_RUNNERS_TEXT, "RunnerWorkflow");
  let runnersAnnounced = 1;
  const phases = new PhaseBlocks();
  const relays = new RelayChains(events);
  const drawn = new Set(visible.map((event) => event.seq));
  let previousArrowSeq: number | null = null;

  for (const event of visible) {
    if (event.kind !== "phase-end") items.push(...phases.enter(event.phaseId));
    const runnerNumber = runnerBySeq.get(event.seq);
    if (announceRunners && runnerNumber !== undefined && runnerNumber > runnersAnnounced) {
      runnersAnnounced = runnerNumber;
      runnerNote(runnerOrdinalText(runnerNumber), "ServerlessEndpoint");
    }
    switch (event.kind) {
      case "message":
      case "relation": {
        if (event.from === null || event.to === null) break;
        items.push({
          kind: event.kind === "message" ? "arrow" : "relation",
          from: lifeline(event.from, event.seq),
          to: lifeline(event.to, event.seq),
          label: messageLabel(event, relays, previousArrowSeq, resolved.full, drawn),
          seq: event.seq,
        });
        previousArrowSeq = event.seq;
        break;
      }
      case "note": {
        const over = eventRefs(event)
          .filter((ref) => !resolved.hiddenRoles.has(ref.role))
          .map((ref) => lifeline(ref, event.seq));
        items.push({ kind: "note", over: [...new Set(over)], text: textOrType(event), seq: event.seq });
        break;
      }
      case "phase-start":
        items.push(...phases.start(event));
        break;
      case "phase-end":
        items.push(...phases.end(event));
        break;
    }
  }
  items.push(...phases.finish());

  return { participants: participantsFor(used), items: dropEmptyBlocks(items) };
}

function messageLabel(
  event: TraceEvent,
  relays: RelayChains,
  previousArrowSeq: number | null,
  full: boolean,
  drawn: ReadonlySet<number>,
): string {
  if (event.relayOf === null) return textOrType(event);
  if (relays.continues(event, previousArrowSeq)) return full ? event.type : "";
  // The hop before it is hidden (a filtered lifeline or type) and nothing was drawn since: this is
  // the first hop of the message on screen, drawn with the message's label — neither an empty
  // label (which would continue the arrow above) nor "from before" (it was not delivered late).
  if (relays.hiddenHopJustBefore(event, previousArrowSeq, drawn)) return relays.ownLabel(event);
  return relays.detachedLabel(event);
}

/** The recorded label, or the event type when the label is empty (an empty label means "relay"). */
function textOrType(event: TraceEvent): string {
  return labelToText(event.label) || event.type;
}
