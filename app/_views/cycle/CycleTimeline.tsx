"use client";

// The steps on screen on a time axis, one lane per lifeline, with the critical path of the wake
// (from the request to the response) drawn through them and cut into stages: where the time went.
// Selecting an item selects the same event as the diagram does (`sel` in the URL).
import { useId, useMemo, useState, type KeyboardEvent, type MouseEvent } from "react";
import { ROLE_TITLE, type TraceEvent } from "@/lib/trace/types";
import { labelToText } from "@/lib/diagram";
import { formatGap, formatOffset } from "./time-format";
import { buildTimeline, criticalSpan } from "./timeline";
import { isTimelineKey, timelineTarget } from "./timeline-keys";

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
  // A click on an item selects its event; from the keyboard, the lanes are one stop (a listbox
  // whose active option is the selected event) and the arrow keys move the selection.
  function onLaneClick(event: MouseEvent<HTMLDivElement>) {
    const item = event.target instanceof Element ? event.target.closest("[data-seq]") : null;
    const seq = Number(item?.getAttribute("data-seq"));
    if (item && Number.isInteger(seq)) onSelect(seq);
  }
  function onLaneKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!isTimelineKey(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const seq = timelineTarget(model.lanes, selected, event.key);
    if (seq !== null && seq !== selected) onSelect(seq);
  }
  const idPrefix = `timeline-${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
  const itemId = (seq: number) => `${idPrefix}-${seq}`;
  const active = selected !== null && model.lanes.some((lane) => lane.items.some((item) => item.seq === selected)) ? itemId(selected) : undefined;
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

      <div
        className="timeline-grid"
        role="listbox"
        aria-label="Events on the timeline (arrow keys move the selection)"
        aria-activedescendant={active}
        tabIndex={0}
        data-testid="timeline-lanes"
        onClick={onLaneClick}
        onKeyDown={onLaneKeyDown}
      >
        {model.lanes.map((lane) => (
          <div
            key={lane.role}
            className="timeline-lane"
            data-role={lane.role}
            role="group"
            aria-label={labelToText(ROLE_TITLE[lane.role]).replace(/\n/g, " ")}
            style={{ height: `calc(${lane.rows} * var(--timeline-row-height))` }}
          >
            <span className="timeline-lane-name" aria-hidden="true">
              {labelToText(ROLE_TITLE[lane.role]).replace(/\n/g, " ")}
            </span>
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
                    id={itemId(item.seq)}
                    role="option"
                    aria-selected={item.seq === selected}
                    aria-label={`${formatOffset(item.time - start)} · ${describe(item.seq)}`}
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
            aria-hidden="true"
          >
            <polyline points={points} />
          </svg>
        )}
        <div className="timeline-axis" aria-hidden="true">
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
