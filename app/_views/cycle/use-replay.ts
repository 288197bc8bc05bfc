"use client";

// Replay controls: the position lives in the URL (`at`), playing is local to this tab. While
// playing, the next step is taken `stepInterval(rate)` after the current one has been drawn, so a
// slow drawing slows the replay down instead of piling up steps.
import { useCallback, useEffect, useRef, useState } from "react";
import type { TraceEvent } from "@/lib/trace/types";
import { stepIndexAtOrBefore } from "./cycle-diagram";
import { normalizePosition, replayReducer, stepInterval, type ReplayAction, type ReplayState } from "./replay";
import type { UpdateView } from "./use-view-state";
import { parseViewState, type CycleViewState } from "./view-state";

export interface Replay {
  state: ReplayState;
  dispatch: (action: ReplayAction) => void;
}

export function useReplay(options: {
  steps: readonly TraceEvent[];
  position: number | null;
  rate: number;
  /** True once the diagram for the current position is on screen. */
  drawn: boolean;
  update: UpdateView;
  /** Extra view changes when the replay reaches the end (e.g. show the last window of a large cycle). */
  atEnd?: Partial<CycleViewState>;
}): Replay {
  const { steps, position, rate, drawn, update, atEnd } = options;
  const [playing, setPlaying] = useState(false);
  // Keys can repeat faster than React renders: each action starts from what the URL and the
  // player say now, not from the values of the last render.
  const playingNow = useRef(playing);
  const state: ReplayState = { position, playing: playing && position !== null };

  const dispatch = useCallback(
    (action: ReplayAction) => {
      const current = positionInUrl(steps);
      const next = replayReducer({ position: current, playing: playingNow.current }, action, steps.length);
      playingNow.current = next.playing;
      setPlaying(next.playing);
      if (next.position === current) return;
      // Streams of small moves replace the history entry; deliberate moves add one.
      const mode = action.type === "tick" || action.type === "seek" ? "replace" : "push";
      update(next.position === null ? { at: null, ...atEnd } : { at: steps[next.position].seq }, mode);
    },
    [steps, update, atEnd],
  );

  useEffect(() => {
    if (!state.playing || !drawn) return;
    const timer = window.setTimeout(() => dispatch({ type: "tick" }), stepInterval(rate));
    return () => window.clearTimeout(timer);
  }, [state.playing, drawn, rate, dispatch]);

  return { state, dispatch };
}

/** The replay position the address bar holds right now, as a step index. */
function positionInUrl(steps: readonly TraceEvent[]): number | null {
  const at = parseViewState(new URLSearchParams(window.location.search)).at;
  return at === null ? null : normalizePosition(stepIndexAtOrBefore(steps, at), steps.length);
}

/** Keys that drive the replay anywhere on the page, except where they already mean something. */
export function useReplayKeys(dispatch: (action: ReplayAction) => void): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      // An open dialog (the shortcut help) keeps its keys.
      if (target?.closest("dialog")) return;
      const action = keyAction(event.key);
      if (!action || (target && keyBelongsToTarget(event.key, target))) return;
      event.preventDefault();
      dispatch(action);
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [dispatch]);
}

function keyAction(key: string): ReplayAction | null {
  switch (key) {
    case "ArrowLeft":
      return { type: "step", delta: -1 };
    case "ArrowRight":
      return { type: "step", delta: 1 };
    case " ":
      return { type: "toggle" };
    case "Home":
      return { type: "first" };
    case "End":
      return { type: "last" };
    default:
      return null;
  }
}

/** Text fields, selects and the scrubber handle these keys themselves; space presses buttons. */
function keyBelongsToTarget(key: string, target: HTMLElement): boolean {
  if (target.isContentEditable || target.closest("textarea, select")) return true;
  // The timeline's lanes move their own selection with the arrows, Home and End.
  if (target.closest("[role='listbox']") && key !== " ") return true;
  if (target instanceof HTMLInputElement) return target.type !== "range" || key !== " ";
  if (key === " ") return target.closest("button, a, summary, [role='button']") !== null;
  return false;
}
