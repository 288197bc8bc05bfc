"use client";

// Play / pause / step / scrub through the steps of the view. The keys work anywhere on the page
// (see useReplayKeys); the buttons and the scrubber are ordinary focusable controls.
import type { TraceEvent } from "@/lib/trace/types";
import { eventLabel } from "./describe";
import { scrubberValue, type ReplayAction, type ReplayState } from "./replay";
import { formatOffset } from "./time-format";
import type { UpdateView } from "./use-view-state";
import { REPLAY_RATES, type ReplayRate } from "./view-state";

export interface ReplayControlsProps {
  steps: readonly TraceEvent[];
  state: ReplayState;
  dispatch: (action: ReplayAction) => void;
  rate: ReplayRate;
  update: UpdateView;
  cycleStart: number;
}

export function ReplayControls({ steps, state, dispatch, rate, update, cycleStart }: ReplayControlsProps) {
  const count = steps.length;
  const value = scrubberValue(state, count);
  const step = steps[value];
  const atEnd = state.position === null;
  const position = atEnd ? `All ${count} steps` : `Step ${value + 1} of ${count}`;
  const disabled = count < 2;

  return (
    <div className="replay" role="group" aria-label="Replay" data-testid="replay">
      <div className="replay-buttons">
        <button type="button" onClick={() => dispatch({ type: "first" })} disabled={disabled || state.position === 0}>
          <span aria-hidden="true">«</span> First
        </button>
        <button type="button" onClick={() => dispatch({ type: "step", delta: -1 })} disabled={disabled || state.position === 0}>
          <span aria-hidden="true">‹</span> Back
        </button>
        <button type="button" className="replay-play" onClick={() => dispatch({ type: "toggle" })} disabled={disabled} aria-pressed={state.playing}>
          {state.playing ? (
            <>
              <span aria-hidden="true">▮▮</span> Pause
            </>
          ) : (
            <>
              <span aria-hidden="true">▶</span> Play
            </>
          )}
        </button>
        <button type="button" onClick={() => dispatch({ type: "step", delta: 1 })} disabled={disabled || atEnd}>
          Forward <span aria-hidden="true">›</span>
        </button>
        <button type="button" onClick={() => dispatch({ type: "last" })} disabled={disabled || atEnd}>
          All <span aria-hidden="true">»</span>
        </button>
        <label className="replay-rate">
          Speed{" "}
          <select value={rate} onChange={(event) => update({ rate: Number(event.target.value) as ReplayRate }, "replace")}>
            {REPLAY_RATES.map((option) => (
              <option key={option} value={option}>
                {option}×
              </option>
            ))}
          </select>
        </label>
      </div>
      <input
        type="range"
        className="replay-scrubber"
        aria-label="Replay position"
        min={0}
        max={Math.max(0, count - 1)}
        value={value}
        disabled={count === 0}
        aria-valuetext={step ? `${position}: ${eventLabel(step)}` : position}
        onChange={(event) => dispatch({ type: "seek", index: Number(event.target.value) })}
      />
      <p className="replay-status" aria-live="polite" data-testid="replay-status">
        <strong>{position}</strong>
        {step && !atEnd && (
          <>
            {" "}
            · {formatOffset(step.time - cycleStart)} · <span className="mono">{eventLabel(step)}</span>
          </>
        )}
      </p>
      <p className="muted keyboard-help">
        Keys: <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Space</kbd> play or pause, <kbd>Home</kbd> first step, <kbd>End</kbd> everything, <kbd>?</kbd> all shortcuts.
      </p>
    </div>
  );
}
