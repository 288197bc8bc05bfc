// wakeline check --run <id>
import { parse, requireString } from "../args";
import { eventLine } from "../format";
import { helpFor } from "../help";
import { EXIT_FAILURE, EXIT_OK, type CliIO } from "../io";
import { withDb } from "../session";

export async function checkCommand(args: string[], io: CliIO): Promise<number> {
  const command = "check";
  const parsed = parse(command, args, { run: { type: "string" } });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const runId = requireString(parsed, "run", command);
  const [{ checkRecordedRun }, { getEvents }] = await Promise.all([
    import("@/lib/services/check"),
    import("@/lib/services/run-queries"),
  ]);
  const { run, violations, events } = await withDb(async (db) => {
    const result = await checkRecordedRun(db, runId);
    return { ...result, events: result.violations.length > 0 ? await getEvents(db, runId) : [] };
  });
  if (violations.length === 0) {
    io.stdout(`Run ${run.id}: no violations (${run.eventCount} events checked)\n`);
    return EXIT_OK;
  }
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const lines = [`Run ${run.id}: ${violations.length} violation${violations.length === 1 ? "" : "s"}`];
  for (const violation of violations) {
    lines.push("", `${violation.rule}: ${violation.message}`);
    for (const seq of violation.seqs) {
      const event = bySeq.get(seq);
      lines.push(`  ${event ? eventLine(event) : `#${seq} (not recorded)`}`);
    }
  }
  io.stdout(`${lines.join("\n")}\n`);
  return EXIT_FAILURE;
}
