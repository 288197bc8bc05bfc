// The server as users run it: `npm start` (scripts/start.mjs → server.ts, the engine and the
// production dashboard in one process) as a child process group of its own, on a free loopback
// port and a database file of the test's choosing. Tests stop it the ways users and service
// managers do, or kill it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface ServerProcess {
  url: string;
  port: number;
  /** The npm process; its pid is also the process group's id. */
  npm: ChildProcess;
  /** The node process running server.ts. */
  serverPid(): number;
  output(): string;
  /** Resolves with the npm process's exit code once the whole group has exited. */
  exited: Promise<number | null>;
  /** Sends a signal to the whole process group (as a terminal's Ctrl-C, systemd or docker do). */
  signalGroup(signal: NodeJS.Signals): void;
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startServerProcess(options: { dbFile: string; ui?: boolean; port?: number; env?: Record<string, string> }): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const ui = options.ui ?? true;
  let output = "";
  const npm = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: `file:${options.dbFile}`,
      PORT: String(port),
      WAKELINE_HOSTNAME: "127.0.0.1",
      WAKELINE_UI: ui ? "1" : "0",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
  });
  npm.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const ready = await waitUntil(async () => {
    if (npm.exitCode !== null) throw new Error(`the server exited at start:\n${output}`);
    // 503 while the server starts; then any answer (a 401 when it asks for a token) means it is up.
    const status = await httpGet(`${url}${ui ? "/api/scenarios" : "/metadata"}`).then((r) => r.status, () => 0);
    return status !== 0 && status !== 503;
  }, 120_000);
  if (!ready) throw new Error(`the server did not become ready:\n${output}`);
  return {
    url,
    port,
    npm,
    serverPid() {
      const found = spawnSync("pgrep", ["-g", String(npm.pid), "-f", "server.ts"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
      if (found.length !== 1) throw new Error(`expected one server.ts process in group ${npm.pid}, found ${found.length}`);
      return Number(found[0]);
    },
    output: () => output,
    exited,
    signalGroup(signal) {
      process.kill(-npm.pid!, signal);
    },
  };
}

/** True once no process of the group is left. */
export function groupGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Polls until `probe` holds; false after `timeoutMs`. Errors count as "not yet". */
export async function waitUntil(probe: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return true;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith("the server exited")) throw err;
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One GET on a connection of its own (no keep-alive pool shared between tests or servers). */
export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/** Reads the database file directly, as another process would (read-only). */
export function readDb<T>(dbFile: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function integrityCheck(dbFile: string): string {
  return readDb(dbFile, (db) => String(db.pragma("integrity_check", { simple: true })));
}

/** The paths of the user requests whose answer the database holds for a run (request and response both). */
export function answeredRequestPaths(dbFile: string, runId: string): Set<string> {
  return readDb(dbFile, (db) => {
    const rows = db
      .prepare(`SELECT kind, fromRole, toRole, payload FROM "Event" WHERE runId = ? AND kind = 'message' AND ((fromRole = 'User' AND toRole = 'Gateway') OR (fromRole = 'Gateway' AND toRole = 'User'))`)
      .all(runId) as { fromRole: string; payload: string | null }[];
    const pathOf = new Map<string, string>();
    const answered = new Set<string>();
    for (const row of rows) {
      const payload = row.payload ? (JSON.parse(row.payload) as { requestId?: unknown; path?: unknown }) : {};
      if (typeof payload.requestId !== "string") continue;
      if (row.fromRole === "User" && typeof payload.path === "string") pathOf.set(payload.requestId, payload.path);
      else answered.add(payload.requestId);
    }
    return new Set([...answered].map((id) => pathOf.get(id)).filter((p): p is string => p !== undefined));
  });
}

export interface RunRow {
  id: string;
  name: string;
  source: string;
  status: string;
  error: string | null;
  eventCount: number;
  followsRunId: string | null;
}

export function runs(dbFile: string): RunRow[] {
  return readDb(dbFile, (db) => db.prepare(`SELECT id, name, source, status, error, eventCount, followsRunId FROM "Run" ORDER BY startedAt, id`).all() as RunRow[]);
}
