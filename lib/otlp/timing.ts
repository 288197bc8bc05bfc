// What a real engine's spans add to a recording: times that neither the wire nor the workflow
// histories have. A workflow history stamps a received signal when it was consumed, and a signal
// sent by the gateway or the API (not a workflow) has no `signal send` anywhere; the engine's
// `send {signal_id}` span has its send time. Spans carry no payloads, so they only ever refine
// when something happened, never what. Pure.
import type { Span } from "./spans";

/** Storage and worker-polling spans: about half of what the engine exports, and no use here. */
const NOISE = new Set(["txn", "get", "set", "op", "subscribe_opt", "pull_workflows", "pull_next_signals", "commit_workflow_activity_event", "commit_workflow_branch_event", "update_workflow_state"]);

export interface SignalSend {
  signalId: string;
  name: string;
  /** Epoch milliseconds. */
  atMs: number;
}

export interface ActivitySpan {
  workflowId: string;
  name: string;
  startMs: number;
  endMs: number;
}

export interface SpanTiming {
  /** When a signal was sent, by its id (epoch ms), or null when no span says. */
  signalSentAt(signalId: string): number | null;
  signals: ReadonlyMap<string, SignalSend>;
  /** Activities whose workflow is known (the trace's root `workflow` span arrived). */
  activities: readonly ActivitySpan[];
  /** Spans kept, and how many of each name. */
  spans: number;
  byName: Record<string, number>;
}

export const isNoiseSpan = (span: Span): boolean => NOISE.has(span.name);

export function spanTiming(spans: readonly Span[]): SpanTiming {
  const signals = new Map<string, SignalSend>();
  const workflowOfTrace = new Map<string, string>();
  const byName: Record<string, number> = {};
  let kept = 0;
  for (const span of spans) {
    if (isNoiseSpan(span)) continue;
    kept += 1;
    byName[span.name] = (byName[span.name] ?? 0) + 1;
    const { signal_id: signalId, signal_name: signalName, workflow_id: workflowId } = span.attributes;
    if (span.name === "send" && typeof signalId === "string") {
      const known = signals.get(signalId);
      if (!known || span.startMs < known.atMs) signals.set(signalId, { signalId, name: typeof signalName === "string" ? signalName : "", atMs: span.startMs });
    }
    if (span.name === "workflow" && span.parentSpanId === null && typeof workflowId === "string") workflowOfTrace.set(span.traceId, workflowId);
  }
  const activities: ActivitySpan[] = [];
  for (const span of spans) {
    const name = span.attributes.activity_name;
    const workflowId = workflowOfTrace.get(span.traceId);
    if (span.name === "activity" && typeof name === "string" && workflowId) activities.push({ workflowId, name, startMs: span.startMs, endMs: span.endMs });
  }
  return {
    signalSentAt: (signalId) => signals.get(signalId)?.atMs ?? null,
    signals,
    activities,
    spans: kept,
    byName,
  };
}

/**
 * Spans received while recording, in memory and bounded: the oldest go first past `limit`, and
 * storage noise is never kept. (A recording's spans live as long as its proxy; the times they
 * give are written into the run when the histories are imported.)
 */
export class SpanLog {
  private spans: Span[] = [];
  dropped = 0;

  constructor(private readonly limit = 200_000) {}

  add(spans: readonly Span[]): void {
    for (const span of spans) if (!isNoiseSpan(span)) this.spans.push(span);
    const over = this.spans.length - this.limit;
    if (over > 0) {
      this.spans = this.spans.slice(over);
      this.dropped += over;
    }
  }

  get size(): number {
    return this.spans.length;
  }

  all(): readonly Span[] {
    return this.spans;
  }
}
