"use client";

// The steps on screen on a time axis, one lane per lifeline, with the critical path of the wake
// (from the request to the response) drawn through them and cut into stages: where the time went.
// Selecting an item selects the same event as the diagram does (`sel` in the URL).
import { useMemo, useState, type MouseEvent } from "react";
import { ROLE_TITLE, type TraceEvent } from "@/lib/trace/types";
import { labelToText } from "@/lib/diagram";
import { formatGap, formatOffset } from "./time-format";
import { buildTimeline, criticalSpan } from "./timeline";

export interface CycleTimelineProps {
  steps: readonly TraceEvent[];
  events: readonly TraceEvent[];
  start: number;
  end: number | null;
  selected: number | null;
  current: number | null;
  anomalies: ReadonlySet<number>;
  describe: (seq: number) => string;
  onSelect: (seq: number) => void;
}

/** Height of a row in the line drawn through the critical path (its own units). */
const ROW_UNITS = 10;

export function CycleTimeline({ steps, events, start, end, selected, current, anomalies, describe, onSelect }: CycleTimelineProps) {
  const wake = useMemo(() => criticalSpan(events), [events]);
  const [scope, setScope] = useState<"cycle" | "wake">("cycle");
  const closer = scope === "wake" && wake !== null;
  const model = useMemo(
    () => (closer ? buildTimeline({ steps, events, start: wake.start, end: wake.end, clip: true }) : buildTimeline({ steps, events, start, end })),
    [closer, wake, steps, events, start, end],
  );
  const span = model.end - model.start;
  const totalStageMs = model.stages.reduce((sum, stage) => sum + stage.ms, 0);
  // The lanes are for the pointer (the stages above, the diagram and the list of events on screen
  // are the keyboard's way to the same events): a click on an item selects its event.
  function onLaneClick(event: MouseEvent<HTMLDivElement>) {
    const item = event.target instanceof Element ? event.target.closest("[data-seq]") : null;
    const seq = Number(item?.getAttribute("data-seq"));
    if (item && Number.isInteger(seq)) onSelect(seq);
  }
  const points = model.criticalPoints.map((point) => `${(point.at * 1000).toFixed(1)},${(point.row + 0.5) * ROW_UNITS}`).join(" ");

  return (
    <section className="cycle-timeline card" aria-labelledby="timeline-heading" data-testid="cycle-timeline">
      <div className="timeline-heading">
        <h3 id="timeline-heading">Timeline</h3>
        {wake !== null && (
          <div className="segmented timeline-scope" role="group" aria-label="Time axis">
            <button type="button" className={closer ? "segment" : "segment segment-current"} aria-pressed={!closer} onClick={() => setScope("cycle")}>
              Whole cycle
            </button>
            <button type="button" className={closer ? "segment segment-current" : "segment"} aria-pressed={closer} onClick={() => setScope("wake")}>
              The wake only
            </button>
          </div>
        )}
        <p className="muted">
          {formatGap(span)} on the engine clock{closer ? ` from ${formatOffset(model.start - start)}` : ""}
          {model.criticalMs !== null && (
            <>
              {" "}
              · critical path <strong data-testid="critical-ms">{formatGap(model.criticalMs)}</strong> from the request to the response
            </>
          )}
        </p>
      </div>

      {model.stages.length > 0 && (
        <div className="timeline-stages">
          <div className="stage-bar" aria-hidden="true">
            {model.stages.map((stage, index) => (
              <span
                key={`${stage.seq}-${index}`}
                className={`stage-segment stage-${index % 4}`}
                style={{ flexGrow: totalStageMs > 0 ? Math.max(stage.ms, totalStageMs / 200) : 1 }}
                title={`${stage.name}: ${formatGap(stage.ms)}`}
              />
            ))}
          </div>
          <ol className="stage-list" aria-label="Where the time went" data-testid="stage-list">
            {model.stages.map((stage, index) => (
              <li key={`${stage.seq}-${index}`}>
                <span className={`stage-swatch stage-${index % 4}`} aria-hidden="true" />
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onSelect(stage.seq)}
                  aria-current={stage.seq === selected ? "true" : undefined}
                >
                  {stage.name}
                </button>{" "}
                <span className="mono">{formatGap(stage.ms)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}

      <div className="timeline-grid" aria-hidden="true" data-testid="timeline-lanes" onClick={onLaneClick}>
        {model.lanes.map((lane) => (
          <div key={lane.role} className="timeline-lane" data-role={lane.role} style={{ height: `calc(${lane.rows} * var(--timeline-row-height))` }}>
            <span className="timeline-lane-name">{labelToText(ROLE_TITLE[lane.role]).replace(/\n/g, " ")}</span>
            <div className="timeline-track">
              {lane.items.map((item) => {
                const classes = [
                  "timeline-item",
                  `timeline-${item.kind}`,
                  item.critical ? "is-critical" : "",
                  item.seq === selected ? "is-selected" : "",
                  item.seq === current ? "is-current" : "",
                  anomalies.has(item.seq) ? "is-anomaly" : "",
                ]
                  .filter(Boolean)
                  .join(" ");
                return (
                  <span
                    key={item.seq}
                    className={classes}
                    style={{ left: `${item.at * 100}%`, top: `calc(${item.row + 0.5} * var(--timeline-row-height))` }}
                    data-seq={item.seq}
                    title={`${formatOffset(item.time - start)} · ${describe(item.seq)}`}
                  />
                );
              })}
            </div>
          </div>
        ))}
        {model.criticalPoints.length > 1 && (
          <svg
            className="timeline-critical"
            viewBox={`0 0 1000 ${model.rows * ROW_UNITS}`}
            preserveAspectRatio="none"
            style={{ height: `calc(${model.rows} * var(--timeline-row-height))` }}
            focusable="false"
          >
            <polyline points={points} />
          </svg>
        )}
        <div className="timeline-axis">
          {model.ticks.map((tick) => (
            <span key={tick.offset} className="timeline-tick" style={{ left: `${tick.at * 100}%` }}>
              {formatOffset(model.start - start + tick.offset)}
            </span>
          ))}
        </div>
      </div>
      <p className="muted timeline-legend">
        <span className="legend-dot is-critical" aria-hidden="true" /> on the critical path ·{" "}
        <span className="legend-dot is-anomaly" aria-hidden="true" /> anomaly · times from the cycle&rsquo;s start
      </p>
    </section>
  );
}
