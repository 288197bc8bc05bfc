// The workflow history import without an engine: the CLI's text (trimmed samples of
// `rivet-engine workflow list` and `workflow history -t -t -f` from rivet-engine 2.3.19) parsed,
// translated into trace items and assembled into a run with cycles; and the engine's data folder
// found as the engine finds it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assembleTrace, wireEventsOf } from "@/lib/history/assemble";
import { findEngineDatabase } from "@/lib/history/data-dir";
import { flattenEvents, parseTimestamp, parseWorkflowHistory, parseWorkflowList } from "@/lib/history/parse";
import { translateHistories } from "@/lib/history/translate";
import { indexWire } from "@/lib/history/wire-index";
import { computeCycles } from "@/lib/trace/cycles";

const FIXTURES = path.join(__dirname, "fixtures");
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");
const histories = () => ["wf-actor.txt", "wf-runner2.txt", "wf-pool2.txt", "wf-receiver2.txt", "wf-conn2.txt"].map((name) => parseWorkflowHistory(read(name)));
const ACTOR = "h0znnhdj76xgnmhujvdq5to0owcl00";
const RUNNER = "pu362z8ee8uwh5z6lrkbljq843cl00";
/** The sample's first cycle: created 20:20:22.0, started, asked to sleep at 23.46, stopped at 23.55. */
const WINDOW = { fromMs: Date.parse("2026-12-01T20:20:21.000Z"), toMs: Date.parse("2026-12-01T20:20:24.000Z") };

describe("parsing the engine CLI's output", () => {
  it("reads the workflow list table", () => {
    const list = parseWorkflowList(read("wf-list.txt"));
    expect(list).toHaveLength(18);
    expect(list.find((w) => w.name === "pegboard_actor")).toEqual({ id: "pak9e79yzca1oa283ifksv29robl00", name: "pegboard_actor", state: "sleeping", tags: { actor_id: ACTOR } });
  });

  it("reads a history: header, nested and forgotten events, JSON fields, signals, trailer", () => {
    const actor = parseWorkflowHistory(read("wf-actor.txt"));
    expect(actor).toMatchObject({ name: "pegboard_actor", id: "pak9e79yzca1oa283ifksv29robl00", tags: { actor_id: ACTOR }, status: "sleeping" });
    expect(actor.input).toMatchObject({ key: "c1", runner_name_selector: "r7sl" });
    const events = flattenEvents(actor.events);
    const allocate = events.find((e) => e.kind === "activity" && e.name === "allocate_actor_v2");
    expect(allocate?.created).toBe(Date.parse("2026-12-01T20:20:22.105Z"));
    expect(allocate?.fields.output).toEqual({ serverless: true, status: { pending: { pending_allocation_ts: 1796156422111 } } });
    const bump = events.find((e) => e.kind === "signal send" && e.name === "pegboard_runner_pool_bump");
    expect(bump?.fields).toMatchObject({ id: "xsn2y2rebtlam28wdne7yagfl8bl00", "to workflow id": "p69a3hi763trr8pneyqmsvqg78cl00" });
    const received = events.find((e) => e.kind === "signal recv" && e.signals[0]?.name === "pegboard_actor_allocate");
    expect(received?.signals[0]).toEqual({ name: "pegboard_actor_allocate", id: "lz4z16qgzb6wi1ng9moy97c0elal00", body: { runner_id: RUNNER, runner_protocol_version: 7, runner_workflow_id: "5jpzn0r9jp34w0o37oqoqe7fm3bl00" } });
    const forgotten = events.filter((e) => e.forgotten);
    expect(forgotten.length).toBeGreaterThan(10);
    expect(events.find((e) => e.removed)?.name).toBe("pegboard_bump_serverless_autoscaler");
    expect(events.find((e) => e.kind === "sleep")?.fields).toMatchObject({ deadline: "2026-12-01 20:20:52.360", state: "interrupted" });
    expect(parseTimestamp("2026-12-01 20:20:22.043")).toBe(Date.parse("2026-12-01T20:20:22.043Z"));
  });

  it("ignores the log lines and colours the CLI may print", () => {
    const text = `ts=2026-12-01T22:39:54.5Z level=info message="starting rivet"\n\x1b[31m${read("wf-conn2.txt")}\x1b[0m`;
    const conn = parseWorkflowHistory(text);
    expect(conn).toMatchObject({ name: "pegboard_serverless_conn2", status: "complete" });
    expect(flattenEvents(conn.events).find((e) => e.name === "outbound_req")?.fields.output).toEqual({ Draining: { drain_sent: true } });
  });
});

