"use client";

// The steps on screen as a list: another way (and the keyboard-friendly one) to select an event.
import type { TraceEvent } from "@/lib/trace/types";
import { describeEvent } from "./describe";
import { formatOffset } from "./time-format";

export interface StepListProps {
  steps: readonly TraceEvent[];
  cycleStart: number;
  selected: number | null;
  current: number | null;
  anomalies: ReadonlySet<number>;
  onSelect: (seq: number) => void;
}

export function StepList({ steps, cycleStart, selected, current, anomalies, onSelect }: StepListProps) {
  return (
    <details className="step-list card" data-testid="step-list">
      <summary>Events on screen ({steps.length})</summary>
      <ol>
        {steps.map((step) => {
          const classes = [step.seq === current ? "is-current" : "", anomalies.has(step.seq) ? "is-anomaly" : ""].filter(Boolean).join(" ");
          return (
            <li key={step.seq} className={classes || undefined}>
              <button
                type="button"
                className="link-button"
                onClick={() => onSelect(step.seq)}
                aria-current={step.seq === selected ? "true" : undefined}
              >
                <span className="muted step-time">{formatOffset(step.time - cycleStart)}</span> {describeEvent(step)}
              </button>
            </li>
          );
        })}
      </ol>
    </details>
  );
}
