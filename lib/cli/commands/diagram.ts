// wakeline diagram --run <id> [--actor <id>] [--cycle N | --all-cycles] [--detail full]
import { optionalInteger, optionalString, parse, requireString } from "../args";
import { helpFor } from "../help";
import { EXIT_OK, UsageError, type CliIO } from "../io";
import { withDb } from "../session";

export async function diagramCommand(args: string[], io: CliIO): Promise<number> {
  const command = "diagram";
  const parsed = parse(command, args, {
    run: { type: "string" },
    actor: { type: "string" },
    cycle: { type: "string" },
    "all-cycles": { type: "boolean" },
    detail: { type: "string" },
  });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const runId = requireString(parsed, "run", command);
  const cycle = optionalInteger(parsed, "cycle", command, 1);
  const allCycles = parsed.values["all-cycles"] === true;
  if (cycle !== undefined && allCycles) throw new UsageError("use either --cycle or --all-cycles", command);
  const detail = optionalString(parsed, "detail");
  if (detail !== undefined && detail !== "full" && detail !== "default") {
    throw new UsageError(`--detail must be "full" or "default", not "${detail}"`, command);
  }
  const { diagramText } = await import("@/lib/services/diagrams");
  const diagram = await withDb((db) =>
    diagramText(db, { runId, actorId: optionalString(parsed, "actor"), cycle, allCycles, detail }),
  );
  io.stdout(diagram.text.endsWith("\n") ? diagram.text : `${diagram.text}\n`);
  return EXIT_OK;
}
