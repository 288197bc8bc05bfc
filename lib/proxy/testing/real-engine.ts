// The real Rivet engine from the npm package (@rivetkit/engine-cli), started for a test in a
// temporary data folder on free loopback ports, with telemetry off, and stopped afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { findEngineBinary } from "@/lib/history/engine-cli-reader";
import { waitFor } from "./wait";

export interface RealEngine {
  url: string;
  bin: string;
  dataDir: string;
  configPath: string;
  /** What the engine wrote so far (for failure messages). */
  log(): string;
  /** JSON API call straight to the engine (not through any proxy). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api(method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RealEngineOptions {
  /** Extra `pegboard` settings of the engine config (e.g. `serverless_drain_grace_period`). */
  pegboard?: Record<string, unknown>;
  /** Extra `guard` settings of the engine config (e.g. `actor_ready_timeout_ms`). */
  guard?: Record<string, unknown>;
  /** Extra environment (e.g. `RIVET_OTEL_*` to export traces). */
  env?: Record<string, string>;
}

export async function startRealEngine(options: RealEngineOptions = {}): Promise<RealEngine> {
  const bin = findEngineBinary();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-real-engine-"));
  const dataDir = path.join(root, "db");
  const [guard, peer, metrics] = [await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${guard}`;
  const configPath = path.join(root, "rivet.json");
  fs.writeFileSync(
    configPath,
    JSON.stringify(
      {
        guard: { host: "127.0.0.1", port: guard, ...options.guard },
        api_peer: { host: "127.0.0.1", port: peer },
        metrics: { host: "127.0.0.1", port: metrics },
        file_system: { path: dataDir },
        telemetry: { enabled: false },
        ...(options.pegboard ? { pegboard: options.pegboard } : {}),
        // The workflow worker sheds load when its cgroup's CPU is busy (≥ 70 %: it pulls fewer due
        // workflows, ≥ 90 %: 5 % of them), which on a shared test machine delays wakes by many
        // seconds. Measured against a very large CPU budget, it never sheds.
        runtime: { worker_shutdown_duration: 2, guard_shutdown_duration: 2, force_shutdown_duration: 3, worker_cpu_max: 1_000_000 },
        topology: {
          datacenter_label: 1,
          datacenters: { default: { datacenter_label: 1, is_leader: true, public_url: url, peer_url: `http://127.0.0.1:${peer}` } },
        },
      },
      null,
      2,
    ),
  );
  const logPath = path.join(root, "engine.log");
  const logFd = fs.openSync(logPath, "a");
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("RIVET"))), ...options.env } as NodeJS.ProcessEnv;
  const child: ChildProcess = spawn(bin, ["start", "--config", configPath], { env, stdio: ["ignore", logFd, logFd] });
  let exited = false;
  child.on("exit", () => (exited = true));
  const log = () => {
    try {
      return fs.readFileSync(logPath, "utf8");
    } catch {
      return "";
    }
  };
  try {
    await waitFor("the real engine to answer /metadata", async () => {
      if (exited) throw new Error(`rivet-engine exited:\n${log().slice(-2000)}`);
      const response = await fetch(`${url}/metadata`).catch(() => null);
      return response?.ok === true;
    }, 30_000);
    // The default namespace is created shortly after the API answers.
    await waitFor("the engine's default namespace", async () => {
      if (exited) throw new Error(`rivet-engine exited:\n${log().slice(-2000)}`);
      const response = await fetch(`${url}/namespaces`).catch(() => null);
      const text = response?.ok ? await response.text() : "";
      return text.includes('"name":"default"');
    }, 30_000);
    // Its consensus replica (epoxy) is configured later still: until then every write that goes
    // through it (a runner config's upsert, for one) fails with 500 `core.internal_error`. The
    // peer API's replica debug view says when this replica is active.
    await waitFor("the engine's epoxy replica to be active", async () => {
      if (exited) throw new Error(`rivet-engine exited:\n${log().slice(-2000)}`);
      const response = await fetch(`http://127.0.0.1:${peer}/epoxy/replica/debug`).catch(() => null);
      const debug = response?.ok ? ((await response.json()) as { computed?: { this_replica_status?: string } }) : null;
      return debug?.computed?.this_replica_status === "Active";
    }, 30_000);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return {
    url,
    bin,
    dataDir,
    configPath,
    log,
    async api(method, pathAndQuery, body) {
      const response = await fetch(`${url}${pathAndQuery}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, body: parsed };
    },
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        const gone = await waitFor("the engine to exit", () => exited, 6_000).catch(() => false);
        if (!gone) child.kill("SIGKILL");
        await waitFor("the engine to be killed", () => exited, 5_000).catch(() => undefined);
      }
      fs.closeSync(logFd);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
