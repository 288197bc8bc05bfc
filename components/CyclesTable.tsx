"use client";

import Link from "next/link";
import { useState } from "react";
import { useIsOwner } from "@/app/_queries/access";
import type { Anomaly, CycleInfo } from "@/lib/trace/types";
import { compareHref } from "./compare/compare-target";
import { cycleBar, pageOf, runSpan } from "./cycle-bars";
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

export interface CyclesTableProps {
  runId: string;
  cycles: CycleInfo[];
  caption: string;
  /** Show a timeline bar per cycle (where in the run it happened, its wake). */
  timeline?: boolean;
  /** Show this many rows at a time, with a pager. */
  pageSize?: number;
  /** A link that draws the cycle on the page, when the page has a diagram. */
  drawHref?: (cycle: CycleInfo) => string;
}

/** The wake/sleep cycles of a run with their figures and anomalies, each linking to its diagram. */
export function CyclesTable({ runId, cycles, caption, timeline = false, pageSize, drawHref }: CyclesTableProps) {
  const [pageIndex, setPageIndex] = useState(0);
  // Comparing picks other runs: not for a share-link viewer.
  const owner = useIsOwner();
  const page = pageOf(cycles.length, pageIndex, pageSize ?? Math.max(1, cycles.length));
  const span = timeline ? runSpan(cycles) : null;
  const shown = cycles.slice(page.start, page.end);
  return (
    <>
      {page.pages > 1 && (
        <nav className="table-pager" aria-label="Pages of cycles" data-testid="cycles-pager">
          <button type="button" className="button-secondary" onClick={() => setPageIndex(page.page - 1)} disabled={page.page === 0}>
            Previous
          </button>
          <span data-testid="cycles-page">
            Cycles {(page.start + 1).toLocaleString("en-US")}–{page.end.toLocaleString("en-US")} of {cycles.length.toLocaleString("en-US")}
          </span>
          <button type="button" className="button-secondary" onClick={() => setPageIndex(page.page + 1)} disabled={page.page >= page.pages - 1}>
            Next
          </button>
        </nav>
      )}
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
              {span && <th scope="col">Timeline</th>}
              <th scope="col">
                <span className="visually-hidden">Compare</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((cycle) => (
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
                {span && (
                  <td>
                    <CycleTimelineBar cycle={cycle} span={span} />
                  </td>
                )}
                <td className="row-actions">
                  {drawHref && (
                    <Link href={drawHref(cycle)} aria-label={`Draw cycle ${cycle.ordinal} of ${cycle.actorId} below`}>
                      Draw
                    </Link>
                  )}
                  {owner && (
                    <Link
                      href={compareHref({ a: { runId, actorId: cycle.actorId, ordinal: cycle.ordinal } })}
                      aria-label={`Compare #${cycle.ordinal} of ${cycle.actorId}`}
                    >
                      Compare
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Where the cycle happened in the run (the bar) and how much of it the wake took (its darker start). */
function CycleTimelineBar({ cycle, span }: { cycle: CycleInfo; span: { start: number; end: number } }) {
  const bar = cycleBar(cycle, span);
  return (
    <span className="cycle-bar" data-testid="cycle-bar" title={`From ${formatDuration(cycle.startTime)} into the run, lasting ${duration(cycle)}`}>
      <span className="cycle-bar-span" style={{ left: `${bar.left}%`, width: `${bar.width}%` }}>
        <span className="cycle-bar-wake" style={{ width: `${bar.wake}%` }} />
      </span>
    </span>
  );
}
