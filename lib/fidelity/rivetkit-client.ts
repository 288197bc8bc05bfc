// An unmodified rivetkit@2.3.19 app (serverless handler, envoy protocol v8) serving a counter actor,
// and the rivetkit client calling it, both pointed at the side's address. One app per side: each
// workload uses its own actor key. Its envoy is the app's own, so there is no runner to disconnect
// or drain by hand; those workloads are left to the runner clients.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serveFetch } from "@/lib/proxy/testing/serve-fetch";
import type { EngineCalls } from "./engine-calls";
import { withDeadline, type ClientDriver } from "./runner-clients";
import type { ClientAnswer } from "./types";

interface CounterHandle {
  increment(by: number): Promise<number>;
  goToSleep(): Promise<void>;
  resolve(): Promise<string>;
}
interface CounterClient {
  counter: { getOrCreate(key: string[]): CounterHandle };
  dispose?(): Promise<void>;
}

const CALL_TIMEOUT_MS = 40_000;
export const RIVETKIT_POOL = "kit";

export interface RivetkitApp {
  /** A driver for one workload (its own actor keys). */
  driver(): ClientDriver;
  close(): Promise<void>;
}

/** Starts the app, PUTs its serverless pool through the side's address and makes a client. */
export async function startRivetkitApp(calls: EngineCalls): Promise<RivetkitApp> {
  // rivetkit reads its engine from the environment as well as from its setup.
  process.env.RIVET_ENDPOINT = calls.url;
  process.env.RIVET_NAMESPACE = "default";
  process.env.RIVET_RUN_SERVICES = "0";
  // Its retries of a refused call log a warning each; the outcome is in the report.
  process.env.RIVET_LOG_LEVEL ??= "error";
  const { actor, setup } = await import("rivetkit-2-3");
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
  const registry = setup({ use: { counter }, endpoint: calls.url, namespace: "default", envoy: { poolName: RIVETKIT_POOL } } as Parameters<typeof setup>[0]) as unknown as { handler(request: Request): Promise<Response> };
  const app = http.createServer((req, res) => {
    if (!req.url?.startsWith("/api/rivet")) return void res.writeHead(404).end();
    void serveFetch((request) => registry.handler(request))(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const close = async () => {
    app.closeAllConnections();
    await new Promise<void>((resolve) => app.close(() => resolve()));
  };
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/rivet`;
  const put = await calls.api("PUT", `/runner-configs/${RIVETKIT_POOL}?namespace=default`, {
    datacenters: { default: { serverless: { url: appUrl, headers: {}, request_lifespan: 300, drain_grace_period: 10, max_runners: 5, min_runners: 0, runners_margin: 0, slots_per_runner: 10 } } },
  });
  if (put.status !== 200) {
    await close();
    throw new Error(`PUT /runner-configs/${RIVETKIT_POOL}: ${put.status} ${JSON.stringify(put.body)}`);
  }
  const { createClient } = await import("rivetkit-2-3/client");
  const client = createClient({ endpoint: calls.url, namespace: "default", poolName: RIVETKIT_POOL } as Parameters<typeof createClient>[0]) as unknown as CounterClient;
  const handles = new Map<string, CounterHandle>();
  const call = async (actorId: string, work: (handle: CounterHandle) => Promise<unknown>): Promise<ClientAnswer> => {
    const handle = handles.get(actorId);
    if (!handle) return { status: 0, code: "client.unknown_actor" };
    try {
      await withDeadline(work(handle), CALL_TIMEOUT_MS, "the action");
      return { status: 200, code: null };
    } catch (err) {
      return answerOfError(err);
    }
  };
  return {
    driver: () => ({
      kind: "rivetkit-2.3",
      async createActor(key) {
        const handle = client.counter.getOrCreate([key]);
        await withDeadline(handle.increment(1), CALL_TIMEOUT_MS, "the first action");
        const actorId = await withDeadline(handle.resolve(), CALL_TIMEOUT_MS, "the actor id");
        handles.set(actorId, handle);
        return actorId;
      },
      request: (actorId) => call(actorId, (handle) => handle.increment(1)),
      askToSleep: (actorId) => call(actorId, (handle) => handle.goToSleep()),
      waitStopped: (actorId) => calls.waitAsleep(actorId, undefined, CALL_TIMEOUT_MS),
      // The app's pool serves every workload's actor, so its slots say nothing about this one.
      waitAsleep: (actorId) => calls.waitAsleep(actorId, undefined, CALL_TIMEOUT_MS),
      async disconnect() {
        throw new Error("a rivetkit app's envoy is not disconnected by hand");
      },
      async drain() {
        throw new Error("a rivetkit app's envoy is not drained by hand");
      },
      async close() {},
    }),
    async close() {
      await client.dispose?.().catch(() => undefined);
      await close();
    },
  };
}

/** rivetkit's errors carry the engine's `group` and `code` (and sometimes a status). */
function answerOfError(err: unknown): ClientAnswer {
  const e = err as { group?: unknown; code?: unknown; statusCode?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? (typeof e.group === "string" ? `${e.group}.${e.code}` : e.code) : err instanceof Error && /timed out/.test(err.message) ? "client.timeout" : "client.error";
  const status = typeof e?.statusCode === "number" ? e.statusCode : 0;
  return { status, code };
}
