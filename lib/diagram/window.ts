// A window of a large selection: Mermaid slows down sharply past a few hundred messages, so big
// selections are drawn a slice at a time around the item the user looks at.
import type { TraceEvent } from "@/lib/trace/types";
import { runningPhases } from "./phases";
import { DiagramError, type DiagramOptions } from "./types";
import { isVisible, resolveOptions } from "./visibility";

export interface EventWindow {
  /** What to draw: the phase-starts still running at the window's start, then the window itself. */
  events: TraceEvent[];
  /** Index in the input of the window's first event. */
  startIndex: number;
  /** Index in the input just after the window's last event. */
  endIndex: number;
  /** How many phase-starts from before the window were put back in front of it. */
  reopenedPhases: number;
}

/**
 * Picks at most `maxItems` drawn events around `centerIndex` (balanced on both sides while there
 * are events on both sides). With `options`, only the events those options show are counted.
 * Phases started before the window and still running are re-opened at its start so the diagram
 * stays well-formed; the diagram builder closes whatever is still open at the end.
 */
export function windowEvents(
  events: readonly TraceEvent[],
  centerIndex: number,
  maxItems: number,
  options?: DiagramOptions,
): EventWindow {
  if (!Number.isInteger(maxItems) || maxItems < 1) {
    throw new DiagramError("invalid_window", `maxItems must be a positive integer, not ${maxItems}`);
  }
  if (!Number.isInteger(centerIndex)) {
    throw new DiagramError("invalid_window", `centerIndex must be an integer, not ${centerIndex}`);
  }
  if (events.length === 0) return { events: [], startIndex: 0, endIndex: 0, reopenedPhases: 0 };

  const resolved = options ? resolveOptions(options) : null;
  const counts = (event: TraceEvent) => (resolved === null || isVisible(event, resolved) ? 1 : 0);
  const center = Math.min(Math.max(centerIndex, 0), events.length - 1);

  let start = center;
  let end = center + 1;
  let taken = counts(events[center]);
  let growRight = true;
  while (taken < maxItems && (start > 0 || end < events.length)) {
    const right: boolean = end < events.length && (growRight || start === 0);
    if (right) taken += counts(events[end++]);
    else taken += counts(events[--start]);
    growRight = !right;
  }
  // Taking the last counted event may leave uncounted (hidden) ones at the edges: harmless, the
  // builder drops them again.

  const reopened = runningPhases(events.slice(0, start));
  return {
    events: [...reopened, ...events.slice(start, end)],
    startIndex: start,
    endIndex: end,
    reopenedPhases: reopened.length,
  };
}
