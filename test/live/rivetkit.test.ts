// An unmodified rivetkit@2.2.1 app in serverless mode (its handler under /api/rivet in a small
// server started with RIVET_ENDPOINT pointing at Wakeline) serves an actor with state and actions;
// a rivetkit client calls an action through the gateway, the actor sleeps, and a later call wakes
// it with its state intact (kept in the engine's KV store).
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startEngine, waitFor, type TestEngine } from "./helpers";
import { installIteratorHelpers } from "./iterator-helpers";

/** Node's request → a fetch Request (aborted when the client goes away), and the Response back. */
function serveFetch(handler: (request: Request) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream) : undefined,
      signal: abort.signal,
      ...(hasBody ? { duplex: "half" } : {}),
    } as RequestInit);
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      res.write(value);
    }
    res.end();
  };
}

/** What the test uses of the typed rivetkit client. */
interface CounterClient {
  counter: { getOrCreate(key: string[]): { increment(by: number): Promise<number>; goToSleep(): Promise<void>; resolve(): Promise<string> } };
  dispose?(): Promise<void>;
}

describe("a rivetkit app on Wakeline", () => {
  let engine: TestEngine;
  let app: http.Server;
  let appUrl: string;
  let registry: { handler(request: Request): Promise<Response> };
  let client: CounterClient;

  beforeAll(async () => {
    installIteratorHelpers();
    engine = await startEngine({ engine: { defaultPool: null } });
    process.env.RIVET_ENDPOINT = engine.url;
    process.env.RIVET_NAMESPACE = "default";
    const { actor, setup } = await import("rivetkit");
    const counter = actor({
      state: { count: 0 },
      actions: {
        increment: (c, by: number) => {
          c.state.count += by;
          return c.state.count;
        },
        goToSleep: (c) => {
          c.sleep();
        },
      },
    });
    registry = setup({ use: { counter } });
    app = http.createServer((req, res) => {
      if (!req.url?.startsWith("/api/rivet")) return void res.writeHead(404).end();
      void serveFetch((request) => registry.handler(request))(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/rivet`;
    const configured = await engine.api("PUT", "/runner-configs/default", {
      datacenters: { default: { serverless: { url: appUrl, headers: {}, request_lifespan: 300, slots_per_runner: 10, min_runners: 0, max_runners: 5, runners_margin: 0 } } },
    });
    expect(configured.status).toBe(200);
    const { createClient } = await import("rivetkit/client");
    client = createClient({ endpoint: engine.url, namespace: "default" }) as unknown as CounterClient;
  }, 60_000);

  afterAll(async () => {
    await client?.dispose?.();
    await engine?.stop();
    app?.closeAllConnections();
    await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
  });

  it("calls actions through the gateway; after sleeping, a later call finds the state intact", async () => {
    const handle = client.counter.getOrCreate(["visits"]);
    expect(await handle.increment(2)).toBe(2);
    expect(await handle.increment(3)).toBe(5);
    const actorId: string = await handle.resolve();

    await handle.goToSleep();
    await waitFor("the actor to sleep", () => engine.session.runtime.world.actors.get(actorId)?.state === "Sleeping", 20_000);

    expect(await handle.increment(1)).toBe(6);
    const events = await engine.events();
    expect(events.filter((e) => e.type === "CommandStartActor" && e.to?.role === "Runner" && e.actorId === actorId)).toHaveLength(2);
    expect(ofType(events, "ToServerKvRequest").length).toBeGreaterThan(0);
    expect(ofType(events, "StartRequest").length).toBeGreaterThan(0);
  }, 60_000);
});
