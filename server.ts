// Wakeline's server: one HTTP server for the live engine and the dashboard. Engine endpoints are
// answered here, before Next.js: the runner WebSocket (/runners/connect), the gateway
// (/gateway/… and the x-rivet-target header form, HTTP and WebSocket), the engine API (/metadata,
// /actors, /runner-configs, /datacenters) and the built-in serverless endpoint
// (/api/serverless/start). Everything else (the dashboard, /api/*) is the Next.js app, which only
// reads the database the engine records into.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LiveSession, type LiveSessionOptions } from "./lib/live/session";
import { closeInterruptedRuns } from "./lib/services/interrupted-runs";
import { openDb, type Db } from "./lib/store/db";
import { lastLiveRunId, loadEngineState } from "./lib/store/engine-state";
import { setProcessOwnerKind } from "./lib/store/run-owner";
import { BUILTIN_START_PATH, BuiltinEndpoint } from "./lib/transport/builtin-endpoint";
import { loadRunnerPackages } from "./lib/transport/codec";
import { handleEngineApi, isEngineApiPath } from "./lib/transport/engine-api";
import { HttpGateway, gatewayTarget } from "./lib/transport/http-gateway";
import { sendJson } from "./lib/transport/http-util";
import { RunnerSocketServer } from "./lib/transport/runner-socket";

export interface StartServerOptions {
  /** 0 picks a free port. Default: PORT, else 3000. */
  port?: number;
  hostname?: string;
  /** Serve the dashboard (Next.js production build) too. */
  ui?: boolean;
  databaseUrl?: string;
  /** The URL runners and endpoints reach this engine at (default http://127.0.0.1:{port}). */
  publicUrl?: string;
  /** Engine settings: timings, the default pool, the demo actor, the /start timeout. */
  engine?: Omit<LiveSessionOptions, "db" | "engineUrl">;
  /** Largest runner frame taken (bigger ones close the socket with 1009). */
  maxFrameBytes?: number;
  /** The built-in demo actor asks to sleep after this long idle (default: the engine's sleepTimeoutMs). */
  demoSleepTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  session: LiveSession;
  close(): Promise<void>;
}

type NextHandlers = { request: (req: IncomingMessage, res: ServerResponse) => Promise<void>; upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>; close(): Promise<void> };

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  await loadRunnerPackages();
  setProcessOwnerKind("server");
  const db = await openDb(options.databaseUrl ?? process.env.DATABASE_URL);
  // Runs whose recording process died are ended here; runs another live process records are left alone.
  await sweepInterruptedRuns(db);
  const sweep = setInterval(() => void sweepInterruptedRuns(db), INTERRUPTED_SWEEP_MS);
  sweep.unref();
  const namespace = options.engine?.namespace ?? "default";
  const [restore, followsRunId] = await Promise.all([loadEngineState(db, namespace), lastLiveRunId(db)]);
  const server = http.createServer();
  // The port is bound before the engine and the dashboard are ready (the engine needs to know its
  // own URL). Until then every request gets a 503, never silence: a readiness probe retries a 503,
  // but waits forever on a request nobody answers.
  let ready = false;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!ready) sendJson(res, 503, { group: "core", code: "starting", message: "the server is starting" });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex) => {
    if (!ready) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? Number(process.env.PORT ?? 3000), options.hostname, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = options.publicUrl ?? `http://127.0.0.1:${port}`;

  const session = new LiveSession({ ...options.engine, db, engineUrl: url, restore, followsRunId });
  const runnerSockets = new RunnerSocketServer(session, { maxFrameBytes: options.maxFrameBytes });
  const gateway = new HttpGateway(session);
  const builtin = new BuiltinEndpoint({ sleepTimeoutMs: options.demoSleepTimeoutMs ?? session.config.timing.sleepTimeoutMs });
  const next = options.ui ? await startNext(options.hostname, port) : null;

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!ready) return;
    const fail = (err: unknown) => {
      console.error("[wakeline] request failed:", err);
      if (!res.headersSent) sendJson(res, 500, { group: "core", code: "internal_error", message: "internal error" });
      else res.destroy();
    };
    try {
      const pathname = new URL(req.url ?? "/", "http://engine").pathname;
      const target = gatewayTarget(req);
      if (target) return void gateway.handleRequest(req, res, target).catch(fail);
      if (pathname === BUILTIN_START_PATH && req.method === "GET") return builtin.handleStart(req, res);
      if (isEngineApiPath(pathname)) return void handleEngineApi(session, req, res).catch(fail);
      if (next) return void next.request(req, res).catch(fail);
      sendJson(res, 404, { group: "api", code: "not_found", message: `no route for ${req.method} ${pathname}` });
    } catch (err) {
      fail(err);
    }
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!ready) return;
    socket.on("error", () => socket.destroy());
    const pathname = new URL(req.url ?? "/", "http://engine").pathname;
    if (pathname === "/runners/connect") return runnerSockets.handleUpgrade(req, socket, head);
    const target = gatewayTarget(req);
    if (target) return gateway.handleUpgrade(req, socket, head, target);
    if (next?.upgrade) return void next.upgrade(req, socket, head).catch(() => socket.destroy());
    socket.destroy();
  });

  ready = true;

  let closing: Promise<void> | null = null;
  return {
    url,
    session,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        await builtin.closeAll();
        runnerSockets.closeAll();
        gateway.closeAll();
        await session.close();
        await next?.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}

