import type { ConformanceReport, Diff } from "./compare";

/** A readable, multi-line summary of a comparison, for the CLI and logs. */
export function formatReport(report: ConformanceReport): string {
  const counts = `${report.matched} of ${report.expectedCount} expected items matched, ${report.actualCount} actual items`;
  if (report.ok) return `Conformance OK: ${counts}.`;
  const lines = [
    `Conformance FAILED: ${counts}; ${report.missing.length} missing, ${report.extra.length} extra, ${report.outOfOrder.length} out of order.`,
  ];
  section(lines, "Missing (expected, not found):", report.missing);
  section(lines, "Extra (found, not expected):", report.extra);
  section(lines, "Out of order (found, in the wrong place):", report.outOfOrder);
  return lines.join("\n");
}

function section(lines: string[], title: string, diffs: readonly Diff[]): void {
  if (diffs.length === 0) return;
  lines.push("", title);
  for (const diff of diffs) lines.push(`  ${position(diff).padEnd(24)} ${diff.text}`);
}

function position(diff: Diff): string {
  const parts: string[] = [];
  if (diff.line !== undefined) parts.push(`line ${diff.line}`);
  else if (diff.expectedIndex !== undefined) parts.push(`expected #${diff.expectedIndex + 1}`);
  if (diff.seq !== undefined) parts.push(`seq ${diff.seq}`);
  else if (diff.actualIndex !== undefined) parts.push(`actual #${diff.actualIndex + 1}`);
  return parts.join(" / ");
}
