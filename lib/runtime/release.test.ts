// The runtime forgets what is over (closed and retired participants, phases that can no longer be
// resolved, cancelled timers) without changing what it records.
import { describe, expect, it } from "vitest";
import { engineConfig } from "../engine/config";
import type { Message } from "../engine/messages";
import type { Ctx, Input, Participant } from "../engine/participant";
import type { ParticipantRef, TraceEvent } from "../trace/types";
import type { HopFault } from "./faults";
import { EngineRuntime } from "./runtime";
import { builtInScenarios } from "./scenarios";
import { EngineSession, scenarioDuration } from "./engine-session";

const GATEWAY: ParticipantRef = { role: "Gateway", id: "gateway" };
const wake = (attempt: number): Message => ({ type: "Wake", actorId: "a", retry: false, attempt, requestId: null });

/** A participant whose steps are written by the test. */
class Scripted implements Participant {
  readonly handled: Input[] = [];
  constructor(
    readonly ref: ParticipantRef,
    private readonly step: (input: Input, ctx: Ctx) => void = () => {},
  ) {}
  handle(input: Input, ctx: Ctx): void {
    this.handled.push(input);
    this.step(input, ctx);
  }
}

function runtimeWith(faults: HopFault[] = []) {
  const events: TraceEvent[] = [];
  // No processing time: every step runs when its input arrives.
  const config = engineConfig({ latency: { defaultHopMs: 0, processingMs: { ActorWorkflow: 0, RunnerWorkflow: 0, Serverless: 0 } } });
  const runtime = new EngineRuntime({ config, seed: 1, sink: (event) => events.push(event), faults });
  return { runtime, events };
}

