"use client";

// For a cycle too large to draw at once: which steps are on screen, a bar showing where they are
// in the whole cycle, and quick moves to the rest (a half window at a time, the ends, any step).
import { useState, type FormEvent } from "react";
import type { TraceEvent } from "@/lib/trace/types";
import type { UpdateView } from "./use-view-state";
import { shiftedStart, type StepWindow } from "./windowing";

export interface WindowNavigatorProps {
  window: StepWindow;
  steps: readonly TraceEvent[];
  maxSteps: number;
  /** The replay position, when replaying: then moving the window moves the replay. */
  position: number | null;
  /** A live cycle followed at its end (its latest steps drawn as they arrive). */
  following?: boolean;
  update: UpdateView;
}

export function WindowNavigator({ window, steps, maxSteps, position, following = false, update }: WindowNavigatorProps) {
  const [jump, setJump] = useState("");
  const total = window.total;
  const left = (window.start / total) * 100;
  const width = Math.max(0.5, ((window.end - window.start) / total) * 100);
  const stride = Math.max(1, Math.floor(maxSteps / 2));
  const lastWindowSeq = steps[Math.max(0, total - maxSteps)].seq;

  /** Browsing: show the window starting at `index`. Replaying: move the replay to `index`. */
  function moveTo(index: number) {
    const clamped = Math.min(Math.max(index, 0), total - 1);
    if (position !== null) {
      // The last step is the end of the replay: everything drawn, the last window on screen.
      update(clamped >= total - 1 ? { at: null, win: lastWindowSeq } : { at: steps[clamped].seq });
    } else {
      const start = Math.min(clamped, Math.max(0, total - maxSteps));
      update({ win: steps[start].seq });
    }
  }

  const earlier = position !== null ? position - stride : shiftedStart(window, -1, maxSteps);
  const later = position !== null ? position + stride : shiftedStart(window, 1, maxSteps);

  function onJump(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const stepNumber = Number(jump);
    if (!Number.isInteger(stepNumber) || stepNumber < 1 || stepNumber > total) return;
    const index = stepNumber - 1;
    if (position !== null) moveTo(index);
    else {
      // Show the step in the middle of the window, selected.
      const clamped = Math.min(Math.max(index - stride, 0), Math.max(0, total - maxSteps));
      update({ win: steps[clamped].seq, sel: steps[index].seq });
    }
  }

  const jumpValid = jump === "" || (/^\d+$/.test(jump) && Number(jump) >= 1 && Number(jump) <= total);
  return (
    <div className="window-nav" role="group" aria-label="Part of the cycle on screen" data-testid="window-nav">
      {/* Following, the range changes with every batch: not announced each time. */}
      <p className="window-range" aria-live={following ? "off" : "polite"} data-testid="window-range">
        {following ? "Following the live cycle: showing its latest steps " : "Large cycle: showing steps "}
        <strong>{(window.start + 1).toLocaleString("en-US")}</strong>–
        <strong>{window.end.toLocaleString("en-US")}</strong> of {total.toLocaleString("en-US")}
      </p>
      <div className="window-bar" aria-hidden="true">
        <div className="window-bar-thumb" style={{ left: `${left}%`, width: `${width}%` }} />
      </div>
      <div className="window-buttons">
        <button type="button" onClick={() => moveTo(0)} disabled={window.start === 0}>
          Start
        </button>
        <button type="button" onClick={() => moveTo(earlier)} disabled={window.start === 0}>
          Earlier steps
        </button>
        <button type="button" onClick={() => moveTo(later)} disabled={window.end >= total}>
          Later steps
        </button>
        <button type="button" onClick={() => moveTo(total - 1)} disabled={window.end >= total}>
          End
        </button>
        <form className="window-jump" onSubmit={onJump}>
          <label htmlFor="window-jump-input">Go to step</label>
          <input
            id="window-jump-input"
            inputMode="numeric"
            value={jump}
            onChange={(event) => setJump(event.target.value.trim())}
            aria-invalid={!jumpValid}
            placeholder={`1–${total}`}
            size={7}
          />
          <button type="submit" disabled={!jumpValid || jump === ""}>
            Go
          </button>
        </form>
      </div>
    </div>
  );
}
