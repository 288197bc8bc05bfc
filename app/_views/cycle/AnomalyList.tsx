"use client";

// The cycle's anomalies (ignored wakes and sleep intents, deferred and retry wakes, lost actors,
// timeouts, errors returned to the user), each leading to the event where it happened — which the
// diagram marks too.
import type { Anomaly, TraceEvent } from "@/lib/trace/types";
import { formatOffset } from "./time-format";

export interface AnomalyListProps {
  anomalies: readonly Anomaly[];
  events: readonly TraceEvent[];
  cycleStart: number;
  selected: number | null;
  onSelect: (seq: number) => void;
}

export function AnomalyList({ anomalies, events, cycleStart, selected, onSelect }: AnomalyListProps) {
  const timeOf = new Map(events.map((event) => [event.seq, event.time]));
  return (
    <section className="cycle-anomalies card" aria-labelledby="anomaly-list-heading" data-testid="anomaly-list">
      <h3 id="anomaly-list-heading">Anomalies ({anomalies.length})</h3>
      {anomalies.length === 0 ? (
        <p className="muted">None in this cycle.</p>
      ) : (
        <ul>
          {anomalies.map((anomaly) => {
            const time = timeOf.get(anomaly.seq);
            return (
              <li key={`${anomaly.kind}-${anomaly.seq}`} className={anomaly.seq === selected ? "is-selected" : undefined}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onSelect(anomaly.seq)}
                  aria-current={anomaly.seq === selected ? "true" : undefined}
                >
                  <span className={`badge badge-anomaly anomaly-${anomaly.kind}`}>{anomaly.kind}</span> {anomaly.message}
                </button>{" "}
                <span className="muted">
                  #{anomaly.seq}
                  {time !== undefined ? ` · ${formatOffset(time - cycleStart)}` : ""}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
