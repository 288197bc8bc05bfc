// wakeline export --run <id> [--out file] | wakeline import <file>
import { optionalString, parse, requireString } from "../args";
import { readTextFile, writeTextFile } from "../files";
import { helpFor } from "../help";
import { CliFailure, EXIT_OK, UsageError, type CliIO } from "../io";
import { withDb } from "../session";

export async function exportCommand(args: string[], io: CliIO): Promise<number> {
  const command = "export";
  const parsed = parse(command, args, { run: { type: "string" }, out: { type: "string" } });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const runId = requireString(parsed, "run", command);
  const out = optionalString(parsed, "out");
  const { exportRun } = await import("@/lib/services/bundles");
  const bundle = await withDb((db) => exportRun(db, runId));
  const json = `${JSON.stringify(bundle, null, 2)}\n`;
  if (out === undefined) {
    io.stdout(json);
  } else {
    const written = writeTextFile(io.cwd, out, json);
    io.stderr(`Wrote run ${bundle.run.id} (${bundle.events.length} events) to ${written}\n`);
  }
  return EXIT_OK;
}

export async function importCommand(args: string[], io: CliIO): Promise<number> {
  const command = "import";
  const parsed = parse(command, args, {}, 1);
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const file = parsed.positionals[0];
  if (!file) throw new UsageError("which file? Give a bundle written by wakeline export", command);
  const text = readTextFile(io.cwd, file, "bundle");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliFailure(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { importBundle } = await import("@/lib/services/bundles");
  const run = await withDb((db) => importBundle(db, json));
  io.stdout(`${run.id}\n`);
  return EXIT_OK;
}
