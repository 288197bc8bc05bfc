import Link from "next/link";
import type { ReactNode } from "react";
import type { RunInfo } from "@/lib/trace/types";
import { formatTimestamp } from "./format";
import { StatusBadge } from "./StatusBadge";

export function runHref(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}`;
}

/** One run on the home page: its facts, then whatever the caller shows below (its cycles). */
export function RunCard({ run, cycleCount, children }: { run: RunInfo; cycleCount: number | null; children?: ReactNode }) {
  const headingId = `run-${run.id}-heading`;
  return (
    <article className="card run-card" aria-labelledby={headingId} data-testid="run-card" data-run-id={run.id}>
      <header className="run-card-header">
        <h3 id={headingId}>
          <Link href={runHref(run.id)}>{run.name}</Link>
        </h3>
        <StatusBadge value={run.status} />
      </header>
      <dl className="facts">
        <div>
          <dt>Source</dt>
          <dd>{run.source}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <time dateTime={run.startedAt}>{formatTimestamp(run.startedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{run.eventCount}</dd>
        </div>
        <div>
          <dt>Cycles</dt>
          <dd>{cycleCount ?? "…"}</dd>
        </div>
        {run.seed !== null && (
          <div>
            <dt>Seed</dt>
            <dd>{run.seed}</dd>
          </div>
        )}
      </dl>
      {run.error && (
        <p className="run-error" role="note">
          {run.error}
        </p>
      )}
      {children}
    </article>
  );
}
