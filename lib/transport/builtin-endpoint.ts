// The built-in serverless endpoint, `GET /api/serverless/start`: starts a runner in this process
// (the real @rivetkit/engine-runner client, hosting the demo actor) that connects to the engine
// over the real WebSocket like any other runner, and streams its init and pings back as
// server-sent events. When the engine aborts the stream, the runner shuts down gracefully.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Runner } from "@rivetkit/engine-runner";
import { runnerPackage } from "./codec";
import { demoActorHandlers } from "./demo-actor";
import { sendJson } from "./http-util";

export const BUILTIN_START_PATH = "/api/serverless/start";
const PING_INTERVAL_MS = 1_000;

export interface BuiltinEndpointOptions {
  /** The demo actor asks to sleep after this long without a request. */
  sleepTimeoutMs: number;
}

export class BuiltinEndpoint {
  private readonly runners = new Set<Runner>();

  constructor(private readonly options: BuiltinEndpointOptions) {}

  handleStart(req: IncomingMessage, res: ServerResponse): void {
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" && value !== "" ? value : null;
    };
    const endpoint = header("x-rivet-endpoint");
    const namespace = header("x-rivet-namespace-name");
    const runnerName = header("x-rivet-runner-name");
    const totalSlots = Number(header("x-rivet-total-slots"));
    if (!endpoint || !namespace || !runnerName || !Number.isInteger(totalSlots) || totalSlots < 1) {
      return sendJson(res, 400, {
        group: "serverless",
        code: "invalid_start_headers",
        message: "x-rivet-endpoint, x-rivet-namespace-name, x-rivet-runner-name and x-rivet-total-slots (≥ 1) are required",
      });
    }

    let pings: ReturnType<typeof setInterval> | null = null;
    const stopPings = () => {
      if (pings) clearInterval(pings);
      pings = null;
    };
    const runner: Runner = new (runnerPackage().Runner)({
      version: 1,
      endpoint,
      namespace,
      runnerName,
      totalSlots,
      token: header("x-rivet-token") ?? undefined,
      prepopulateActorNames: {},
      noAutoShutdown: true,
      onConnected: () => {
        if (pings || res.writableEnded) return;
        const init = runner.getServerlessInitPacket();
        if (!init) return;
        res.write(`data: ${init}\n\n`);
        pings = setInterval(() => res.write("event: ping\ndata:\n\n"), PING_INTERVAL_MS);
      },
      onDisconnected: () => {},
      onShutdown: () => {
        stopPings();
        this.runners.delete(runner);
        if (!res.writableEnded) res.end();
      },
      ...demoActorHandlers(this.options.sleepTimeoutMs, () => runner),
    });
    this.runners.add(runner);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
    // The engine closed the stream (drain, lifespan, shutdown): stop gracefully, socket kept open meanwhile.
    res.on("close", () => {
      stopPings();
      void runner.shutdown(false).catch(() => undefined);
    });
    runner.start().catch((err: unknown) => {
      console.error("[wakeline] built-in runner failed to start:", err);
      stopPings();
      if (!res.writableEnded) res.end();
    });
  }

  /** Stops every runner at once (server shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.runners].map((runner) => runner.shutdown(true).catch(() => undefined)));
    this.runners.clear();
  }
}
