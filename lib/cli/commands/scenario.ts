// wakeline scenario list | scenario run <name | file.json> [--seed N] [--json]
import path from "node:path";
import { optionalInteger, parse } from "../args";
import { cycleTable, table } from "../format";
import { helpFor } from "../help";
import { EXIT_OK, UsageError, type CliIO } from "../io";
import { withDb } from "../session";

export async function scenarioCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "list") return list(rest, io);
  if (sub === "run") return run(rest, io);
  if (sub === "--help" || sub === "-h") return help("scenario", io);
  if (sub === undefined) throw new UsageError("missing scenario command (list or run)", "scenario");
  throw new UsageError(`unknown scenario command "${sub}" (expected list or run)`, "scenario");
}

async function list(args: string[], io: CliIO): Promise<number> {
  const parsed = parse("scenario list", args, {});
  if (parsed.values.help) return help("scenario list", io);
  const { listScenarios } = await import("@/lib/services/runs");
  io.stdout(`${table(listScenarios().map((s) => [s.name, s.description]))}\n`);
  return EXIT_OK;
}

async function run(args: string[], io: CliIO): Promise<number> {
  const command = "scenario run";
  const parsed = parse(command, args, { seed: { type: "string" }, json: { type: "boolean" } }, 1);
  if (parsed.values.help) return help(command, io);
  const target = parsed.positionals[0];
  if (!target) throw new UsageError("which scenario? Give a built-in name or a .json file", command);
  const seed = optionalInteger(parsed, "seed", command);
  // A file path is taken relative to where the command was typed.
  const scenario = target.endsWith(".json") ? path.resolve(io.cwd, target) : target;

  const { runScenario } = await import("@/lib/services/runs");
  const { run: recorded, cycles } = await withDb((db) => runScenario(db, { scenario, seed }));
  if (parsed.values.json) {
    // Each cycle without its runId, which the object already states once.
    const out = { runId: recorded.id, cycles: cycles.map((cycle) => omitRunId(cycle)) };
    io.stdout(`${JSON.stringify(out)}\n`);
    return EXIT_OK;
  }
  io.stdout(
    `Run ${recorded.id}  ${recorded.name}  seed ${recorded.seed}  ${recorded.eventCount} events\n\n${cycleTable(cycles)}\n` +
      `\nDraw it: wakeline diagram --run ${recorded.id}\n`,
  );
  return EXIT_OK;
}

function omitRunId<T extends { runId: string }>(value: T): Omit<T, "runId"> {
  const copy: Partial<T> = { ...value };
  delete copy.runId;
  return copy as Omit<T, "runId">;
}

function help(command: string, io: CliIO): number {
  io.stdout(`${helpFor(command)}\n`);
  return EXIT_OK;
}
