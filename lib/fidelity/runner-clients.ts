// The two runner-protocol v7 clients, as published (@rivetkit/engine-runner 2.2.1): a normal runner
// that stays connected to its pool, and a serverless endpoint whose runners the engine starts with
// `GET /start`. Their actors answer `ok` and ask to sleep on `/sleep` (the published way, so the
// runner reports that stop as it always does).
import type { Runner, RunnerConfig } from "@rivetkit/engine-runner";
import { startTestEndpoint, type TestEndpoint } from "@/lib/proxy/testing/v7-endpoint";
import { waitFor } from "@/lib/proxy/testing/wait";
import type { EngineCalls } from "./engine-calls";
import type { ClientAnswer, ClientKind } from "./types";

/** What a workload asks of a client; the same calls on both engines. */
export interface ClientDriver {
  kind: ClientKind;
  /** Creates an actor in this client's pool and waits until the client runs it. */
  createActor(key: string): Promise<string>;
  request(actorId: string): Promise<ClientAnswer>;
  askToSleep(actorId: string): Promise<ClientAnswer>;
  /** Waits until the client stopped the actor `count` times in all. */
  waitStopped(actorId: string, count: number): Promise<void>;
  /** Waits until the actor is asleep, as far as the client and the engine API can tell. */
  waitAsleep(actorId: string): Promise<void>;
  /** The runner serving the actors drops its connection; a new one takes its place. */
  disconnect(): Promise<void>;
  /** The pool drains its runner (its actors are stopped); a new one takes its place. */
  drain(actorId: string): Promise<void>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 40_000;
/** Request lifespan (s) of the pool-drain workload's serverless pool: the engine drains its runner at the end. */
export const DRAIN_LIFESPAN_S = 4;

type Stop = { actorId: string; generation: number };

function sleepsOnRequest(): Pick<RunnerConfig, "fetch"> {
  return {
    fetch: async (self, actorId, _generation, _requestId, request) => {
      if (new URL(request.url).pathname === "/sleep") setTimeout(() => self.sleepActor(actorId), 10);
      return new Response("ok", { status: 200, headers: { "content-type": "text/plain" } });
    },
  };
}

/** A normal runner of pool `pool`, connected to the side's address. */
export async function normalRunnerClient(calls: EngineCalls, pool: string): Promise<ClientDriver> {
  const { Runner: RunnerClass } = await import("@rivetkit/engine-runner");
  const starts: Stop[] = [];
  const stops: Stop[] = [];
  // The real engine needs a pool for normal runners (rivetkit declares one); the embedded one
  // takes runners of any name, and its answer to this call is part of the comparison.
  await calls.api("PUT", `/runner-configs/${pool}?namespace=default`, { datacenters: { default: { normal: {} } } });
  const connect = async (): Promise<Runner> => {
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const runner: Runner = new RunnerClass({
      version: 1,
      endpoint: calls.url,
      namespace: "default",
      runnerName: pool,
      totalSlots: 10,
      prepopulateActorNames: {},
      noAutoShutdown: true,
      onConnected: () => connected(),
      onDisconnected: () => {},
      onShutdown: () => {},
      ...sleepsOnRequest(),
      websocket: async () => {},
      hibernatableWebSocket: { canHibernate: () => false },
      onActorStart: async (actorId, generation) => void starts.push({ actorId, generation }),
      onActorStop: async (actorId, generation) => void stops.push({ actorId, generation }),
    });
    await runner.start();
    await withDeadline(ready, START_TIMEOUT_MS, "the runner to connect");
    return runner;
  };
  let runner = await connect();
  return {
    kind: "runner-v7",
    async createActor(key) {
      return createAndAwaitStart(calls, pool, key, starts);
    },
    request: (actorId) => calls.request(actorId, "/hello"),
    askToSleep: (actorId) => calls.request(actorId, "/sleep"),
    waitStopped: (actorId, count) => waitForCount(stops, actorId, count, "the runner to stop the actor"),
    async waitAsleep(actorId) {
      await waitForCount(stops, actorId, 1, "the runner to stop the actor");
      await calls.waitAsleep(actorId, pool);
    },
    async disconnect() {
      await runner.shutdown(true);
      runner = await connect();
    },
    async drain() {
      await runner.shutdown(false);
      runner = await connect();
    },
    async close() {
      await runner.shutdown(true).catch(() => undefined);
    },
  };
}

/** A serverless endpoint (runner v7) for pool `pool`; its config is PUT through the side's address. */
export async function serverlessClient(calls: EngineCalls, pool: string, lifespanS: number): Promise<ClientDriver> {
  const endpoint: TestEndpoint = await startTestEndpoint({ intendedSleep: false });
  const put = await calls.api("PUT", `/runner-configs/${pool}?namespace=default`, {
    datacenters: { default: { serverless: { url: endpoint.url, headers: {}, request_lifespan: lifespanS, drain_grace_period: 1, max_runners: 5, min_runners: 0, runners_margin: 0, slots_per_runner: 10 } } },
  });
  if (put.status !== 200) {
    await endpoint.close();
    throw new Error(`PUT /runner-configs/${pool}: ${put.status} ${JSON.stringify(put.body)}`);
  }
  return {
    kind: "serverless-v7",
    createActor: (key) => createAndAwaitStart(calls, pool, key, endpoint.actorStarts),
    request: (actorId) => calls.request(actorId, "/hello"),
    askToSleep: (actorId) => calls.request(actorId, "/sleep"),
    waitStopped: (actorId, count) => waitForCount(endpoint.actorStops, actorId, count, "the runner to stop the actor"),
    async waitAsleep(actorId) {
      await waitForCount(endpoint.actorStops, actorId, 1, "the runner to stop the actor");
      await calls.waitAsleep(actorId, pool);
    },
    disconnect: () => endpoint.dropRunners(),
    async drain(actorId) {
      // The engine drains the runner itself when its request lifespan ends: the runner stops the
      // actor, or the engine gives the actor up as lost and puts it to sleep.
      const before = endpoint.actorStops.filter((s) => s.actorId === actorId).length;
      await waitFor("the engine to drain the runner", async () => endpoint.actorStops.filter((s) => s.actorId === actorId).length > before || (await calls.isAsleep(actorId)), (lifespanS + 20) * 1000);
    },
    close: () => endpoint.close(),
  };
}

async function createAndAwaitStart(calls: EngineCalls, pool: string, key: string, starts: readonly Stop[]): Promise<string> {
  const created = await calls.api("POST", "/actors?namespace=default", { name: "fidelity", key, runner_name_selector: pool, crash_policy: "sleep" });
  const actorId: unknown = created.body?.actor?.actor_id;
  if (created.status !== 200 || typeof actorId !== "string") throw new Error(`POST /actors: ${created.status} ${JSON.stringify(created.body)}`);
  await waitForCount(starts, actorId, 1, "the actor to start");
  return actorId;
}

async function waitForCount(list: readonly Stop[], actorId: string, count: number, what: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  await waitFor(what, () => list.filter((s) => s.actorId === actorId).length >= count, timeoutMs);
}

export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
