import Link from "next/link";
import { compareHref } from "@/components/compare/compare-target";
import { StatusBadge } from "@/components/StatusBadge";
import { formatDuration, formatTimestamp, pluralize } from "@/components/format";
import type { RunInfo } from "@/lib/trace/types";
import { useIsOwner } from "../_queries/access";

/** Title and facts of a run; while it records, its progress. */
export function RunHeader({ run, actorId }: { run: RunInfo; actorId: string | null }) {
  const owner = useIsOwner();
  const lasted =
    run.endedAt === null ? null : new Date(run.endedAt).getTime() - new Date(run.startedAt).getTime();
  return (
    <header className="page-header">
      <p className="breadcrumb">
        {owner && (
          <>
            <Link href="/">Runs</Link> /{" "}
          </>
        )}
        <span className="mono">{run.id}</span>
      </p>
      <h1>
        {run.name} <StatusBadge value={run.status} />
      </h1>
      <dl className="facts">
        <div>
          <dt>Source</dt>
          <dd>{run.source}</dd>
        </div>
        <div>
          <dt>Seed</dt>
          <dd>{run.seed ?? "—"}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <time dateTime={run.startedAt}>{formatTimestamp(run.startedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{run.endedAt === null ? "still recording" : formatTimestamp(run.endedAt)}</dd>
        </div>
        {lasted !== null && (
          <div>
            <dt>Recording took</dt>
            <dd>{formatDuration(lasted)}</dd>
          </div>
        )}
        <div>
          <dt>Events</dt>
          <dd data-testid="run-event-count">{run.eventCount}</dd>
        </div>
      </dl>
      {run.status === "running" && (
        <p className="run-progress" role="status" data-testid="run-progress" data-status="running">
          Recording: {pluralize(run.eventCount, "event")} so far. This page follows the run as it grows.
        </p>
      )}
      {run.error && (
        <p className="run-error" role="note">
          {run.error}
        </p>
      )}
      {owner && actorId !== null && (
        <p>
          <Link href={compareHref({ a: { runId: run.id, actorId } })}>
            Compare <span className="mono">{actorId}</span>&rsquo;s run with a reference diagram or another recording
          </Link>
        </p>
      )}
    </header>
  );
}
