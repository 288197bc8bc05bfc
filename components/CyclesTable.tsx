import Link from "next/link";
import type { CycleInfo } from "@/lib/trace/types";
import { formatDuration } from "./format";
import { StatusBadge } from "./StatusBadge";

export function cycleHref(runId: string, cycle: Pick<CycleInfo, "actorId" | "ordinal">): string {
  return `/runs/${encodeURIComponent(runId)}/cycles/${cycle.ordinal}?actor=${encodeURIComponent(cycle.actorId)}`;
}

/** The wake/sleep cycles of a run, each linking to its diagram. */
export function CyclesTable({ runId, cycles, caption }: { runId: string; cycles: CycleInfo[]; caption: string }) {
  return (
    <table className="data-table cycles-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Actor</th>
          <th scope="col">Cycle</th>
          <th scope="col">Outcome</th>
          <th scope="col" className="num">
            Wake to ready
          </th>
          <th scope="col" className="num">
            Requests served
          </th>
          <th scope="col" className="num">
            Anomalies
          </th>
        </tr>
      </thead>
      <tbody>
        {cycles.map((cycle) => (
          <tr key={cycle.id} data-testid="cycle-row">
            <td className="mono">{cycle.actorId}</td>
            <td>
              <Link href={cycleHref(runId, cycle)} aria-label={`Cycle ${cycle.ordinal} of actor ${cycle.actorId}`}>
                #{cycle.ordinal}
              </Link>
            </td>
            <td>
              <StatusBadge value={cycle.outcome} />
            </td>
            <td className="num">{formatDuration(cycle.wakeToReadyMs)}</td>
            <td className="num">{cycle.requestsServed}</td>
            <td className="num" title={cycle.anomalies.map((a) => a.message).join("\n") || undefined}>
              {cycle.anomalies.length}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
