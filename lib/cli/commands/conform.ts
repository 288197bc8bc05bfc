// wakeline conform --run <id> --reference <file.mmd> [--actor <id>] [--cycle N] [--real-engine]
import { optionalInteger, optionalString, parse, requireString } from "../args";
import { readTextFile } from "../files";
import { helpFor } from "../help";
import { EXIT_FAILURE, EXIT_OK, type CliIO } from "../io";
import { withDb } from "../session";

export async function conformCommand(args: string[], io: CliIO): Promise<number> {
  const command = "conform";
  const parsed = parse(command, args, {
    run: { type: "string" },
    reference: { type: "string" },
    actor: { type: "string" },
    cycle: { type: "string" },
    "real-engine": { type: "boolean" },
  });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const runId = requireString(parsed, "run", command);
  const referenceFile = requireString(parsed, "reference", command);
  const cycle = optionalInteger(parsed, "cycle", command, 1);
  const realEngine = parsed.values["real-engine"] === true;
  const referenceText = readTextFile(io.cwd, referenceFile, "reference diagram");
  const [{ conformRun }, { formatReport }] = await Promise.all([
    import("@/lib/services/conformance"),
    import("@/lib/conformance"),
  ]);
  const report = await withDb((db) => conformRun(db, { runId, actorId: optionalString(parsed, "actor"), referenceText, cycle, realEngine }));
  io.stdout(`${formatReport(report)}\n`);
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}
