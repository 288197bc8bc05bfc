// Plain-text output for terminals.
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join("  "))
    .join("\n");
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "-";
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function cycleTable(cycles: CycleInfo[]): string {
  if (cycles.length === 0) return "No wake/sleep cycles.";
  return table([
    ["CYCLE", "OUTCOME", "SEQS", "WAKE→READY", "COLD START", "REQUESTS", "ANOMALIES"],
    ...cycles.map((c) => [
      `${c.actorId} #${c.ordinal}`,
      c.outcome,
      `${c.firstSeq}–${c.lastSeq}`,
      formatMs(c.wakeToReadyMs),
      formatMs(c.coldStartMs),
      String(c.requestsServed),
      anomalySummary(c),
    ]),
  ]);
}

function anomalySummary(cycle: CycleInfo): string {
  if (cycle.anomalies.length === 0) return "-";
  const counts = new Map<string, number>();
  for (const a of cycle.anomalies) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => (n > 1 ? `${kind}×${n}` : kind)).join(", ");
}

export function runTable(runs: RunInfo[]): string {
  if (runs.length === 0) return "No runs recorded yet. Try: wakeline scenario run ideal";
  return table([
    ["ID", "NAME", "SOURCE", "STATUS", "EVENTS", "STARTED"],
    ...runs.map((r) => [r.id, r.name, r.source, r.status, String(r.eventCount), r.startedAt.replace("T", " ").slice(0, 19)]),
  ]);
}

/** One event on one line: `#12  message  UserRequest  User → Gateway  GET /sleep`. */
export function eventLine(event: TraceEvent): string {
  const party = (p: TraceEvent["from"]) => (p ? p.role : "?");
  const where =
    event.kind === "message" || event.kind === "relation"
      ? `${party(event.from)} → ${party(event.to)}`
      : event.from
        ? `over ${event.from.role}`
        : "";
  const label = event.label.replace(/<br\s*\/?>/gi, " ").replace(/\s+/g, " ").trim();
  return [`#${event.seq}`, `t=${formatMs(event.time)}`, event.kind, event.type, where, label]
    .filter((part) => part !== "")
    .join("  ");
}
