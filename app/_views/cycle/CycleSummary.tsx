"use client";

// The figures of the cycle on screen, and whether it is still growing.
import { StatusBadge } from "@/components/StatusBadge";
import { formatDuration } from "@/components/format";
import type { CycleInfo } from "@/lib/trace/types";
import { browserOffsetMinutes, formatInstant } from "./time-format";
import { useIsClient } from "./use-is-client";
import type { StreamStatus } from "./use-run-event-stream";
import type { TimeZoneChoice } from "./view-state";

const STREAM_TEXT: Record<StreamStatus, string> = {
  idle: "",
  connecting: "Connecting to the live event stream…",
  live: "Live: new events appear as they are recorded.",
  reconnecting: "Connection lost; reconnecting without losing events…",
  ended: "The run has finished.",
  failed: "The live event stream is unavailable; reload the page to try again.",
};

export function CycleSummary({ cycle, runStartedAt, tz, stream }: { cycle: CycleInfo; runStartedAt: string; tz: TimeZoneChoice; stream: StreamStatus }) {
  const isClient = useIsClient();
  const duration = cycle.endTime === null ? null : cycle.endTime - cycle.startTime;
  return (
    <>
      {stream !== "idle" && (
        <p className={`live-status live-${stream}`} role="status" data-testid="live-status">
          {stream === "live" && <span className="live-dot" aria-hidden="true" />}
          {STREAM_TEXT[stream]}
        </p>
      )}
      <dl className="facts" data-testid="cycle-facts">
        <div>
          <dt>Outcome</dt>
          <dd>
            <StatusBadge value={cycle.outcome} />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            {formatDuration(cycle.startTime)} into the run
            <br />
            <time className="muted">{tz === "local" && !isClient ? "…" : formatInstant(runStartedAt, cycle.startTime, tz, browserOffsetMinutes)}</time>
          </dd>
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
          <dd data-testid="cycle-event-count">{cycle.eventCount}</dd>
        </div>
      </dl>
    </>
  );
}
