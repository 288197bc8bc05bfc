// Progress of a run started from the dashboard: recording (with its event count so far), recorded,
// or failed. Announced politely to screen readers as it changes.
import Link from "next/link";
import type { RunInfo } from "@/lib/trace/types";
import { pluralize } from "../format";
import { runHref } from "../RunCard";

export function RunProgress({ run, cycleCount }: { run: RunInfo; cycleCount: number | null }) {
  if (run.status === "running") {
    return (
      <p className="run-progress" role="status" data-testid="run-progress" data-status="running">
        <span className="badge badge-running">recording</span> <Link href={runHref(run.id)}>{run.name}</Link>:{" "}
        <span data-testid="run-progress-events">{pluralize(run.eventCount, "event")}</span> so far. Open the run to watch
        it grow.
      </p>
    );
  }
  if (run.status === "failed") {
    return (
      <p className="form-error" role="alert" data-testid="run-progress" data-status="failed">
        The run <Link href={runHref(run.id)}>{run.name}</Link> failed: {(run.error ?? "no reason was recorded").replace(/\.$/, "")}.
      </p>
    );
  }
  return (
    <p className="form-success" role="status" data-testid="run-progress" data-status="finished">
      Recorded <Link href={runHref(run.id)}>{run.name}</Link> with {pluralize(run.eventCount, "event")}
      {cycleCount === null ? "" : ` and ${pluralize(cycleCount, "cycle")}`}.
    </p>
  );
}
