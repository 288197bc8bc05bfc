// Runs the real CLI (bin/wakeline.mjs) as a child process against a temporary database.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "wakeline.mjs");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  dir: string;
  databaseUrl: string;
  run(args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<CliResult>;
  cleanup(): void;
}

/** A temporary folder whose database does not exist yet: the CLI must create it on first use. */
export function createSandbox(): CliSandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-cli-"));
  const databaseUrl = `file:${path.join(dir, "db", "wakeline.db")}`;
  return {
    dir,
    databaseUrl,
    run: (args, options = {}) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [BIN, ...args],
          {
            cwd: options.cwd ?? dir,
            env: { ...process.env, DATABASE_URL: databaseUrl, WAKELINE_DEBUG: "", ...options.env },
            maxBuffer: 64 * 1024 * 1024,
          },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A coded error: exactly one line on stderr, nothing that looks like a stack trace. */
export function isOneLineError(result: CliResult): boolean {
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  return lines.length === 1 && lines[0].startsWith("wakeline: ") && !/\n\s+at /.test(result.stderr);
}
