import { StatusBadge } from "@/components/StatusBadge";
import { formatDuration } from "@/components/format";
import type { CycleInfo } from "@/lib/trace/types";

/** The figures of one cycle and the anomalies found in it. */
export function CycleFacts({ cycle }: { cycle: CycleInfo }) {
  const duration = cycle.endTime === null ? null : cycle.endTime - cycle.startTime;
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Outcome</dt>
          <dd>
            <StatusBadge value={cycle.outcome} />
          </dd>
        </div>
        <div>
          <dt>Starts at</dt>
          <dd>{formatDuration(cycle.startTime)} into the run</dd>
        </div>
        <div>
          <dt>Lasted</dt>
          <dd>{duration === null ? "still open" : formatDuration(duration)}</dd>
        </div>
        <div>
          <dt>Wake to ready</dt>
          <dd>{formatDuration(cycle.wakeToReadyMs)}</dd>
        </div>
        <div>
          <dt>Cold start</dt>
          <dd>{formatDuration(cycle.coldStartMs)}</dd>
        </div>
        <div>
          <dt>Requests served</dt>
          <dd>{cycle.requestsServed}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{cycle.eventCount}</dd>
        </div>
      </dl>
      {cycle.anomalies.length > 0 && (
        <section aria-labelledby="anomalies-heading" className="anomalies">
          <h2 id="anomalies-heading">Anomalies</h2>
          <ul>
            {cycle.anomalies.map((anomaly) => (
              <li key={`${anomaly.kind}-${anomaly.seq}`}>
                <span className="badge badge-anomaly">{anomaly.kind}</span> {anomaly.message}{" "}
                <span className="muted">(event #{anomaly.seq})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
