// A serverless endpoint built on the published runner (@rivetkit/engine-runner, protocol v7), on
// its own loopback port: `GET /start` starts a runner that connects to the engine named by
// x-rivet-endpoint, streams its init, then pings every second. Its actor answers every path with
// `200 ok` and asks to sleep on `/sleep` (by default marking the stop as intended, so it reports
// `Ok`; as published, runner 2.2.1 reports a sleep-stop as `Error`). `GET /metadata` is 404, which
// keeps the pool on the runner protocol (gen 2).
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Runner } from "@rivetkit/engine-runner";

export interface TestEndpoint {
  url: string;
  starts: number;
  /** `x-rivet-endpoint` of each `/start` the endpoint got. */
  endpoints: string[];
  runners: Runner[];
  actorStarts: { actorId: string; generation: number }[];
  actorStops: { actorId: string; generation: number }[];
  /** Shuts every runner down (their `/start` streams end). */
  stopRunners(): Promise<void>;
  /** Drops every runner's socket at once, without stopping its actors, and ends the streams. */
  dropRunners(): Promise<void>;
  close(): Promise<void>;
}

export interface TestEndpointOptions {
  /** Mark a `/sleep` stop as intended, so the runner reports `Stopped {code: Ok}` (default true). */
  intendedSleep?: boolean;
}

export async function startTestEndpoint(options: TestEndpointOptions = {}): Promise<TestEndpoint> {
  const { Runner: RunnerClass } = await import("@rivetkit/engine-runner");
  const intendedSleep = options.intendedSleep ?? true;
  const state = { starts: 0, endpoints: [] as string[], runners: [] as Runner[], actorStarts: [] as { actorId: string; generation: number }[], actorStops: [] as { actorId: string; generation: number }[] };
  const streams = new Set<ServerResponse>();
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== "/start") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    state.starts += 1;
    state.endpoints.push(String(req.headers["x-rivet-endpoint"]));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    streams.add(res);
    let pings: ReturnType<typeof setInterval> | undefined;
    const runner: Runner = new RunnerClass({
      version: 1,
      endpoint: String(req.headers["x-rivet-endpoint"]),
      namespace: String(req.headers["x-rivet-namespace-name"] ?? "default"),
      runnerName: String(req.headers["x-rivet-runner-name"]),
      totalSlots: Number(req.headers["x-rivet-total-slots"] ?? 1),
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
      fetch: async (self, actorId, _generation, _requestId, request) => {
        if (new URL(request.url).pathname === "/sleep") {
          const actor = self.getActor(actorId);
          if (actor && intendedSleep) actor.stopIntentSent = true;
          setTimeout(() => self.sleepActor(actorId), 10);
        }
        return new Response("ok", { status: 200, headers: { "content-type": "text/plain" } });
      },
      websocket: async () => {},
      hibernatableWebSocket: { canHibernate: () => false },
      onActorStart: async (actorId, generation) => {
        state.actorStarts.push({ actorId, generation });
      },
      onActorStop: async (actorId, generation) => {
        state.actorStops.push({ actorId, generation });
      },
    });
    state.runners.push(runner);
    res.on("close", () => {
      clearInterval(pings);
      streams.delete(res);
      void runner.shutdown(true).catch(() => undefined);
    });
    void runner.start().catch(() => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get starts() {
      return state.starts;
    },
    endpoints: state.endpoints,
    runners: state.runners,
    actorStarts: state.actorStarts,
    actorStops: state.actorStops,
    async stopRunners() {
      await Promise.all(state.runners.map((runner) => runner.shutdown(false).catch(() => undefined)));
      for (const res of streams) res.end();
    },
    async dropRunners() {
      await Promise.all(state.runners.map((runner) => runner.shutdown(true).catch(() => undefined)));
      for (const res of streams) res.destroy();
    },
    async close() {
      await Promise.all(state.runners.map((runner) => runner.shutdown(true).catch(() => undefined)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
