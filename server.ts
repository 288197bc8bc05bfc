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
import { serialize as serializeCookie } from "cookie";
import { firstDrawingAhead } from "./app/_queries/cycle-document";
import { earlyDrawingPrelude, FIRST_DRAWING_HEADER } from "./components/early-drawing-prelude";
import { decide, isOwner, routeKind, type Access, type Refusal, type ShareLookup } from "./lib/auth/access";
import { SHARE_COOKIE } from "./lib/auth/credentials";
import { resolveSecurity, securityInputFromEnv, type SecurityInput, type SecuritySettings } from "./lib/auth/settings";
import { handleSignIn } from "./lib/auth/sign-in";
import { LiveSession, type LiveSessionOptions } from "./lib/services/live-engine";
import { closeInterruptedRuns } from "./lib/services/interrupted-runs";
import { provideDashboardRecordings, stopAllDashboardRecordings } from "./lib/services/real-recordings";
import { applyRetention, retentionDays } from "./lib/services/retention";
import { resolveShareLink } from "./lib/services/share-links";
import { openDb, type Db } from "./lib/store/db";
import { stopFollowingRemoteCommits } from "./lib/recorder/remote-commits";
import { acquireEngineLease } from "./lib/store/engine-lease";
import { lastLiveRunId, loadEngineState } from "./lib/store/engine-state";
import { setProcessOwnerKind } from "./lib/store/run-owner";
import { BUILTIN_START_PATH, BuiltinEndpoint } from "./lib/transport/builtin-endpoint";
import { holdsAppScripts, responseStarted, rewriteDocumentHead } from "./lib/transport/document-rewrite";
import { loadRunnerPackages } from "./lib/transport/codec";
import { handleEngineApi, isEngineApiPath } from "./lib/transport/engine-api";
import { HttpGateway, gatewayTarget } from "./lib/transport/http-gateway";
import { HttpError, answerClientError, refuseUpgrade, requestTargetError, sendError, sendJson } from "./lib/transport/http-util";
import { RunnerSocketServer } from "./lib/transport/runner-socket";

export interface StartServerOptions {
  /** 0 picks a free port. Default: PORT, else 3000. */
  port?: number;
  /** Where to listen (default: HOST / WAKELINE_HOSTNAME, else loopback only). */
  hostname?: string;
  /** Token, allowed hosts, redaction and outbound rules (default: from the environment). */
  security?: SecurityInput;
  /** Serve the dashboard (Next.js production build) too. */
  ui?: boolean;
  databaseUrl?: string;
  /** The URL runners and endpoints reach this engine at (default http://127.0.0.1:{port}). */
  publicUrl?: string;
  /** Engine settings: timings, the default pool, the demo actor, the /start timeout. */
  engine?: Omit<LiveSessionOptions, "db" | "engineUrl">;
  /** Largest runner frame taken (bigger ones close the socket with 1009). */
  maxFrameBytes?: number;
  /** Most events one runner frame may carry (more close the socket with 1008 ws.too_many_events). */
  maxEventsPerFrame?: number;
  /** A request's headers and body must arrive within this (slow senders get 408). Default 60 s. */
  requestTimeoutMs?: number;
  /** Gateway requests one client address may have in flight at once (more get 429). Default 512. */
  maxRequestsPerClient?: number;
  /** The built-in demo actor asks to sleep after this long idle (default: the engine's sleepTimeoutMs). */
  demoSleepTimeoutMs?: number;
  /**
   * Serve dashboards only: no engine here (its endpoints answer 503 engine_disabled); the runs come
   * from the instances that record into the same database. Default: the engine runs.
   */
  engineDisabled?: boolean;
}

/** What a server with an engine (`session`) or a dashboard-only one (`session: null`) gives back. */
export interface RunningServer<S extends LiveSession | null = LiveSession> {
  url: string;
  session: S;
  security: SecuritySettings;
  close(): Promise<void>;
}

type NextHandlers = { request: (req: IncomingMessage, res: ServerResponse) => Promise<void>; upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>; close(): Promise<void> };

