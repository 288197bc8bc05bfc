// wakeline conform --run <id> --reference <file.mmd> [--actor <id>]
import { optionalString, parse, requireString } from "../args";
import { readTextFile } from "../files";
import { helpFor } from "../help";
import { EXIT_FAILURE, EXIT_OK, type CliIO } from "../io";
import { withDb } from "../session";

export async function conformCommand(args: string[], io: CliIO): Promise<number> {
  const command = "conform";
  const parsed = parse(command, args, { run: { type: "string" }, reference: { type: "string" }, actor: { type: "string" } });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const runId = requireString(parsed, "run", command);
  const referenceFile = requireString(parsed, "reference", command);
  const referenceText = readTextFile(io.cwd, referenceFile, "reference diagram");
  const [{ conformRun }, { formatReport }] = await Promise.all([
    import("@/lib/services/conformance"),
    import("@/lib/conformance"),
  ]);
  const report = await withDb((db) => conformRun(db, { runId, actorId: optionalString(parsed, "actor"), referenceText }));
  io.stdout(`${formatReport(report)}\n`);
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}
