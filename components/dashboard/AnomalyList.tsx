import Link from "next/link";
import type { CycleInfo } from "@/lib/trace/types";
import { cycleHref } from "../CyclesTable";

/** Every anomaly of a run's cycles with its message, each leading to its cycle. */
export function AnomalyList({ runId, cycles }: { runId: string; cycles: CycleInfo[] }) {
  const withAnomalies = cycles.filter((cycle) => cycle.anomalies.length > 0);
  if (withAnomalies.length === 0) return <p className="muted">No anomalies in any cycle.</p>;
  return (
    <ul className="anomaly-list" data-testid="anomaly-list">
      {withAnomalies.flatMap((cycle) =>
        cycle.anomalies.map((anomaly) => (
          <li key={`${cycle.id}-${anomaly.kind}-${anomaly.seq}`}>
            <span className="badge badge-anomaly">{anomaly.kind}</span> {anomaly.message}{" "}
            <span className="muted">
              (<Link href={cycleHref(runId, cycle)}>cycle {cycle.ordinal} of {cycle.actorId}</Link>, event #{anomaly.seq})
            </span>
          </li>
        )),
      )}
    </ul>
  );
}
