// The real engine with a serverless endpoint built on @rivetkit/engine-runner (runner protocol v7).
// The actor is created and put to sleep directly on the engine; then the recording starts, the
// runner config is PUT through the proxy, and a request through the proxy wakes the actor: a cold
// start (GET /start, runner connection, StartActor, Running, the tunnelled request). With the
// workflow histories imported, the cycle draws the ideal reference flow on the lifelines the real
// engine has (its runner workflow does not relay commands and events; see lib/history/conformance).
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReport } from "@/lib/conformance";
import { buildFlow } from "@/lib/diagram";
import { conformRealFlow } from "@/lib/history/conformance";
import { openEngineCliReader } from "@/lib/history/engine-cli-reader";
import { importHistory } from "@/lib/history/import";
import { startOtlpReceiver, type OtlpReceiver } from "@/lib/otlp/receiver";
import { SpanLog, spanTiming } from "@/lib/otlp/timing";
import { startRecording } from "@/lib/proxy/recording";
import { startRealEngine, type RealEngine } from "@/lib/proxy/testing/real-engine";
import { startTestEndpoint, type TestEndpoint } from "@/lib/proxy/testing/v7-endpoint";
import { waitFor } from "@/lib/proxy/testing/wait";
import { diagramText } from "@/lib/services/diagrams";
import { selectEvents } from "@/lib/services/selection";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { findRun, loadCycles, loadEvents } from "@/lib/store/trace-store";
import type { TraceEvent } from "@/lib/trace/types";

const ROOT = path.resolve(__dirname, "..", "..");
const REFERENCE = fs.readFileSync(path.join(ROOT, "lib/conformance/reference/ideal-serverless-flow.mmd"), "utf8");

function runCli(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, "bin", "wakeline.mjs"), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const message = (events: TraceEvent[], type: string, from: string, to: string) =>
  events.filter((e) => e.kind === "message" && e.type === type && e.from?.role === from && e.to?.role === to);

