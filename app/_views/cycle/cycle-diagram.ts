// The diagram a cycle view draws, from the cycle's events and the view state: which events are
// steps of the replay, where the replay stands, which window of a large cycle is on screen, and the
// Mermaid text with the element → event map needed to make the drawing clickable. Pure.
import { buildFlow, renderMermaid, seqsInDrawingOrder, type DiagramFlow, type DiagramOptions, type SeqsInDrawingOrder } from "@/lib/diagram";
import { runningPhases } from "@/lib/diagram/phases";
import { isVisible, resolveOptions } from "@/lib/diagram/visibility";
import { MERMAID_MAX_TEXT_SIZE } from "@/components/mermaid-module";
import type { TraceEvent } from "@/lib/trace/types";
import { normalizePosition } from "./replay";
import type { CycleViewState } from "./view-state";
import { chooseWindow, isWindowed, LIVE_WINDOW_STEPS, WINDOW_STEPS, type StepWindow, type WindowFocus } from "./windowing";

/** Mermaid refuses longer text (its `maxTextSize`); stay a little below it. */
export const TEXT_BUDGET = 48_000;
/** A window is never shrunk below this many steps to fit the text budget. */
const MIN_WINDOW_STEPS = 10;

export interface CycleDiagramInput {
  /** The cycle's events, sorted by seq (housekeeping included; the options decide what shows). */
  events: readonly TraceEvent[];
  state: CycleViewState;
  /** A live cycle shows its latest steps when no other focus is given. */
  live: boolean;
  maxSteps?: number;
  maxTextChars?: number;
}

export interface CycleDiagram {
  /** The events a replay steps through: the drawn messages, relations and notes, in order. */
  steps: TraceEvent[];
  /** Step index of the replay position; null at the end (everything drawn). */
  position: number | null;
  window: StepWindow;
  windowed: boolean;
  /** A live cycle followed at its end: only its latest steps are drawn, to keep up as it grows. */
  following: boolean;
  flow: DiagramFlow;
  text: string;
  seqs: SeqsInDrawingOrder;
  /** The replay's current step (drawn highlighted), if replaying. */
  highlightSeq: number | null;
}

export function diagramOptions(state: CycleViewState): DiagramOptions {
  return { detail: state.detail, runners: state.runners, hideRoles: state.hiddenRoles, hideTypes: state.hiddenTypes };
}

export function viewSteps(events: readonly TraceEvent[], state: CycleViewState): TraceEvent[] {
  const resolved = resolveOptions(diagramOptions(state));
  return events.filter(
    (event) => (event.kind === "message" || event.kind === "relation" || event.kind === "note") && isVisible(event, resolved),
  );
}

/** Index of the last step at or before `seq` (0 when `seq` is before them all). */
export function stepIndexAtOrBefore(steps: readonly TraceEvent[], seq: number): number {
  let low = 0;
  let high = steps.length - 1;
  let found = 0;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (steps[mid].seq <= seq) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** Index of the first step at or after `seq` (the last step when there is none). */
export function stepIndexAtOrAfter(steps: readonly TraceEvent[], seq: number): number {
  const before = stepIndexAtOrBefore(steps, seq);
  return steps[before] && steps[before].seq >= seq ? before : Math.min(before + 1, Math.max(0, steps.length - 1));
}

function windowFocus(steps: readonly TraceEvent[], state: CycleViewState, position: number | null, live: boolean): WindowFocus {
  if (position !== null) return { kind: "around", index: position };
  if (state.win !== null) return { kind: "from", index: stepIndexAtOrAfter(steps, state.win) };
  if (state.sel !== null) {
    const index = stepIndexAtOrBefore(steps, state.sel);
    if (steps[index]?.seq === state.sel) return { kind: "around", index };
  }
  return live ? { kind: "end" } : { kind: "start" };
}

/** The events to hand to the diagram builder for a window, drawn up to `upToSeq`. */
function eventsToDraw(
  events: readonly TraceEvent[],
  steps: readonly TraceEvent[],
  window: StepWindow,
  upToSeq: number,
): readonly TraceEvent[] {
  if (!isWindowed(window) && upToSeq === Infinity) return events;
  const fromSeq = window.start > 0 ? steps[window.start].seq : -Infinity;
  const toSeq = Math.min(window.end < window.total ? steps[window.end - 1].seq : Infinity, upToSeq);
  const body = events.filter((event) => event.seq >= fromSeq && event.seq <= toSeq);
  if (fromSeq === -Infinity) return body;
  // Phases still open where the window starts are re-opened in front of it, so blocks stay whole.
  return [...runningPhases(events.filter((event) => event.seq < fromSeq)), ...body];
}

export function buildCycleDiagram(input: CycleDiagramInput): CycleDiagram {
  const { events, state, live } = input;
  const options = diagramOptions(state);
  const steps = viewSteps(events, state);
  const position = state.at === null ? null : normalizePosition(stepIndexAtOrBefore(steps, state.at), steps.length);
  const highlightSeq = position === null ? null : steps[position].seq;
  const upToSeq = highlightSeq ?? Infinity;
  const focus = windowFocus(steps, state, position, live);
  const budget = input.maxTextChars ?? TEXT_BUDGET;

  // Mermaid redraws the whole text on every change: following a live cycle draws a short window, so
  // each new event is on screen quickly however long the cycle has grown.
  const following = live && focus.kind === "end";
  let maxSteps = input.maxSteps ?? (following ? LIVE_WINDOW_STEPS : WINDOW_STEPS);
  for (;;) {
    const window = chooseWindow(steps.length, maxSteps, focus);
    const flow = buildFlow(eventsToDraw(events, steps, window, upToSeq), options);
    const text = renderMermaid(flow, { highlightSeq });
    // Long labels can push even a modest window past Mermaid's limit: draw fewer steps then.
    if (text.length > budget && window.end - window.start > MIN_WINDOW_STEPS) {
      maxSteps = Math.max(MIN_WINDOW_STEPS, Math.floor((window.end - window.start) / 2));
      continue;
    }
    const windowed = isWindowed(window);
    return { steps, position, window, windowed, following: following && windowed, flow, text, seqs: seqsInDrawingOrder(flow), highlightSeq };
  }
}

/**
 * The text a recorded cycle's page draws first, for the server to have it drawn before the page
 * hydrates (the same as CycleWorkbench computes then); null when there is nothing for Mermaid to draw.
 */
export function earlyDiagramText(events: readonly TraceEvent[], state: CycleViewState): string | null {
  try {
    const diagram = buildCycleDiagram({ events, state: { ...state, zoom: null }, live: false });
    return diagram.steps.length === 0 || diagram.text.length > MERMAID_MAX_TEXT_SIZE ? null : diagram.text;
  } catch {
    return null;
  }
}