/** How often a running server looks for runs whose recording process died. */
const INTERRUPTED_SWEEP_MS = 30_000;

async function sweepInterruptedRuns(db: Db): Promise<void> {
  try {
    const closed = await closeInterruptedRuns(db);
    if (closed.length > 0) console.log(`[wakeline] ended ${closed.length} run(s) whose recording process had stopped: ${closed.join(", ")}`);
  } catch (err) {
    console.error("[wakeline] looking for interrupted runs failed:", err);
  }
}

async function startNext(hostname: string | undefined, port: number): Promise<NextHandlers> {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: path.dirname(fileURLToPath(import.meta.url)), hostname, port });
  await app.prepare();
  const request = app.getRequestHandler();
  const upgrade = (app as unknown as { getUpgradeHandler?: () => NextHandlers["upgrade"] }).getUpgradeHandler?.();
  return { request: (req, res) => request(req, res), upgrade, close: () => app.close() };
}

// `npm start` (scripts/start.mjs runs this file with tsx): the engine and the dashboard on PORT (default 3000).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  startServer({ ui: process.env.WAKELINE_UI !== "0", hostname: process.env.WAKELINE_HOSTNAME })
    .then((running) => {
      console.log(`[wakeline] engine${process.env.WAKELINE_UI !== "0" ? " and dashboard" : ""} on ${running.url} (live run ${running.session.runId})`);
      console.log(`[wakeline] try: curl ${running.url}/gateway/demo/ ; curl ${running.url}/gateway/demo/sleep`);
      stopOnSignals(running);
    })
    .catch((err: unknown) => {
      console.error("[wakeline] failed to start:", err);
      process.exit(1);
    });
}

/** A stop that takes longer than this (a wedged database, a hung client) exits anyway. */
const STOP_DEADLINE_MS = 10_000;

/**
 * Ctrl-C, SIGTERM from a service manager, and both sent to the whole process group (systemd and
 * docker signal every process, and `npm start` passes the signal on once more) all end in one
 * clean stop: flush, end the live run as "stopped", exit 0. Later signals during the stop are
 * ignored rather than killing the process half-way through its last write.
 */
function stopOnSignals(running: RunningServer): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[wakeline] ${signal}: stopping (recording the last events, ending run ${running.session.runId})`);
    const deadline = setTimeout(() => {
      console.error(`[wakeline] stop took longer than ${STOP_DEADLINE_MS / 1000} s; exiting`);
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error("[wakeline] stop failed:", err);
        process.exit(1);
      },
    );
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
}
