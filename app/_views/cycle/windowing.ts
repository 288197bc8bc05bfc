// Which part of a large cycle is drawn. Mermaid slows down sharply past a few hundred messages and
// refuses text past 50,000 characters, so a cycle with more steps than a window holds is drawn a
// window at a time. Pure.

/** Steps drawn at most at once: quick to draw (well under a second) and far below Mermaid's limits. */
export const WINDOW_STEPS = 250;

/**
 * Steps drawn while following a live cycle at its end: Mermaid takes about a millisecond per step on
 * a busy machine, and each new event must be on screen within a quarter of a second.
 */
export const LIVE_WINDOW_STEPS = 50;

/** A half-open range [start, end) of step indices. */
export interface StepWindow {
  start: number;
  end: number;
  /** Steps in the whole view. */
  total: number;
}

export type WindowFocus =
  /** A window the user picked, beginning at this step. */
  | { kind: "from"; index: number }
  /** Keep this step on screen (the replay position, the selected event). */
  | { kind: "around"; index: number }
  /** The first steps. */
  | { kind: "start" }
  /** The latest steps (a live cycle growing). */
  | { kind: "end" };

export function chooseWindow(total: number, maxSteps: number, focus: WindowFocus): StepWindow {
  const size = Math.max(1, Math.trunc(maxSteps));
  if (total <= size) return { start: 0, end: total, total };
  const lastStart = total - size;
  let start: number;
  switch (focus.kind) {
    case "from":
      start = focus.index;
      break;
    case "start":
      start = 0;
      break;
    case "end":
      start = lastStart;
      break;
    case "around": {
      // Windows snap to a grid of half a window, with the focus in their middle half: stepping
      // through a replay then redraws the same window for `stride` steps instead of scrolling the
      // diagram under the reader on every step, and there is always context on both sides.
      const stride = Math.max(1, Math.floor(size / 2));
      const focusIndex = Math.min(Math.max(Math.trunc(focus.index), 0), total - 1);
      start = Math.floor(focusIndex / stride) * stride - Math.floor(stride / 2);
      break;
    }
  }
  start = Math.min(Math.max(Math.trunc(start), 0), lastStart);
  return { start, end: start + size, total };
}

/** The start of the window one half-window earlier (−1) or later (+1). */
export function shiftedStart(window: StepWindow, direction: -1 | 1, maxSteps: number): number {
  const size = Math.max(1, Math.trunc(maxSteps));
  const stride = Math.max(1, Math.floor(size / 2));
  const lastStart = Math.max(0, window.total - size);
  return Math.min(Math.max(window.start + direction * stride, 0), lastStart);
}

/** True when the whole view fits in one window. */
export function isWindowed(window: StepWindow): boolean {
  return window.start > 0 || window.end < window.total;
}
