import { describe, expect, it } from "vitest";
import { buildFlow } from "./build-flow";
import { countItems } from "./flow-helpers";
import { AWF, G, SE, TraceBuilder, U, connectRunner, idealTrace, ref, runner } from "./test-fixtures";
import { messyTrace } from "./test-fixtures-messy";
import { DiagramError, type FlowItem } from "./types";

const arrows = (items: FlowItem[]) => items.filter((item) => item.kind === "arrow");
const notes = (items: FlowItem[]) => items.filter((item) => item.kind === "note");

describe("buildFlow", () => {
  it("draws the ideal flow with the reference's lifelines, in reference order", () => {
    const flow = buildFlow(idealTrace());
    expect(flow.participants.map((p) => p.id)).toEqual(["U", "G", "R", "RWS", "RWF", "AWF", "S", "SE"]);
    expect(flow.participants.find((p) => p.id === "SE")?.title).toBe("Serverless\nEndpoint");
    expect(countItems(flow)).toEqual({ arrows: 19, relations: 1, notes: 10, blocks: 3 });
  });

  it("hides housekeeping by default and shows it in full detail", () => {
    const events = idealTrace();
    const housekeeping = events.filter((e) => e.housekeeping).map((e) => e.seq);
    expect(housekeeping.length).toBeGreaterThan(0);
    const shownSeqs = (detail: "default" | "full") => buildFlow(events, { detail }).items.map((i) => i.seq);
    for (const seq of housekeeping) {
      expect(shownSeqs("default")).not.toContain(seq);
      expect(shownSeqs("full")).toContain(seq);
    }
  });

  it("keeps the seq of every drawn event", () => {
    const events = idealTrace();
    const flow = buildFlow(events);
    const drawn = flow.items.filter((item) => item.kind !== "block-end");
    expect(drawn.every((item) => item.seq !== undefined)).toBe(true);
    for (const item of drawn) expect(events[item.seq! - 1].kind).not.toBe("phase-end");
  });

  it("draws a relay that continues its chain with an empty label, and names it in full detail", () => {
    const events = idealTrace();
    const flow = buildFlow(events);
    const startActor = arrows(flow.items).findIndex((a) => a.kind === "arrow" && a.label === "Send StartActor");
    expect(arrows(flow.items).slice(startActor + 1, startActor + 3).map((a) => a.kind === "arrow" && a.label)).toEqual(["", ""]);
    const full = arrows(buildFlow(events, { detail: "full" }).items);
    const relayLabels = full.filter((a) => a.kind === "arrow" && events[a.seq! - 1].relayOf !== null).map((a) => a.kind === "arrow" && a.label);
    expect(relayLabels).toContain("CommandStartActor");
  });

  it("keeps a label on a relay delivered later, away from its original, and says so", () => {
    const b = new TraceBuilder();
    const { R, RWS, RWF } = runner(1);
    const intent = b.msg(R, RWS, "EventActorIntent", "Actor intent: Sleep");
    b.relay(intent, RWS, RWF);
    b.msg(AWF, G, "Ready", "Receive runner ID");
    b.relay(intent, RWF, AWF);
    b.relay(intent, RWF, AWF, { label: "" });
    const stop = b.msg(AWF, RWF, "CommandStopActor", "Send StopActor");
    b.msg(G, U, "UserResponse", "200");
    b.relay(stop, RWF, RWS, { label: "Proxy StopActor" });
    const labels = arrows(buildFlow(b.events).items).map((a) => a.kind === "arrow" && a.label);
    expect(labels).toEqual([
      "Actor intent: Sleep",
      "",
      "Receive runner ID",
      "Actor intent: Sleep (from before)",
      "", // continues the chain of the hop just drawn
      "Send StopActor",
      "200",
      "Proxy StopActor (from before)",
    ]);
  });

  it("lets notes, but not other arrows, come between a relay and its chain", () => {
    const b = new TraceBuilder();
    const { R, RWS } = runner(1);
    const tunnel = b.msg(G, RWS, "ToClientRequestStart", "Tunnel ToClientRequestStart");
    b.note(G, "narrative", "meanwhile");
    b.relay(tunnel, RWS, R);
    const start = b.msg(AWF, RWS, "CommandStartActor", "Send StartActor");
    b.chore(RWS, R, "ToClientPing");
    b.relay(start, RWS, R);
    const labels = (detail: "default" | "full") =>
      arrows(buildFlow(b.events, { detail }).items).map((a) => a.kind === "arrow" && a.label);
    expect(labels("default")).toEqual(["Tunnel ToClientRequestStart", "", "Send StartActor", ""]);
    // In full detail the ping is drawn between, so the last hop is labelled.
    expect(labels("full")).toEqual([
      "Tunnel ToClientRequestStart",
      "ToClientRequestStart",
      "Send StartActor",
      "ToClientPing",
      "Send StartActor (from before)",
    ]);
  });

  it("uses the type when a message has no label, so it is not mistaken for a relay", () => {
    const b = new TraceBuilder();
    b.msg(G, AWF, "Wake", "");
    expect(buildFlow(b.events).items).toEqual([{ kind: "arrow", from: "G", to: "AWF", label: "Wake", seq: 1 }]);
  });

  it("keeps user text as plain text in labels (escaping happens when writing Mermaid)", () => {
    const flow = buildFlow(idealTrace("/<img src=x onerror=alert(1)>"));
    expect(flow.items).toContainEqual(expect.objectContaining({ kind: "arrow", label: "Request to actor\nGET /<img src=x onerror=alert(1)>" }));
  });
});