describe("recording a real engine: a v7 serverless runner wakes an asleep actor", () => {
  let engine: RealEngine;
  let endpoint: TestEndpoint;
  let temp: TempDb;
  let actorId: string;
  let runId: string;
  let proxyUrl: string;
  let traces: OtlpReceiver;
  const spanLog = new SpanLog();
  /** A lifespan of 3 s with the engine's 1 s drain grace: the engine drains that runner itself after 2 s. */
  const config = (lifespan: number) => ({
    datacenters: { default: { serverless: { url: endpoint.url, headers: {}, request_lifespan: lifespan, drain_grace_period: Math.min(10, lifespan - 1), max_runners: 5, min_runners: 0, runners_margin: 0, slots_per_runner: 1 } } },
  });

  beforeAll(async () => {
    // The engine exports its traces to a receiver, as `wakeline record` runs one.
    traces = await startOtlpReceiver({ httpPort: null, grpcPort: 0, onSpans: (spans) => spanLog.add(spans) });
    const otel = { RIVET_OTEL_ENABLED: "1", RIVET_OTEL_SAMPLER_RATIO: "1", RIVET_OTEL_GRPC_ENDPOINT: traces.grpcUrl! };
    [engine, endpoint, temp] = await Promise.all([startRealEngine({ pegboard: { serverless_drain_grace_period: 1000 }, env: otel }), startTestEndpoint(), createTempDb()]);
    const recording = await startRecording(temp.db, { engineUrl: engine.url });
    proxyUrl = recording.proxy.url;
    runId = recording.run.id;
    const api = async (method: string, pathAndQuery: string, body: unknown) => {
      const response = await fetch(`${proxyUrl}${pathAndQuery}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status, `${method} ${pathAndQuery}`).toBe(200);
      // The answers are read by assertions only.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (await response.json()) as any;
    };
    // Everything through the proxy. The actor is created (it starts at once on a first runner)
    // and put to sleep; the engine drains that runner at the end of its short lifespan (its own
    // doing, not an error of the pool). A longer lifespan for the next runner, then a request
    // wakes the actor: a cold start.
    await api("PUT", "/runner-configs/r7?namespace=default", config(3));
    const created = await api("POST", "/actors?namespace=default", { name: "tiny", key: "a1", runner_name_selector: "r7", crash_policy: "sleep" });
    actorId = created.actor.actor_id;
    expect(await (await fetch(`${proxyUrl}/gateway/${actorId}/sleep`)).text()).toBe("ok");
    await waitFor("the actor to stop", () => endpoint.actorStops.length > 0, 15_000);
    await waitFor("the first runner to drain", async () => (await engine.api("GET", "/runners?namespace=default")).body.runners.every((r: { drain_ts: number | null }) => r.drain_ts !== null), 15_000);
    await api("PUT", "/runner-configs/r7?namespace=default", config(300));
    const answer = await fetch(`${proxyUrl}/gateway/${actorId}/hello`);
    const text = await answer.text();
    expect(answer.status, text).toBe(200);
    expect(text).toBe("ok");
    await recording.stop();

    // Spans are exported in batches when they end: wait for the wake's.
    await waitFor("the span of the gateway's wake signal", () => [...spanTiming(spanLog.all()).signals.values()].some((s) => s.name === "pegboard_actor_wake"), 30_000);
    const reader = await openEngineCliReader({ dataDir: engine.dataDir, engineBin: engine.bin });
    try {
      await importHistory(temp.db, runId, reader, spanTiming(spanLog.all()));
    } finally {
      await reader.close();
    }
  }, 90_000);

  afterAll(async () => {
    await endpoint?.close();
    await engine?.stop();
    await traces?.close();
    await temp?.cleanup();
  });

  it("records a run named after the engine, and hands the started runner the proxy as its engine", async () => {
    const run = await findRun(temp.db, runId);
    expect(run).toMatchObject({ source: "real", name: "real engine 2.3.19", status: "finished" });
    // Both starts of the recording (later ones come from the engine after the URL was restored).
    expect(endpoint.endpoints.slice(0, 2)).toEqual([`${proxyUrl}/`, `${proxyUrl}/`]);
    // The proxy pointed the config back at the real endpoint when it stopped.
    const configs = await engine.api("GET", "/runner-configs?namespace=default&runner_name=r7");
    expect(configs.body.runner_configs.r7.datacenters.default.serverless.url).toBe(endpoint.url);
  });

  it("records every hop of the wire with its actor and runner", async () => {
    const events = await loadEvents(temp.db, runId);
    const request = message(events, "UserRequest", "User", "Gateway").at(-1)!;
    expect(request).toMatchObject({ actorId, label: "GET /hello<br/>(request to actor)" });
    const [start] = message(events, "StartRequest", "Serverless", "ServerlessEndpoint").filter((e) => (e.payload as { origin?: string }).origin === undefined);
    expect(start.from?.id).toBe("r7");
    const [connect] = message(events, "ToServerInit", "Runner", "RunnerWS");
    expect(connect.label).toBe("Connect<br/>(ToServerInit r7)");
    const [init] = message(events, "ToClientInit", "RunnerWS", "Runner");
    const runnerId = init.runnerId!;
    const [command] = message(events, "CommandStartActor", "RunnerWS", "Runner");
    expect(command).toMatchObject({ actorId, runnerId });
    expect(command.payload).toMatchObject({ checkpoint: { actorId, generation: 0, index: 0 } });
    const [running] = message(events, "EventActorStateUpdate", "Runner", "RunnerWS");
    expect(running).toMatchObject({ actorId, runnerId, label: "Actor state update: Running" });
    const tunnel = message(events, "ToClientRequestStart", "RunnerWS", "Runner").at(-1)!;
    expect(tunnel.payload).toMatchObject({ method: "GET", path: "/hello" });
    const response = message(events, "UserResponse", "Gateway", "User").at(-1)!;
    expect(response).toMatchObject({ actorId, label: "200" });
    expect(response.relayOf).not.toBeNull();
    expect(message(events, "ApiRequest", "User", "API").map((e) => e.label)).toContain("PUT /runner-configs/r7");
    // The serverless start's init names the runner that connected: "Same process".
    const same = events.find((e) => e.kind === "relation" && e.type === "SameProcess");
    expect(same?.runnerId).toBe(runnerId);
    expect(connect.causeSeq).toBe(same?.seq);
  });

  it("draws the gateway's wake when the engine's span says it was sent, and says which sources the run combines", async () => {
    const events = await loadEvents(temp.db, runId);
    const [wake] = message(events, "Wake", "Gateway", "ActorWorkflow");
    const payload = wake.payload as { timedBy?: string; sentAt?: number; consumedAt: number };
    expect(payload.timedBy).toBe("otlp");
    expect(payload.sentAt).toBeLessThan(payload.consumedAt);
    const run = await findRun(temp.db, runId);
    expect((run?.config as { sources?: string[] }).sources).toEqual(["wire", "workflow-history", "otlp"]);
  });

  it("adds the workflows' side, joined by actor, generation, command index, runner and signal", async () => {
    const events = await loadEvents(temp.db, runId);
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    const [wake] = message(events, "Wake", "Gateway", "ActorWorkflow");
    expect(bySeq.get(wake.causeSeq!)?.type).toBe("UserRequest");
    const notes = events.filter((e) => e.kind === "note" && !e.housekeeping).map((e) => e.label);
    expect(notes).toEqual(expect.arrayContaining(["Actor sleeping", "Await actor ready", "Allocate", "No runners available,<br/>Start pending", "Desired: 1", "Allocate pending actors", "Publish Ready msg"]));
    const [bump] = message(events, "Bump", "ActorWorkflow", "Serverless");
    const desired = events.find((e) => e.label === "Desired: 1" && e.causeSeq === bump.seq);
    expect(desired).toBeDefined();
    const [sent] = message(events, "CommandStartActor", "ActorWorkflow", "RunnerWS");
    const [delivered] = message(events, "CommandStartActor", "RunnerWS", "Runner");
    expect(delivered.relayOf).toBe(sent.seq);
    const [created] = message(events, "CreateRunnerWorkflow", "RunnerWS", "RunnerWorkflow");
    expect(bySeq.get(created.causeSeq!)?.type).toBe("ToServerInit");
    const [relayed] = message(events, "EventActorStateUpdate", "RunnerWS", "ActorWorkflow");
    expect(bySeq.get(relayed.relayOf!)?.from?.role).toBe("Runner");
    const ready = message(events, "Ready", "ActorWorkflow", "Gateway").at(-1)!;
    const tunnel = message(events, "ToClientRequestStart", "Gateway", "RunnerWS").at(-1)!;
    expect(tunnel.causeSeq).toBe(ready.seq);
    // Seqs are gap-free and ordered by time wherever causes allow.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it("computes the cycle and its figures", async () => {
    const cycles = (await loadCycles(temp.db, runId)).filter((c) => c.actorId === actorId);
    // Created and started, then asked to sleep; woken by a request.
    expect(cycles.map((c) => c.outcome)).toEqual(["slept", "open"]);
    const cycle = cycles[1];
    expect(cycles[0].requestsServed).toBe(1);
    expect(cycle.requestsServed).toBe(1);
    expect(cycle.wakeToReadyMs).toBeGreaterThan(0);
    expect(cycle.coldStartMs).toBeGreaterThan(0);
  });

  it("draws the ideal reference flow, the real engine's runner workflow aside", async () => {
    const run = (await findRun(temp.db, runId))!;
    const cycle = await selectEvents(temp.db, run, { actorId, cycle: 2 });
    const report = conformRealFlow(REFERENCE, buildFlow(cycle.events, { detail: "default" }), { ignorePreconditions: true });
    expect(report.ok, formatReport(report)).toBe(true);
    const diagram = await diagramText(temp.db, { runId, actorId, cycle: 2 });
    expect(diagram.text).toContain("critical runner connection");
    expect(diagram.text).toContain("AWF->>RWS: Send StartActor");
  });

  it("the CLI imports the history again (same run) and draws the cycle", async () => {
    const before = await loadEvents(temp.db, runId);
    // The wake's span again, as an OpenTelemetry collector's file exporter saves it (OTLP/JSON lines).
    const wake = message(before, "Wake", "Gateway", "ActorWorkflow")[0].payload as { signalId: string; sentAt: number };
    const nanos = (BigInt(Math.round(wake.sentAt * 1000)) * 1000n).toString();
    const span = { traceId: "0".repeat(32), spanId: "1".repeat(16), name: "send", startTimeUnixNano: nanos, endTimeUnixNano: nanos, attributes: [{ key: "signal_id", value: { stringValue: wake.signalId } }] };
    const traceFile = path.join(temp.dir, "traces.jsonl");
    fs.writeFileSync(traceFile, `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })}\n`);
    const imported = await runCli(["record", "import-history", "--run", runId, "--data-dir", engine.dataDir, "--engine-bin", engine.bin, "--otlp-file", traceFile, "--json"], temp.url);
    expect(imported.code, imported.stderr).toBe(0);
    const result = JSON.parse(imported.stdout) as { runId: string; workflows: Record<string, number>; cycles: unknown[]; sources: string[] };
    expect(result.workflows.pegboard_actor).toBe(1);
    expect(result.sources).toEqual(["wire", "workflow-history", "otlp"]);
    // The same events up to the last answer (later history may have been committed in between).
    const upToAnswer = (events: TraceEvent[]) => events.slice(0, events.findLastIndex((e) => e.type === "UserResponse") + 1).map((e) => [e.type, e.label]);
    const after = await loadEvents(temp.db, runId);
    expect(upToAnswer(after)).toEqual(upToAnswer(before));
    const diagram = await runCli(["diagram", "--run", runId, "--actor", actorId, "--cycle", "2"], temp.url);
    expect(diagram.code, diagram.stderr).toBe(0);
    expect(diagram.stdout).toContain("critical request to sleeping actor");
    expect(diagram.stdout).toContain("S->>SE: GET /start");
    fs.writeFileSync(traceFile, "{\"resourceSpans\": 3}\n");
    const refused = await runCli(["record", "import-history", "--run", runId, "--data-dir", engine.dataDir, "--engine-bin", engine.bin, "--otlp-file", traceFile], temp.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain("not OTLP/JSON traces");
  }, 60_000);
});