describe("releasing what is over", () => {
  it("forgets a user that closed after its answer; what is sent to it later is still recorded", () => {
    const { runtime, events } = runtimeWith();
    // The gateway answers each request; each user closes on its answer.
    const gateway = new Scripted(GATEWAY, (input, ctx) => {
      if (input.kind === "message") ctx.send(input.from, wake(0), { label: "answer" });
      if (input.kind === "continue") ctx.send({ role: "User", id: input.name }, wake(0), { label: "late answer" });
    });
    runtime.add(gateway);
    const users = Array.from({ length: 50 }, (_, i) => new Scripted({ role: "User", id: `user-${i + 1}` }, (input, ctx) => ctx.close()));
    for (const user of users) {
      runtime.add(user);
      runtime.inject(user.ref, GATEWAY, wake(1), "request");
    }
    expect(runtime.footprint().roles.User).toBe(50);
    runtime.advanceTo(10);
    expect(users.every((user) => user.handled.length === 1)).toBe(true);
    expect(runtime.footprint()).toMatchObject({ participants: 1, roles: { Gateway: 1 } });
    expect(runtime.get(users[6].ref)).toBeUndefined();
    expect(runtime.isOpen(users[6].ref)).toBe(false);

    // A late message to a forgotten user: recorded when sent, delivered to no one.
    const recorded = events.length;
    runtime.command(GATEWAY, "user-7", null);
    runtime.advanceTo(20);
    expect(events.slice(recorded).map((e) => [e.label, e.to?.id])).toEqual([["late answer", "user-7"]]);
    expect(users[6].handled).toHaveLength(1);
  });

  it("retires a participant from outside once its mailbox is empty, and then takes nothing", () => {
    const { runtime } = runtimeWith();
    const runner = new Scripted({ role: "Runner", id: "runner-1" });
    runtime.add(runner);
    runtime.inject(GATEWAY, runner.ref, wake(1), "Wake");
    runtime.retire(runner.ref);
    // Idle when retired: gone at once, and the message still in transit is dropped, as for any closed participant.
    expect(runtime.get(runner.ref)).toBeUndefined();
    runtime.advanceTo(5);
    expect(runner.handled).toEqual([]);

    // Busy when retired: it finishes what is in its mailbox first.
    const seen: string[] = [];
    const worker = new Scripted({ role: "Runner", id: "runner-2" }, (input, ctx) => {
      if (input.kind !== "continue") return;
      seen.push(input.name);
      if (input.name === "first") {
        runtime.retire(ctx.self);
        ctx.continueWith("second");
      }
    });
    runtime.add(worker);
    runtime.command(worker.ref, "first", null);
    runtime.advanceTo(6);
    expect(seen).toEqual(["first", "second"]);
    expect(runtime.get(worker.ref)).toBeUndefined();
    runtime.command(worker.ref, "third", null);
    runtime.advanceTo(7);
    expect(seen).toEqual(["first", "second"]);
  });

  it("keeps closed participants when a hold fault must tell them from unknown senders", () => {
    const { runtime, events } = runtimeWith([{ from: "User", to: "Gateway", mode: "hold", ms: 10 }]);
    const gateway = new Scripted(GATEWAY);
    runtime.add(gateway);
    // The user sends, then closes while its message is held: the message is dropped.
    const user = new Scripted({ role: "User", id: "u" }, (input, ctx) => {
      ctx.send(GATEWAY, wake(1), { label: "held" });
      ctx.close();
    });
    runtime.add(user);
    runtime.command(user.ref, "go", null);
    runtime.advanceTo(20);
    expect(runtime.get(user.ref)).toBeDefined();
    expect(gateway.handled).toEqual([]);
    expect(events.map((e) => e.label)).toEqual(["Dropped held Wake<br/>(sender closed)"]);
  });

  it("forgets each phase once it can resolve to no open phase, and resolves events as before", () => {
    const { runtime, events } = runtimeWith();
    const phases: Record<string, number> = {};
    const actor = new Scripted({ role: "ActorWorkflow", id: "a" }, (input, ctx) => {
      if (input.kind !== "continue") return;
      const [verb, name, parent] = (input.name as string).split(" ");
      if (verb === "start") {
        if (parent) ctx.usePhase(phases[parent]);
        phases[name] = ctx.phaseStart(name);
      } else if (verb === "end") ctx.phaseEnd(phases[name]);
      else if (verb === "note") {
        ctx.usePhase(phases[name]);
        ctx.note("probe", `in ${name}`);
      }
    });
    runtime.add(actor);
    const step = (name: string) => {
      runtime.command(actor.ref, name, null);
      runtime.advanceTo(runtime.now + 1);
    };
    step("start outer");
    step("start inner outer");
    step("start leaf inner");
    step("end leaf");
    step("end inner");
    // Closed, but resolved through to the open outer phase: kept.
    expect(runtime.footprint()).toMatchObject({ phases: 3, openPhases: 1 });
    step("note leaf");
    expect(events.at(-1)).toMatchObject({ label: "in leaf", phaseId: phases.outer });
    step("end outer");
    expect(runtime.footprint()).toMatchObject({ phases: 0, openPhases: 0 });
    step("note leaf");
    expect(events.at(-1)).toMatchObject({ label: "in leaf", phaseId: null });

    // A phase left open by its closed parent stays, and goes once closed.
    step("start parent");
    step("start child parent");
    step("end parent");
    // The parent resolves to no phase (nothing above it is open): forgotten; its open child stays.
    expect(runtime.footprint()).toMatchObject({ phases: 1, openPhases: 1 });
    step("note parent");
    expect(events.at(-1)).toMatchObject({ label: "in parent", phaseId: null });
    step("end child");
    expect(runtime.footprint()).toMatchObject({ phases: 0, openPhases: 0 });
  });

  it("keeps nothing of a cancelled timer but its id in the schedule", () => {
    const { runtime } = runtimeWith();
    const ids: number[] = [];
    const actor = new Scripted({ role: "ActorWorkflow", id: "a" }, (input, ctx) => {
      if (input.kind === "continue" && input.name === "arm") ids.push(ctx.setTimer("deadline", 60_000, { big: "x".repeat(1000) }));
      if (input.kind === "continue" && input.name === "disarm") ctx.cancelTimer(ids.shift() ?? null);
    });
    runtime.add(actor);
    for (let i = 0; i < 100; i++) runtime.command(actor.ref, "arm", null);
    runtime.advanceTo(1);
    expect(runtime.footprint().timers).toBe(100);
    for (let i = 0; i < 100; i++) runtime.command(actor.ref, "disarm", null);
    runtime.advanceTo(2);
    expect(runtime.footprint().timers).toBe(0);
    runtime.advanceTo(61_000);
    expect(actor.handled.filter((input) => input.kind === "timer")).toEqual([]);
    expect(runtime.footprint().scheduled).toBe(0);
  });

  it.each(builtInScenarios().map((s) => [s.name, s] as const))("%s: holds only open phases and the closed ones below them", (_name, scenario) => {
    const events: TraceEvent[] = [];
    const session = new EngineSession(scenario, scenario.seed ?? 1, (event) => events.push(event));
    const end = scenarioDuration(scenario);
    for (let at = 0; at <= end; at += 250) {
      session.runtime.advanceTo(at);
      // From the trace: a phase's parent is the phase its start was recorded in.
      const parent = new Map(events.filter((e) => e.kind === "phase-start").map((e) => [e.seq, e.phaseId]));
      const closed = new Set(events.filter((e) => e.kind === "phase-end").map((e) => e.phaseId));
      const hasOpenAncestor = (phase: number) => {
        for (let p = parent.get(phase) ?? null; p !== null; p = parent.get(p) ?? null) if (!closed.has(p)) return true;
        return false;
      };
      const needed = [...parent.keys()].filter((phase) => !closed.has(phase) || hasOpenAncestor(phase));
      expect(session.runtime.footprint().phases).toBe(needed.length);
    }
  });
});
