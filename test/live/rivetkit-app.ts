// An unmodified rivetkit@2.2.1 app in serverless mode: its handler under /api/rivet in a small
// server started with RIVET_ENDPOINT pointing at the engine, serving a counter actor with state and
// actions, and a rivetkit client for it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serveFetch } from "@/lib/proxy/testing/serve-fetch";
import { installIteratorHelpers } from "./iterator-helpers";

/** What the tests use of the typed rivetkit client. */
export interface CounterClient {
  counter: { getOrCreate(key: string[]): { increment(by: number): Promise<number>; goToSleep(): Promise<void>; resolve(): Promise<string> } };
  dispose?(): Promise<void>;
}

export interface RivetkitApp {
  /** The serverless URL to configure as the pool's `url`. */
  url: string;
  close(): Promise<void>;
}

export async function startRivetkitApp(engineUrl: string): Promise<RivetkitApp> {
  installIteratorHelpers();
  process.env.RIVET_ENDPOINT = engineUrl;
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
  const registry = setup({ use: { counter } });
  const app = http.createServer((req, res) => {
    if (!req.url?.startsWith("/api/rivet")) return void res.writeHead(404).end();
    void serveFetch((request) => registry.handler(request))(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/rivet`,
    async close() {
      app.closeAllConnections();
      await new Promise<void>((resolve) => app.close(() => resolve()));
    },
  };
}

export async function rivetkitClient(engineUrl: string, token?: string): Promise<CounterClient> {
  const { createClient } = await import("rivetkit/client");
  return createClient({ endpoint: engineUrl, namespace: "default", token }) as unknown as CounterClient;
}

/** The runner config that points the default pool at a serverless app. */
export function serverlessPool(url: string) {
  return { datacenters: { default: { serverless: { url, headers: {}, request_lifespan: 300, slots_per_runner: 10, min_runners: 0, max_runners: 5, runners_margin: 0 } } } };
}
