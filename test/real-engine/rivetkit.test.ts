// An unmodified rivetkit@2.3.19 app (serverless handler, envoy protocol v8) and its client, both
// pointed at the recording proxy in front of the real engine: the actor is created by the
// client's first call, sleeps, and is woken by a later call (a `POST /start` per wake). The run
// holds the envoy's frames, the starts and the actor workflow's history, and draws.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serveFetch } from "@/lib/proxy/testing/serve-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEngineCliReader } from "@/lib/history/engine-cli-reader";
import { importHistory, type ImportResult } from "@/lib/history/import";
import { startRecording, type Recording } from "@/lib/proxy/recording";
import { startRealEngine, type RealEngine } from "@/lib/proxy/testing/real-engine";
import { waitFor } from "@/lib/proxy/testing/wait";
import { diagramText } from "@/lib/services/diagrams";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { loadEvents } from "@/lib/store/trace-store";
import { installIteratorHelpers } from "../live/iterator-helpers";

interface CounterClient {
  counter: { getOrCreate(key: string[]): { increment(by: number): Promise<number>; goToSleep(): Promise<void>; resolve(): Promise<string> } };
  dispose?(): Promise<void>;
}

describe("recording a real engine: a rivetkit 2.3 app and client (envoy protocol v8)", () => {
  let engine: RealEngine;
  let temp: TempDb;
  let app: http.Server;
  let recording: Recording;
  let actorId: string;
  let imported: ImportResult;
  const saved = { endpoint: process.env.RIVET_ENDPOINT, namespace: process.env.RIVET_NAMESPACE, services: process.env.RIVET_RUN_SERVICES };

  beforeAll(async () => {
    installIteratorHelpers();
    [engine, temp] = await Promise.all([startRealEngine(), createTempDb()]);
    recording = await startRecording(temp.db, { engineUrl: engine.url });
    const proxyUrl = recording.proxy.url;
    process.env.RIVET_ENDPOINT = proxyUrl;
    process.env.RIVET_NAMESPACE = "default";
    process.env.RIVET_RUN_SERVICES = "0";
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
    const registry = setup({ use: { counter }, endpoint: proxyUrl, namespace: "default", envoy: { poolName: "kit" } } as Parameters<typeof setup>[0]) as unknown as { handler(request: Request): Promise<Response> };
    app = http.createServer((req, res) => {
      if (!req.url?.startsWith("/api/rivet")) return void res.writeHead(404).end();
      void serveFetch((request) => registry.handler(request))(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/rivet`;
    const put = await fetch(`${proxyUrl}/runner-configs/kit?namespace=default`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ datacenters: { default: { serverless: { url: appUrl, headers: {}, request_lifespan: 300, drain_grace_period: 10, max_runners: 5, min_runners: 0, runners_margin: 0, slots_per_runner: 10 } } } }),
    });
    expect(put.status).toBe(200);

    const { createClient } = await import("rivetkit-2-3/client");
    const client = createClient({ endpoint: proxyUrl, namespace: "default", poolName: "kit" } as Parameters<typeof createClient>[0]) as unknown as CounterClient;
    const handle = client.counter.getOrCreate(["visits"]);
    expect(await handle.increment(2)).toBe(2);
    actorId = await handle.resolve();
    await handle.goToSleep();
    await waitFor("the actor to sleep (seen on the wire)", () => recording.proxy.state.actorStates.get(actorId) === "Sleeping", 20_000);
    expect(await handle.increment(3)).toBe(5);
    await client.dispose?.();
    await recording.stop();
    const reader = await openEngineCliReader({ dataDir: engine.dataDir, engineBin: engine.bin });
    try {
      imported = await importHistory(temp.db, recording.run.id, reader);
    } finally {
      await reader.close();
    }
  }, 90_000);

  afterAll(async () => {
    app?.closeAllConnections();
    await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
    await engine?.stop();
    await temp?.cleanup();
    for (const [name, value] of [["RIVET_ENDPOINT", saved.endpoint], ["RIVET_NAMESPACE", saved.namespace], ["RIVET_RUN_SERVICES", saved.services]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("records the envoy's connection, its frames and a POST /start per start", async () => {
    const events = await loadEvents(temp.db, recording.run.id);
    const connect = events.find((e) => e.type === "ToRivetMetadata");
    expect(connect).toMatchObject({ from: { role: "Runner" }, to: { role: "RunnerWS" }, label: "Connect<br/>(envoy kit)" });
    const starts = events.filter((e) => e.type === "StartRequest" && e.from?.role === "Serverless" && e.actorId === actorId);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(starts[0].label).toMatch(/^POST \/start<br\/>StartActor /);
    const stop = events.find((e) => e.type === "CommandStopActor" && e.from?.role === "RunnerWS" && e.to?.role === "Runner");
    expect(stop).toMatchObject({ actorId, runnerId: connect?.runnerId });
    const states = events.filter((e) => e.type === "EventActorStateUpdate" && e.from?.role === "Runner").map((e) => (e.payload as { state: string }).state);
    expect(states.slice(0, 3)).toEqual(["Running", "Stopped", "Running"]);
    // The app's storage traffic over the envoy socket is housekeeping.
    expect(events.some((e) => e.housekeeping && /^ToRivet(Sqlite|Kv)/.test(e.type))).toBe(true);
    const answers = events.filter((e) => e.type === "UserResponse" && e.actorId === actorId);
    expect(answers.length).toBeGreaterThanOrEqual(3);
  });

  it("adds the gen-3 actor workflow and finds its cycles: created and slept, then woken", async () => {
    expect(imported.workflows.pegboard_actor2).toBe(1);
    const cycles = imported.cycles.filter((c) => c.actorId === actorId);
    // (The app may let the actor sleep again on its own before the recording stops.)
    expect(cycles.length).toBeGreaterThanOrEqual(2);
    expect(cycles[0]).toMatchObject({ outcome: "slept", ordinal: 1 });
    expect(cycles[1].wakeToReadyMs).toBeGreaterThan(0);
    expect(cycles[1].requestsServed).toBeGreaterThanOrEqual(1);
  });

  it("draws the wake", async () => {
    // A wake that reached the actor while it was still stopping belongs to the cycle before.
    const whole = await diagramText(temp.db, { runId: recording.run.id, actorId });
    expect(whole.text).toContain("G->>AWF: Wake");
    const diagram = await diagramText(temp.db, { runId: recording.run.id, actorId, cycle: 2 });
    expect(diagram.text).toContain("critical actor allocation");
    expect(diagram.text).toMatch(/S->>SE: POST \/start/);
    expect(diagram.text).toContain("R->>RWS: Actor state update: Running");
  });
});