describe("translating histories into a run", () => {
  const translate = () => translateHistories(histories(), indexWire([]), WINDOW);

  it("draws the actor, runner and serverless lines with the notes their outputs give", () => {
    const { items } = translate();
    const lines = items.filter((i) => !i.housekeeping).map((i) => `${i.from.role}${i.to ? `->${i.to.role}` : ""}: ${i.label}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        "API->ActorWorkflow: Create actor tiny",
        "ActorWorkflow: Allocate",
        "ActorWorkflow: No runners available,<br/>Start pending",
        "ActorWorkflow->Serverless: Bump",
        "Serverless: Desired: 1",
        "Serverless->ServerlessEndpoint: GET /start",
        "RunnerWS->RunnerWorkflow: Create runner workflow",
        "RunnerWorkflow: Allocate pending actors",
        "RunnerWorkflow->ActorWorkflow: Allocate",
        "ActorWorkflow->RunnerWS: Send StartActor",
        "RunnerWS->ActorWorkflow: Actor state update: Running",
        "ActorWorkflow: Publish Ready msg",
        "ActorWorkflow->Gateway: Receive runner ID<br/>pu362z8ee8uwh5z6lrkbljq843cl00",
        "RunnerWS->ActorWorkflow: Actor intent: Sleep",
        "ActorWorkflow: Mark as sleeping",
        "ActorWorkflow->RunnerWS: Send StopActor",
        "ActorWorkflow: Failure reason: crashed",
        "ActorWorkflow: Deallocate",
        "Serverless: Drain a runner",
      ]),
    );
    // Nothing outside the window (the second wake at 20:20:26).
    expect(items.every((i) => i.at >= WINDOW.fromMs && i.at <= WINDOW.toMs)).toBe(true);
  });

  it("joins by signal id: the pool's Desired note is caused by the actor's Bump", () => {
    const translation = translate();
    const events = assembleTrace([], translation, { originMs: WINDOW.fromMs });
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    const desired = events.find((e) => e.label === "Desired: 1")!;
    expect(bySeq.get(desired.causeSeq!)?.type).toBe("Bump");
    const allocate = events.find((e) => e.type === "Allocate" && e.from?.role === "RunnerWorkflow")!;
    expect(allocate.actorId).toBe(ACTOR);
    expect(bySeq.get(allocate.causeSeq!)?.label).toBe("Allocate pending actors");
  });

  it("gives the actor its state notes, so the cycle is found; the phases nest", () => {
    const events = assembleTrace([], translate(), { originMs: WINDOW.fromMs });
    const states = events.filter((e) => e.type === "state").map((e) => (e.payload as { to: string }).to);
    expect(states).toEqual(["Pending", "Starting", "Running", "SleepIntent", "Sleeping"]);
    const { cycles } = computeCycles("run", events);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toMatchObject({ actorId: ACTOR, outcome: "slept" });
    expect(cycles[0].wakeToReadyMs).toBeGreaterThan(0);
    const allocation = events.find((e) => e.kind === "phase-start" && e.label === "actor allocation")!;
    const end = events.find((e) => e.kind === "phase-end" && e.phaseId === allocation.seq)!;
    expect(events.find((e) => e.seq === end.seq - 1)?.label).toBe("Publish Ready msg");
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it("assembles the same run again from its own output", () => {
    const translation = translate();
    const once = assembleTrace([], translation, { originMs: WINDOW.fromMs });
    const again = assembleTrace(wireEventsOf(once), translation, { originMs: WINDOW.fromMs });
    expect(again).toEqual(once);
  });
});

describe("finding the engine's database", () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-rivet-config-"));

  it("takes --data-dir, then RIVET__FILE_SYSTEM__PATH, then the config, then the default", () => {
    const dir = tmp();
    const config = path.join(dir, "rivet.json");
    fs.writeFileSync(config, JSON.stringify({ file_system: { path: "/data/from-config" } }));
    expect(findEngineDatabase({ dataDir: "/data/option", env: { RIVET__FILE_SYSTEM__PATH: "/data/env" }, configPaths: [config] })).toEqual({ kind: "file-system", path: "/data/option", from: "option" });
    expect(findEngineDatabase({ env: { RIVET__FILE_SYSTEM__PATH: "/data/env" }, configPaths: [config] })).toEqual({ kind: "file-system", path: "/data/env", from: "env" });
    expect(findEngineDatabase({ env: {}, configPaths: [config] })).toEqual({ kind: "file-system", path: "/data/from-config", from: "config" });
    expect(findEngineDatabase({ env: {}, configPaths: [path.join(dir, "missing.json")], platform: "linux", home: "/home/u" })).toEqual({ kind: "file-system", path: "/home/u/.local/share/rivet-engine/db", from: "default" });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads a config folder (JSON5 and YAML) and knows Postgres", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "a.json5"), "{ // engine\n  guard: { port: 6420, },\n}\n");
    fs.writeFileSync(path.join(dir, "b.yaml"), "file_system:\n  path: /data/yaml\n");
    expect(findEngineDatabase({ env: {}, configPaths: [dir] })).toEqual({ kind: "file-system", path: "/data/yaml", from: "config" });
    fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify({ postgres: { url: "postgresql://x" } }));
    expect(findEngineDatabase({ env: {}, configPaths: [dir] })).toEqual({ kind: "postgres", from: "config" });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
