import Link from "next/link";
import { StatusBadge } from "@/components/StatusBadge";
import { formatTimestamp } from "@/components/format";
import type { RunInfo } from "@/lib/trace/types";

/** Title and facts of a run, with the export link. */
export function RunHeader({ run }: { run: RunInfo }) {
  return (
    <header className="page-header">
      <p className="breadcrumb">
        <Link href="/">Runs</Link> / <span className="mono">{run.id}</span>
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
          <dd>{formatTimestamp(run.endedAt)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{run.eventCount}</dd>
        </div>
      </dl>
      {run.error && (
        <p className="run-error" role="note">
          {run.error}
        </p>
      )}
      <p>
        <a href={`/api/runs/${encodeURIComponent(run.id)}/export`} download>
          Export run as JSON bundle
        </a>
      </p>
    </header>
  );
}
