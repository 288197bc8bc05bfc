// The command-line entry: dispatches to one command, turns every error into one line on stderr
// and an exit code (1 failure, 2 usage). Set WAKELINE_DEBUG=1 to see the stack of a bug.
import { exportCommand, importCommand } from "./commands/bundle";
import { checkCommand } from "./commands/check";
import { conformCommand } from "./commands/conform";
import { diagramCommand } from "./commands/diagram";
import { recordCommand } from "./commands/record";
import { runsCommand } from "./commands/runs";
import { scenarioCommand } from "./commands/scenario";
import { tokenCommand } from "./commands/token";
import { HELP } from "./help";
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from "./io";

type Command = (args: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  scenario: scenarioCommand,
  runs: runsCommand,
  diagram: diagramCommand,
  conform: conformCommand,
  check: checkCommand,
  export: exportCommand,
  import: importCommand,
  record: recordCommand,
  token: tokenCommand,
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr(`${HELP.wakeline}\n`);
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    const topic = args.length > 0 ? args.join(" ") : "wakeline";
    io.stdout(`${HELP[topic] ?? HELP.wakeline}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`, "wakeline");
    return await command(args, io);
  } catch (err) {
    return report(err, io);
  }
}

async function report(err: unknown, io: CliIO): Promise<number> {
  if (err instanceof UsageError) {
    const help = err.command === "wakeline" ? "wakeline --help" : `wakeline ${err.command} --help`;
    io.stderr(`wakeline: ${err.message} (see "${help}")\n`);
    return EXIT_USAGE;
  }
  if (err instanceof CliFailure) {
    io.stderr(`wakeline: ${err.message}\n`);
    return EXIT_FAILURE;
  }
  const { toServiceError } = await import("@/lib/services/errors");
  const known = toServiceError(err);
  if (known) {
    io.stderr(`wakeline: ${known.message}\n`);
    return EXIT_FAILURE;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`wakeline: internal error: ${firstLine(message)}\n`);
  if (process.env.WAKELINE_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return EXIT_FAILURE;
}

function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "")?.trim() ?? "unknown error";
}