export async function startServer(options: StartServerOptions & { engineDisabled: true }): Promise<RunningServer<null>>;
export async function startServer(options?: StartServerOptions & { engineDisabled?: false }): Promise<RunningServer>;
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer<LiveSession | null>> {
  await loadRunnerPackages();
  setProcessOwnerKind("server");
  // A bad setting stops the start with its message, rather than failing every sweep later.
  retentionDays();
  const db = await openDb(options.databaseUrl ?? process.env.DATABASE_URL);
  // Runs whose recording process died are ended here; runs another live process records are left alone.
  await sweepInterruptedRuns(db);
  const sweep = setInterval(() => void sweepInterruptedRuns(db), INTERRUPTED_SWEEP_MS);
  sweep.unref();
  const namespace = options.engine?.namespace ?? "default";
  // One engine per namespace and database: a second one is refused here, naming the first.
  const lease = options.engineDisabled ? null : await acquireEngineLease(db, namespace, { onLost: (err) => console.error(`[wakeline] ${err.message}`) });
  let started = false;
  try {
    const [restore, followsRunId] = options.engineDisabled ? [null, null] : await Promise.all([loadEngineState(db, namespace), lastLiveRunId(db)]);
    const security = await resolveSecurity(db, { ...securityInputFromEnv(), ...(options.hostname ? { hostname: options.hostname } : {}), ...options.security });
    const shares: ShareLookup = async (token) => {
      const link = await resolveShareLink(db, token).catch(() => null);
      return link ? { runId: link.runId } : null;
    };
    const requestTimeout = options.requestTimeoutMs ?? 60_000;
    const server = http.createServer({
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 20_000),
      // How often Node looks for requests past their timeout (its default, 30 s, would let them hang on).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, requestTimeout / 4)),
    });
    const inFlight = new ClientCounter(options.maxRequestsPerClient ?? 512);
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
      server.listen(options.port ?? Number(process.env.PORT ?? 3000), security.hostname, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const url = options.publicUrl ?? `http://${ownAddress(security.hostname)}:${port}`;

    const session = restore
      ? new LiveSession({
          ...options.engine,
          db,
          engineUrl: url,
          restore,
          followsRunId,
          redaction: security.redaction,
          token: security.token,
          outbound: security.outbound,
        })
      : null;
    const runnerSockets = session && new RunnerSocketServer(session, { maxFrameBytes: options.maxFrameBytes, maxEventsPerFrame: options.maxEventsPerFrame });
    const gateway = session && new HttpGateway(session);
    const builtin = session && new BuiltinEndpoint({ sleepTimeoutMs: options.demoSleepTimeoutMs ?? session.config.timing.sleepTimeoutMs });
    const next = options.ui ? await startNext(security.hostname, port) : null;
    if (next) provideDashboardRecordings();

    /** The access gate: the request goes on only when allowed; otherwise it is answered here. */
    const admit = async (req: IncomingMessage): Promise<{ access: Access } | { refusal: Refusal }> => {
      const pathname = new URL(req.url ?? "/", "http://engine").pathname;
      const route = routeKind(pathname, gatewayTarget(req) !== null, isEngineApiPath(pathname), BUILTIN_START_PATH);
      const decision = await decide(req, route, pathname, security, shares);
      if (decision.allowed) return { access: decision.access };
      if (decision.refusal.record) session?.noteRefused(decision.refusal.record, req.socket.remoteAddress);
      return { refusal: decision.refusal };
    };

    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (!ready) return;
      const bad = requestTargetError(req);
      if (bad) return sendError(res, bad);
      admit(req).then(
        (admitted) => {
          if ("refusal" in admitted) return refuseRequest(res, admitted.refusal);
          dispatch(req, res, admitted.access);
        },
        (err: unknown) => {
          console.error("[wakeline] access check failed:", err);
          sendJson(res, 500, { group: "core", code: "internal_error", message: "internal error" });
        },
      );
    });
    const dispatch = (req: IncomingMessage, res: ServerResponse, access: Access) => {
      const fail = (err: unknown) => {
        console.error("[wakeline] request failed:", err);
        if (!responseStarted(res)) sendJson(res, 500, { group: "core", code: "internal_error", message: "internal error" });
        else res.destroy();
      };
      try {
        const target = gatewayTarget(req);
        if (!gateway && (target || isEngineRoute(req))) return sendError(res, ENGINE_DISABLED);
        if (target && gateway) {
          // One client cannot hold the engine's every request slot.
          if (!inFlight.enter(req, res)) return sendError(res, new HttpError(429, { group: "guard", code: "too_many_requests", message: "too many requests in flight from this client" }));
          return void gateway.handleRequest(req, res, target).catch(fail);
        }
        // A target that does not parse is a coded 400 here, for the engine and the dashboard alike.
        const bad = requestTargetError(req);
        if (bad) return sendError(res, bad);
        const url = new URL(req.url ?? "/", "http://engine");
        const pathname = url.pathname;
        if (pathname === BUILTIN_START_PATH && req.method === "GET" && builtin) return builtin.handleStart(req, res);
        if (isEngineApiPath(pathname) && session) return void handleEngineApi(session, req, res).catch(fail);
        if (pathname === "/sign-in" || pathname === "/sign-out") return void handleSignIn(req, res, security, url).catch(fail);
        if (pathname === "/api/access") return sendJson(res, 200, accessJson(access, security));
        if (pathname.startsWith("/s/") && next) return void openShareLink(req, res, pathname.slice(3)).then(() => next.request(req, res)).catch(fail);
        // Route handlers and pages learn who is asking from this header, never from the client's own;
        // likewise whether a cycle page's drawing went ahead of it (set below).
        req.headers["x-wakeline-access"] = JSON.stringify(accessJson(access, security));
        delete req.headers[FIRST_DRAWING_HEADER];
        // A cycle page's app code waits for its first drawing (components/app-start.ts); a recorded
        // cycle's drawing goes out ahead of the page (app/_queries/cycle-document.ts).
        if (next && holdsAppScripts(req, pathname)) {
          return void firstDrawingAhead(db, url)
            .catch(() => null)
            .then((ahead) => {
              if (ahead) req.headers[FIRST_DRAWING_HEADER] = ahead.token;
              const prelude = ahead ? earlyDrawingPrelude(ahead.drawing) : undefined;
              return rewriteDocumentHead(req, res, prelude).then(() => next.request(req, res));
            })
            .catch(fail);
        }
        if (next) return void next.request(req, res).catch(fail);
        sendJson(res, 404, { group: "api", code: "not_found", message: `no route for ${req.method} ${pathname}` });
      } catch (err) {
        fail(err);
      }
    };
    /** A live share link makes its holder a viewer of its run: the cookie goes with Next's redirect. */
    const openShareLink = async (req: IncomingMessage, res: ServerResponse, token: string) => {
      if (isOwner(req, security) || !(await shares(decodeURIComponent(token)))) return;
      res.setHeader("set-cookie", serializeCookie(SHARE_COOKIE, decodeURIComponent(token), { path: "/", httpOnly: true, sameSite: "lax", maxAge: 7 * 24 * 60 * 60 }));
    };
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!ready) return;
      socket.on("error", () => socket.destroy());
      // An upgrade that cannot be served gets an HTTP error, then its socket is closed.
      const bad = requestTargetError(req);
      if (bad) return refuseUpgrade(socket, bad.status, bad.body);
      admit(req).then(
        (admitted) => {
          if ("refusal" in admitted) return refuseUpgrade(socket, admitted.refusal.status, admitted.refusal.body);
          upgrade(req, socket, head, admitted.access);
        },
        () => refuseUpgrade(socket, 500, { group: "core", code: "internal_error", message: "internal error" }),
      );
    });
    const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, access: Access) => {
      const pathname = new URL(req.url ?? "/", "http://engine").pathname;
      const target = gatewayTarget(req);
      if (!runnerSockets || !gateway) {
        if (pathname === "/runners/connect" || target) return refuseUpgrade(socket, ENGINE_DISABLED.status, ENGINE_DISABLED.body);
      } else {
        if (pathname === "/runners/connect") return runnerSockets.handleUpgrade(req, socket, head, access.role === "engine-client" ? access.runner : null);
        if (target) return gateway.handleUpgrade(req, socket, head, target);
      }
      if (next?.upgrade) return void next.upgrade(req, socket, head).catch(() => socket.destroy());
      refuseUpgrade(socket, 404, { group: "api", code: "not_found", message: `no WebSocket endpoint at ${pathname}` });
    };
    // What the HTTP parser refuses (a malformed request line or header) gets a coded JSON answer too.
    server.on("clientError", answerClientError);

    // The live run's row is written by the store's writer (a worker, for SQLite): it is in the
    // database before anyone is served, so a dashboard opened at once finds the run. A write that
    // fails is reported by the recording itself, at its first event.
    await session?.flush().catch(() => undefined);
    ready = true;
    started = true;

    let closing: Promise<void> | null = null;
    return {
      url,
      session,
      security,
      close() {
        closing ??= (async () => {
          clearInterval(sweep);
          // Real-engine recordings the dashboard started end with the server (their runs finished).
          if (next) await stopAllDashboardRecordings();
          await builtin?.closeAll();
          runnerSockets?.closeAll();
          gateway?.closeAll();
          await session?.close();
          await lease?.release();
          await stopFollowingRemoteCommits(db);
          await next?.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        })();
        return closing;
      },
    };
  } finally {
    // A start that failed part-way gives the namespace back to the next engine.
    if (!started) await lease?.release();
  }
}