describe("runners", () => {
  it("merged: one lifeline per runner role, with the reference's notes for more than one runner", () => {
    const flow = buildFlow(messyTrace());
    expect(flow.participants.filter((p) => p.role === "Runner").map((p) => p.id)).toEqual(["R"]);
    const runnerNotes = notes(flow.items).filter((n) => n.kind === "note" && n.seq === undefined);
    expect(runnerNotes).toEqual([
      { kind: "note", over: ["R", "RWF"], text: "For simplicity, this represents multiple\nrunners/runner workflows" },
      { kind: "note", over: ["R", "SE"], text: "Second runner" },
    ]);
    expect(flow.items[0]).toEqual(runnerNotes[0]);
    // "Second runner" comes right before the second runner's first event (its "Same process").
    const second = flow.items.indexOf(runnerNotes[1]);
    expect(flow.items[second + 1]).toMatchObject({ kind: "relation", from: "SE", to: "R", label: "Same process" });
  });

  it("merged: no runner notes when only one runner appears", () => {
    expect(notes(buildFlow(idealTrace()).items).every((n) => n.seq !== undefined)).toBe(true);
  });

  it("counts a runner once even when its socket shows up before the event that ties it to its process", () => {
    const b = new TraceBuilder();
    const process = ref("Runner", "runner-1");
    const socket = ref("RunnerWS", "runner-1/ws-1");
    const workflow = ref("RunnerWorkflow", "runner-716c4306");
    b.rel(SE, process, "Same process");
    b.phase("runner connection", null);
    b.events.at(-1)!.from = socket; // the engine names the phase's owner
    b.chore(socket, null, "state", "socket open");
    b.runnerId = "runner-716c4306";
    b.msg(socket, workflow, "CreateRunnerWorkflow", "Create runner workflow");
    b.runnerId = null;
    b.msg(process, socket, "ToServerInit", "Connect");
    b.end();
    const merged = buildFlow(b.events, { detail: "full" });
    expect(notes(merged.items).filter((n) => n.seq === undefined)).toEqual([]);
    const split = buildFlow(b.events, { detail: "full", runners: "split" });
    expect(split.participants.map((p) => p.id)).toEqual(["R1", "RWS1", "RWF1", "SE"]);
  });

  it("names the third and later runners", () => {
    const b = new TraceBuilder();
    for (const n of [1, 2, 3]) connectRunner(b, n);
    const texts = notes(buildFlow(b.events).items).map((n) => n.kind === "note" && n.text);
    expect(texts).toEqual([expect.stringContaining("For simplicity"), "Second runner", "Third runner"]);
  });

  it("split: each runner gets its own R / RWS / RWF lifelines, numbered by first appearance", () => {
    const flow = buildFlow(messyTrace(), { runners: "split" });
    expect(flow.participants.map((p) => p.id)).toEqual(["U", "G", "R1", "R2", "RWS1", "RWS2", "RWF1", "RWF2", "AWF", "S", "SE"]);
    expect(flow.participants.find((p) => p.id === "RWS2")?.title).toBe("Runner WS 2");
    expect(notes(flow.items).some((n) => n.seq === undefined)).toBe(false);
    // The process, socket and workflow of runner 2 have different ids but one number.
    const connect = flow.items.filter((i) => i.kind === "arrow" && i.label === "Connect");
    expect(connect).toMatchObject([{ from: "R1", to: "RWS1" }, { from: "R2", to: "RWS2" }]);
    const create = flow.items.filter((i) => i.kind === "arrow" && i.label === "Create runner workflow");
    expect(create).toMatchObject([{ from: "RWS1", to: "RWF1" }, { from: "RWS2", to: "RWF2" }]);
  });
});

describe("filters", () => {
  it("hideRoles drops events on those lifelines and their declarations", () => {
    const flow = buildFlow(idealTrace(), { hideRoles: ["ServerlessEndpoint", "Serverless"] });
    expect(flow.participants.map((p) => p.id)).not.toContain("SE");
    expect(flow.participants.map((p) => p.id)).not.toContain("S");
    expect(flow.items.some((i) => i.kind === "arrow" && (i.to === "S" || i.to === "SE"))).toBe(false);
    expect(flow.items.some((i) => i.kind === "relation")).toBe(false);
  });

  it("hideTypes drops events of those types", () => {
    const flow = buildFlow(idealTrace(), { hideTypes: ["Wake", "publish-ready"] });
    expect(flow.items.some((i) => i.kind === "arrow" && i.label === "Wake")).toBe(false);
    expect(flow.items.some((i) => i.kind === "note" && i.text === "Publish Ready msg")).toBe(false);
    expect(countItems(flow).arrows).toBe(18);
  });

  it("rejects unknown option values with a coded error", () => {
    expect(() => buildFlow([], { detail: "everything" as "full" })).toThrow(DiagramError);
    expect(() => buildFlow([], { runners: "apart" as "split" })).toThrow(/runners must be/);
    try {
      buildFlow([], { hideRoles: ["Nobody" as "User"] });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "invalid_options" });
    }
  });
});
