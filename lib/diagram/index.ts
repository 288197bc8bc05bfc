// Trace → Mermaid sequence diagram. Pure: no I/O, no clock.
import type { TraceEvent } from "@/lib/trace/types";
import { buildFlow } from "./build-flow";
import { renderMermaid } from "./render";
import type { DiagramOptions } from "./types";

export { buildFlow } from "./build-flow";
export { renderMermaid } from "./render";
export { countItems, seqsInDrawingOrder, type ItemCounts, type SeqsInDrawingOrder } from "./flow-helpers";
export { windowEvents, type EventWindow } from "./window";
export { escapeMermaidText, decodeMermaidText, labelToText, MAX_LABEL_CHARS } from "./text";
export { runnerOrdinalText } from "./lifelines";
export {
  DiagramError,
  type DiagramFlow,
  type DiagramOptions,
  type DiagramParticipant,
  type Flow,
  type FlowItem,
  type Participant,
  type RenderOptions,
} from "./types";

/** The Mermaid text of a selection of events: `buildFlow` then `renderMermaid`. */
export function toMermaid(events: readonly TraceEvent[], options: DiagramOptions = {}): string {
  return renderMermaid(buildFlow(events, options), options);
}
