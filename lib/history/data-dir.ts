// Where a rivet-engine keeps its database, found the way the engine itself finds it: its config
// file(s) (`--config <file or folder>`, else /etc/rivet), overridden by `RIVET__*` environment
// variables (`RIVET__FILE_SYSTEM__PATH`), else the default file-system path
// (`<local data dir>/rivet-engine/db`). An explicit folder wins over all of them. Relative paths
// are taken from the current folder, as the engine takes them from its own.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type EngineDatabase =
  | { kind: "file-system"; path: string; from: "option" | "env" | "config" | "default" }
  /** Postgres: the engine's CLI reads it directly with the same config, no copy needed. */
  | { kind: "postgres"; from: "env" | "config" };

export interface FindDatabaseOptions {
  dataDir?: string;
  /** The engine's `--config` paths (files or folders). */
  configPaths?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  home?: string;
}

export function findEngineDatabase(options: FindDatabaseOptions = {}): EngineDatabase {
  const env = options.env ?? process.env;
  if (options.dataDir) return { kind: "file-system", path: path.resolve(options.dataDir), from: "option" };
  const fromEnv = env.RIVET__FILE_SYSTEM__PATH;
  if (fromEnv) return { kind: "file-system", path: path.resolve(fromEnv), from: "env" };
  if (env.RIVET__POSTGRES__URL) return { kind: "postgres", from: "env" };
  const platform = options.platform ?? process.platform;
  const paths = options.configPaths && options.configPaths.length > 0 ? options.configPaths : [systemConfigDir(platform)];
  let found: EngineDatabase | null = null;
  for (const file of configFiles(paths)) {
    const db = databaseIn(file);
    if (db) found = db;
  }
  if (found) return found;
  return { kind: "file-system", path: defaultPath(platform, options.home ?? os.homedir(), env), from: "default" };
}

function systemConfigDir(platform: NodeJS.Platform): string {
  if (platform === "darwin") return "/Library/Application Support/rivet";
  if (platform === "win32") return "C:\\ProgramData\\rivet";
  return "/etc/rivet";
}

/** `dirs::data_local_dir()/rivet-engine/db`, as the engine's default. */
function defaultPath(platform: NodeJS.Platform, home: string, env: Readonly<Record<string, string | undefined>>): string {
  const base =
    platform === "darwin"
      ? path.join(home, "Library", "Application Support")
      : platform === "win32"
        ? (env.LOCALAPPDATA ?? path.join(home, "AppData", "Local"))
        : (env.XDG_DATA_HOME ?? path.join(home, ".local", "share"));
  return path.join(base, "rivet-engine", "db");
}

const CONFIG_EXTENSIONS = new Set([".json", ".json5", ".jsonc", ".yaml", ".yml"]);

function configFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        const file = path.join(p, name);
        if (CONFIG_EXTENSIONS.has(path.extname(name)) && fs.statSync(file).isFile()) out.push(file);
      }
    } else out.push(p);
  }
  return out;
}

/** The database a config file names, if it names one. */
export function databaseIn(file: string): EngineDatabase | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const ext = path.extname(file);
  if (ext === ".yaml" || ext === ".yml") return databaseInYaml(text);
  const parsed = parseJsonLoose(text);
  if (!parsed || typeof parsed !== "object") return null;
  const root = parsed as Record<string, unknown>;
  const fileSystem = root.file_system as { path?: unknown } | undefined;
  if (fileSystem && typeof fileSystem.path === "string") return { kind: "file-system", path: path.resolve(fileSystem.path), from: "config" };
  if (root.postgres) return { kind: "postgres", from: "config" };
  return null;
}

/** JSON, or JSON5/JSONC with comments and trailing commas. */
function parseJsonLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const stripped = text
      .replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (match, string: string | undefined) => string ?? "")
      .replace(/,(\s*[}\]])/g, "$1");
    try {
      return JSON.parse(stripped);
    } catch {
      return null;
    }
  }
}

/** The two shapes that matter, `file_system: {path: …}` and `postgres: …`, from a YAML file. */
function databaseInYaml(text: string): EngineDatabase | null {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (/^postgres\s*:/.test(lines[i])) return { kind: "postgres", from: "config" };
    if (/^file_system\s*:/.test(lines[i])) {
      const inline = /path\s*:\s*["']?([^"'}]+)["']?/.exec(lines[i]);
      if (inline) return { kind: "file-system", path: path.resolve(inline[1].trim()), from: "config" };
      for (let j = i + 1; j < lines.length && /^\s+/.test(lines[j]); j++) {
        const match = /^\s+path\s*:\s*["']?(.+?)["']?\s*$/.exec(lines[j]);
        if (match) return { kind: "file-system", path: path.resolve(match[1]), from: "config" };
      }
    }
  }
  return null;
}
