// A HistoryReader on the engine's own CLI: `rivet-engine workflow list` and
// `rivet-engine workflow history <id> -t -t -f`. A running engine holds a lock on its file-system
// database, so the reader copies the data folder (without its `LOCK` file) and points the CLI at
// the copy: a snapshot consistent enough to read finished workflow steps. Postgres needs no copy.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { findEngineDatabase, type EngineDatabase, type FindDatabaseOptions } from "./data-dir";
import { parseWorkflowHistory, parseWorkflowList } from "./parse";
import type { HistoryReader, WorkflowHistory, WorkflowSummary } from "./types";

export class HistoryReaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistoryReaderError";
  }
}

export interface EngineCliReaderOptions extends FindDatabaseOptions {
  /** The `rivet-engine` binary (default: the one in @rivetkit/engine-cli, or RIVET_ENGINE_BIN). */
  engineBin?: string;
  /** Per CLI call. */
  timeoutMs?: number;
}

/** The engine binary: an explicit path, RIVET_ENGINE_BIN, or the npm package's. */
export function findEngineBinary(explicit?: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (explicit) return explicit;
  if (env.RIVET_ENGINE_BIN) return env.RIVET_ENGINE_BIN;
  try {
    // Resolved from the project, wherever the command runs (bin/wakeline.mjs sets WAKELINE_ROOT).
    const load = createRequire(path.join(env.WAKELINE_ROOT ?? process.cwd(), "package.json"));
    const cli = load("@rivetkit/engine-cli") as { getEnginePath(): string };
    return cli.getEnginePath();
  } catch {
    throw new HistoryReaderError("cannot find the rivet-engine binary: install @rivetkit/engine-cli or pass --engine-bin (or set RIVET_ENGINE_BIN)");
  }
}

/** The workflows lib/history/import.ts reads (actors, runners, pools, serverless connections). */
export const IMPORTED_WORKFLOWS = [
  "pegboard_actor",
  "pegboard_actor2",
  "pegboard_runner",
  "pegboard_runner2",
  "pegboard_runner_pool",
  "pegboard_runner_pool2",
  "pegboard_serverless_receiver2",
  "pegboard_serverless_conn2",
] as const;

export async function openEngineCliReader(options: EngineCliReaderOptions = {}): Promise<HistoryReader> {
  const bin = findEngineBinary(options.engineBin, options.env);
  const database = findEngineDatabase(options);
  const env: Record<string, string | undefined> = { ...(options.env ?? process.env), RIVET__TELEMETRY__ENABLED: "false" };
  const configArgs = (options.configPaths ?? []).flatMap((p) => ["--config", p]);
  let snapshot: string | null = null;
  if (database.kind === "file-system") {
    if (!fs.existsSync(database.path)) throw new HistoryReaderError(`the engine's data folder ${database.path} does not exist (found from ${describe(database)}); pass --data-dir`);
    snapshot = copyWithoutLock(database.path);
    env.RIVET__FILE_SYSTEM__PATH = snapshot;
  }
  const timeout = options.timeoutMs ?? 30_000;
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(bin, [...configArgs, ...args], { env: env as NodeJS.ProcessEnv, timeout, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) {
          const detail = `${stderr}\n${stdout}`.split("\n").filter((l) => /error|failed/i.test(l)).slice(-3).join(" | ");
          reject(new HistoryReaderError(`rivet-engine ${args.slice(0, 2).join(" ")} failed: ${detail || err.message}`));
        } else resolve(stdout);
      });
    });
  // The CLI opens the database once per call; calls go one at a time (a copy has one lock).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    source: database.kind === "file-system" ? `rivet-engine CLI on a copy of ${database.path}` : "rivet-engine CLI on its Postgres database",
    // The CLI lists at most 100 workflows a call (it stops its scan there), so a busy engine's
    // list is read name by name, for the workflows an import reads.
    list: async (): Promise<WorkflowSummary[]> => {
      const lists = await Promise.all(IMPORTED_WORKFLOWS.map((name) => serial(async () => parseWorkflowList(await run(["workflow", "list", "-n", name])))));
      return lists.flat();
    },
    history: (id: string) => serial(async (): Promise<WorkflowHistory> => parseWorkflowHistory(await run(["workflow", "history", id, "-t", "-t", "-f"]))),
    async close() {
      await queue.catch(() => undefined);
      if (snapshot) fs.rmSync(path.dirname(snapshot), { recursive: true, force: true });
    },
  };
}

function describe(database: EngineDatabase): string {
  switch (database.from) {
    case "option":
      return "--data-dir";
    case "env":
      return "RIVET__FILE_SYSTEM__PATH";
    case "config":
      return "the engine config";
    default:
      return "the engine's default location";
  }
}

/** Copies a RocksDB folder except its `LOCK`, into a fresh temporary folder. */
function copyWithoutLock(source: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-engine-db-"));
  const target = path.join(root, "db");
  fs.cpSync(source, target, { recursive: true, filter: (src) => path.basename(src) !== "LOCK" });
  return target;
}
