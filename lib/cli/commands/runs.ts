// wakeline runs [--name TEXT] [--source S] [--limit N] [--json]
import { optionalInteger, optionalString, parse } from "../args";
import { runTable } from "../format";
import { helpFor } from "../help";
import { EXIT_OK, UsageError, type CliIO } from "../io";
import { withDb } from "../session";
import type { RunInfo } from "@/lib/trace/types";

const SOURCES = ["scenario", "live", "import", "otlp", "real"];

export async function runsCommand(args: string[], io: CliIO): Promise<number> {
  const command = "runs";
  const parsed = parse(command, args, {
    name: { type: "string" },
    source: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean" },
  });
  if (parsed.values.help) {
    io.stdout(`${helpFor(command)}\n`);
    return EXIT_OK;
  }
  const source = optionalString(parsed, "source");
  if (source !== undefined && !SOURCES.includes(source)) {
    throw new UsageError(`--source must be one of ${SOURCES.join(", ")}, not "${source}"`, command);
  }
  const limit = optionalInteger(parsed, "limit", command, 1);
  const { listRuns } = await import("@/lib/services/run-queries");
  const { closeInterruptedRuns } = await import("@/lib/services/interrupted-runs");
  const runs = await withDb(async (db) => {
    // With no server running, nothing else ends the runs of a CLI that was killed.
    await closeInterruptedRuns(db);
    return listRuns(db, { name: optionalString(parsed, "name"), source: source as RunInfo["source"] | undefined, limit });
  });
  io.stdout(parsed.values.json ? `${JSON.stringify(runs)}\n` : `${runTable(runs)}\n`);
  return EXIT_OK;
}