/** What the engine's endpoints answer on an instance that serves dashboards only. */
const ENGINE_DISABLED = new HttpError(503, {
  group: "core",
  code: "engine_disabled",
  message: "this instance serves dashboards only (WAKELINE_ENGINE=0); the engine runs on another instance",
});

/** The engine's own HTTP routes: the engine API and the built-in serverless endpoint. */
function isEngineRoute(req: IncomingMessage): boolean {
  const pathname = new URL(req.url ?? "/", "http://engine").pathname;
  return isEngineApiPath(pathname) || pathname === BUILTIN_START_PATH;
}

/** Requests in flight per client address; a request leaves when its response closes. */
class ClientCounter {
  private readonly counts = new Map<string, number>();
  constructor(private readonly limit: number) {}

  enter(req: IncomingMessage, res: ServerResponse): boolean {
    const client = req.socket.remoteAddress ?? "";
    const count = this.counts.get(client) ?? 0;
    if (count >= this.limit) return false;
    this.counts.set(client, count + 1);
    res.once("close", () => {
      const left = (this.counts.get(client) ?? 1) - 1;
      if (left <= 0) this.counts.delete(client);
      else this.counts.set(client, left);
    });
    return true;
  }
}

/** How this server reaches itself: its listening address, or loopback when it listens everywhere. */
function ownAddress(hostname: string): string {
  if (hostname === "0.0.0.0" || hostname === "::" || hostname === "localhost") return "127.0.0.1";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

function refuseRequest(res: ServerResponse, refusal: Refusal): void {
  if (refusal.redirect) {
    res.writeHead(303, { location: refusal.redirect, "cache-control": "no-store" });
    return void res.end();
  }
  sendError(res, new HttpError(refusal.status, refusal.body));
}

/** What the dashboard may show the person asking (`GET /api/access`). */
function accessJson(access: Access, security: SecuritySettings) {
  return {
    role: access.role === "viewer" ? "viewer" : "owner",
    runId: access.role === "viewer" ? access.runId : null,
    tokenRequired: security.token !== null,
    secretsRedacted: security.redaction.enabled,
  };
}

/** How often a running server looks for runs whose recording process died. */
const INTERRUPTED_SWEEP_MS = 30_000;

/** The server's housekeeping: end runs whose recording process died, and remove runs past retention. */
async function sweepInterruptedRuns(db: Db): Promise<void> {
  try {
    const closed = await closeInterruptedRuns(db);
    if (closed.length > 0) console.log(`[wakeline] ended ${closed.length} run(s) whose recording process had stopped: ${closed.join(", ")}`);
    const { deleted } = await applyRetention(db, new Date());
    if (deleted.length > 0) console.log(`[wakeline] removed ${deleted.length} run(s) older than WAKELINE_RETENTION_DAYS`);
  } catch (err) {
    console.error("[wakeline] housekeeping failed:", err);
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
  // Several instances on one database: one engine per namespace (WAKELINE_NAMESPACE), and any number
  // that serve dashboards only (WAKELINE_ENGINE=0).
  const namespace = process.env.WAKELINE_NAMESPACE || undefined;
  const ui = process.env.WAKELINE_UI !== "0";
  const started: Promise<RunningServer<LiveSession | null>> =
    process.env.WAKELINE_ENGINE === "0" ? startServer({ ui, engineDisabled: true }) : startServer({ ui, ...(namespace ? { engine: { namespace } } : {}) });
  started
    .then((running) => {
      const { hostname, token, tokenSource } = running.security;
      const what = running.session ? `engine${ui ? " and dashboard" : ""}` : "dashboard (no engine)";
      console.log(`[wakeline] ${what} on ${running.url} (listening on ${hostname}${running.session ? `; live run ${running.session.runId}` : ""})`);
      if (tokenSource === "generated") {
        // Said once, at the start that made it; it is kept in the database for the next starts.
        console.log(`[wakeline] access token (generated and stored; set WAKELINE_TOKEN to choose your own): ${token}`);
        console.log("[wakeline]   engine API: Authorization: Bearer <token>; runners: token option (rivet_token.<token>); dashboard: /sign-in");
      } else if (token) {
        console.log(`[wakeline] a token is required (${tokenSource === "environment" ? "WAKELINE_TOKEN" : "the one generated at the first start"}); dashboard sign-in at ${running.url}/sign-in`);
      }
      if (running.session) console.log(`[wakeline] try: curl ${running.url}/gateway/demo/ ; curl ${running.url}/gateway/demo/sleep`);
      stopOnSignals(running);
    })
    .catch((err: unknown) => {
      // A setting or a database that is not right is one line; the stack only when debugging.
      const code = (err as { code?: unknown }).code;
      console.error(`[wakeline] failed to start${typeof code === "string" ? ` (${code})` : ""}: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.WAKELINE_DEBUG === "1") console.error(err);
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
function stopOnSignals(running: RunningServer<LiveSession | null>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[wakeline] ${signal}: stopping${running.session ? ` (recording the last events, ending run ${running.session.runId})` : ""}`);
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
