import Link from "next/link";
import type { Anomaly, CycleInfo } from "@/lib/trace/types";
import { compareHref } from "./compare/compare-target";
import { formatDuration } from "./format";
import { StatusBadge } from "./StatusBadge";

export function cycleHref(runId: string, cycle: Pick<CycleInfo, "actorId" | "ordinal">): string {
  return `/runs/${encodeURIComponent(runId)}/cycles/${cycle.ordinal}?actor=${encodeURIComponent(cycle.actorId)}`;
}

/** How many anomalies of each kind, in the order they first happened. */
function anomalyKinds(anomalies: readonly Anomaly[]): { kind: Anomaly["kind"]; count: number; messages: string[] }[] {
  const byKind = new Map<Anomaly["kind"], { kind: Anomaly["kind"]; count: number; messages: string[] }>();
  for (const anomaly of anomalies) {
    const entry = byKind.get(anomaly.kind) ?? { kind: anomaly.kind, count: 0, messages: [] };
    entry.count++;
    entry.messages.push(anomaly.message);
    byKind.set(anomaly.kind, entry);
  }
  return [...byKind.values()];
}

function duration(cycle: CycleInfo): string {
  return cycle.endTime === null ? "open" : formatDuration(cycle.endTime - cycle.startTime);
}

/** The wake/sleep cycles of a run with their figures and anomalies, each linking to its diagram. */
export function CyclesTable({ runId, cycles, caption }: { runId: string; cycles: CycleInfo[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="data-table cycles-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Actor</th>
            <th scope="col">Cycle</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col" className="num">
              Wake to ready
            </th>
            <th scope="col" className="num">
              Cold start
            </th>
            <th scope="col" className="num">
              Requests served
            </th>
            <th scope="col">Anomalies</th>
            <th scope="col">
              <span className="visually-hidden">Compare</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {cycles.map((cycle) => (
            <tr key={cycle.id} data-testid="cycle-row" data-actor-id={cycle.actorId} data-ordinal={cycle.ordinal}>
              <td className="mono">{cycle.actorId}</td>
              <td>
                <Link href={cycleHref(runId, cycle)} aria-label={`Cycle ${cycle.ordinal} of actor ${cycle.actorId}`}>
                  #{cycle.ordinal}
                </Link>
              </td>
              <td>
                <StatusBadge value={cycle.outcome} />
              </td>
              <td className="num">{duration(cycle)}</td>
              <td className="num">{formatDuration(cycle.wakeToReadyMs)}</td>
              <td className="num">{formatDuration(cycle.coldStartMs)}</td>
              <td className="num">{cycle.requestsServed}</td>
              <td data-testid="cycle-anomalies">
                {cycle.anomalies.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul className="anomaly-kinds">
                    {anomalyKinds(cycle.anomalies).map((entry) => (
                      <li key={entry.kind} title={entry.messages.join("\n")}>
                        <span className="badge badge-anomaly">{entry.kind}</span>
                        {entry.count > 1 && <span className="muted"> ×{entry.count}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <Link
                  href={compareHref({ a: { runId, actorId: cycle.actorId, ordinal: cycle.ordinal } })}
                  aria-label={`Compare #${cycle.ordinal} of ${cycle.actorId}`}
                >
                  Compare
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
