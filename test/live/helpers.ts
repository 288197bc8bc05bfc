// Shared helpers of the live tests: an engine-only server on a free loopback port with a temporary
// database, real runners built on @rivetkit/engine-runner, a serverless endpoint built on the same
// package, and waiting for conditions.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Runner, RunnerConfig } from "@rivetkit/engine-runner";
import { startServer, type RunningServer, type StartServerOptions } from "@/server";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { loadEvents } from "@/lib/store/trace-store";
import { loadRunnerPackages, runnerPackage } from "@/lib/transport/codec";
import type { TraceEvent } from "@/lib/trace/types";

export interface TestEngine extends RunningServer {
  temp: TempDb;
  /** Every event recorded so far, read back from the database. */
  events(): Promise<TraceEvent[]>;
  // The answers are read by assertions only: loosely typed JSON keeps them short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startEngine(options: Omit<StartServerOptions, "engineDisabled"> = {}): Promise<TestEngine> {
  const temp = await createTempDb();
  const server = await startServer({ port: 0, hostname: "127.0.0.1", ui: false, databaseUrl: temp.url, ...options });
  return {
    ...server,
    temp,
    async events() {
      await server.session.flush();
      return loadEvents(temp.db, server.session.runId);
    },
    async api(method, path, body) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async stop() {
      await server.close();
      await temp.cleanup();
    },
  };
}

/** Polls a condition until it holds (or fails with what was last seen). */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export type TestRunnerHandlers = Partial<Pick<RunnerConfig, "fetch" | "websocket" | "hibernatableWebSocket" | "onActorStart" | "onActorStop">>;

export interface TestRunner {
  runner: Runner;
  connected: Promise<void>;
  starts: { actorId: string; generation: number; name: string; key: string | null }[];
  stops: { actorId: string; generation: number }[];
}

/** A real runner (the published client) connected to the engine. */
export async function startRunner(endpoint: string, options: { runnerName?: string; totalSlots?: number; namespace?: string; token?: string } & TestRunnerHandlers = {}): Promise<TestRunner> {
  await loadRunnerPackages();
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const starts: TestRunner["starts"] = [];
  const stops: TestRunner["stops"] = [];
  const runner = new (runnerPackage().Runner)({
    version: 1,
    endpoint,
    namespace: options.namespace ?? "default",
    token: options.token,
    runnerName: options.runnerName ?? "test-runner",
    totalSlots: options.totalSlots ?? 10,
    prepopulateActorNames: {},
    noAutoShutdown: true,
    onConnected: () => onConnected(),
    onDisconnected: () => {},
    onShutdown: () => {},
    fetch: options.fetch ?? (async (_runner, actorId) => Response.json({ actorId })),
    websocket: options.websocket ?? (async () => {}),
    hibernatableWebSocket: options.hibernatableWebSocket ?? { canHibernate: () => false },
    onActorStart: async (actorId, generation, config) => {
      starts.push({ actorId, generation, name: config.name, key: config.key });
      await options.onActorStart?.(actorId, generation, config);
    },
    onActorStop: async (actorId, generation) => {
      stops.push({ actorId, generation });
      await options.onActorStop?.(actorId, generation);
    },
  });
  await runner.start();
  return { runner, connected, starts, stops };
}

/**
 * A serverless endpoint built on the runner package, on its own port: `GET /start` starts a runner
 * that connects to the engine named by x-rivet-endpoint and streams its init, then pings.
 */
export async function startTestEndpoint(handlers: TestRunnerHandlers = {}): Promise<{ url: string; starts: number; runners: Runner[]; close(): Promise<void> }> {
  await loadRunnerPackages();
  const state = { starts: 0, runners: [] as Runner[] };
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== "/start") {
      res.writeHead(404).end();
      return;
    }
    state.starts += 1;
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.flushHeaders();
    let pings: ReturnType<typeof setInterval> | undefined;
    const runner: Runner = new (runnerPackage().Runner)({
      version: 1,
      endpoint: String(req.headers["x-rivet-endpoint"]),
      namespace: String(req.headers["x-rivet-namespace-name"]),
      runnerName: String(req.headers["x-rivet-runner-name"]),
      totalSlots: Number(req.headers["x-rivet-total-slots"]),
      prepopulateActorNames: {},
      noAutoShutdown: true,
      onConnected: () => {
        if (pings) return;
        res.write(`data: ${runner.getServerlessInitPacket()}\n\n`);
        pings = setInterval(() => res.write("event: ping\ndata:\n\n"), 1000);
      },
      onDisconnected: () => {},
      onShutdown: () => {
        clearInterval(pings);
        res.end();
      },
      fetch: handlers.fetch ?? (async (_runner, actorId, _g, _r, request) => Response.json({ actorId, servedBy: "test-endpoint", path: new URL(request.url).pathname })),
      websocket: handlers.websocket ?? (async () => {}),
      hibernatableWebSocket: handlers.hibernatableWebSocket ?? { canHibernate: () => false },
      onActorStart: handlers.onActorStart ?? (async () => {}),
      onActorStop: handlers.onActorStop ?? (async () => {}),
    });
    state.runners.push(runner);
    res.on("close", () => {
      clearInterval(pings);
      void runner.shutdown(false);
    });
    void runner.start();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get starts() {
      return state.starts;
    },
    runners: state.runners,
    async close() {
      await Promise.all(state.runners.map((runner) => runner.shutdown(true).catch(() => undefined)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Messages of a type, in recorded order. */
export const ofType = (events: TraceEvent[], type: string) => events.filter((event) => event.type === type);
