// The runtime forgets what is over (closed and retired participants, phases that can no longer be
// resolved, cancelled timers) without changing what it records.
import { describe, expect, it } from "vitest";
import { engineConfig } from "../engine/config";
import type { Message } from "../engine/messages";
import type { TimerRef } from "../engine/core/effects";
import type { ParticipantRef, TraceEvent } from "../trace/types";
import type { HopFault } from "./faults";
import { EngineRuntime } from "./runtime";
import { builtInScenarios } from "./scenarios";
import { EngineSession, scenarioDuration } from "./engine-session";
import { scripted, scriptedOutside } from "./testing-participants";

const GATEWAY: ParticipantRef = { role: "Gateway", id: "gateway" };
const wake = (attempt: number): Message => ({ type: "Wake", actorId: "a", retry: false, attempt, requestId: null });

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
    const gateway = scripted<never, { user: string }>(GATEWAY, (input, fx) => {
      if (input.kind === "message") fx.send(input.from, wake(0), { label: "answer" });
      if (input.kind === "command") fx.send({ role: "User", id: input.command.user }, wake(0), { label: "late answer" });
    });
    runtime.add(gateway.instance);
    // Users are outside the engine, as the live gateway's are.
    const users = Array.from({ length: 50 }, (_, i) => scriptedOutside({ role: "User", id: `user-${i + 1}` }, (_input, port) => port.close()));
    for (const user of users) {
      runtime.add(user.instance);
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
    runtime.command(GATEWAY, { user: "user-7" });
    runtime.advanceTo(20);
    expect(events.slice(recorded).map((e) => [e.label, e.to?.id])).toEqual([["late answer", "user-7"]]);
    expect(users[6].handled).toHaveLength(1);
  });

  it("retires a participant from outside once its mailbox is empty, and then takes nothing", () => {
    const { runtime } = runtimeWith();
    const runner = scriptedOutside({ role: "Runner", id: "runner-1" });
    runtime.add(runner.instance);
    runtime.inject(GATEWAY, runner.ref, wake(1), "Wake");
    runtime.retire(runner.ref);
    // Idle when retired: gone at once, and the message still in transit is dropped, as for any closed participant.
    expect(runtime.get(runner.ref)).toBeUndefined();
    runtime.advanceTo(5);
    expect(runner.handled).toEqual([]);

    // Busy when retired: it finishes what is in its mailbox first.
    const seen: string[] = [];
    // A step of its own runs on a command, so this one is a module.
    const worker = scripted<never, { name: string }>({ role: "Runner", id: "runner-2" }, (input, fx) => {
      if (input.kind !== "command") return;
      seen.push(input.command.name);
      if (input.command.name === "first") {
        runtime.retire(fx.self);
        fx.continueWith({ name: "second" });
      }
    });
    runtime.add(worker.instance);
    runtime.command(worker.ref, { name: "first" });
    runtime.advanceTo(6);
    expect(seen).toEqual(["first", "second"]);
    expect(runtime.stateOf(worker.ref)).toBeNull();
    runtime.command(worker.ref, { name: "third" });
    runtime.advanceTo(7);
    expect(seen).toEqual(["first", "second"]);
  });

  it("keeps closed participants when a hold fault must tell them from unknown senders", () => {
    const { runtime, events } = runtimeWith([{ from: "User", to: "Gateway", mode: "hold", ms: 10 }]);
    const gateway = scripted(GATEWAY);
    runtime.add(gateway.instance);
    // The user sends, then closes while its message is held: the message is dropped. It acts in
    // a step, on a command, so it is a module.
    const user = scripted({ role: "User", id: "u" }, (_input, fx) => {
      fx.send(GATEWAY, wake(1), { label: "held" });
      fx.close();
    });
    runtime.add(user.instance);
    runtime.command(user.ref, { name: "go" });
    runtime.advanceTo(20);
    // Closed, and still held by the runtime.
    expect(runtime.isOpen(user.ref)).toBe(false);
    expect(runtime.stateOf(user.ref)).toBe(user.handled);
    expect(gateway.handled).toEqual([]);
    expect(events.map((e) => e.label)).toEqual(["Dropped held Wake<br/>(sender closed)"]);
  });

  it("forgets each phase once it can resolve to no open phase, and resolves events as before", () => {
    const { runtime, events } = runtimeWith();
    // The key each phase's step gave it; the runtime resolves keys to the recorded phases.
    const phases: Record<string, string> = {};
    const actor = scripted<never, { command: string }>({ role: "ActorWorkflow", id: "a" }, (input, fx) => {
      if (input.kind !== "command") return;
      const [verb, name, parent] = input.command.command.split(" ");
      if (verb === "start") {
        if (parent) fx.usePhase(phases[parent]);
        phases[name] = fx.phaseStart(name);
      } else if (verb === "end") fx.phaseEnd(phases[name]);
      else if (verb === "note") {
        fx.usePhase(phases[name]);
        fx.note({ type: "narrative", label: `in ${name}` });
      }
    });
    runtime.add(actor.instance);
    const step = (command: string) => {
      runtime.command(actor.ref, { command });
      runtime.advanceTo(runtime.now + 1);
    };
    const recorded = (label: string) => events.find((e) => e.kind === "phase-start" && e.label === label)!.seq;
    step("start outer");
    step("start inner outer");
    step("start leaf inner");
    step("end leaf");
    step("end inner");
    // Closed, but resolved through to the open outer phase: kept.
    expect(runtime.footprint()).toMatchObject({ phases: 3, openPhases: 1 });
    step("note leaf");
    expect(events.at(-1)).toMatchObject({ label: "in leaf", phaseId: recorded("outer") });
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
    const ids: TimerRef[] = [];
    const actor = scripted<{ name: string; data: unknown }, { name: string }>({ role: "ActorWorkflow", id: "a" }, (input, fx) => {
      if (input.kind === "command" && input.command.name === "arm") ids.push(fx.setTimer({ name: "deadline", data: { big: "x".repeat(1000) } }, 60_000));
      if (input.kind === "command" && input.command.name === "disarm") fx.cancelTimer(ids.shift() ?? null);
    });
    runtime.add(actor.instance);
    for (let i = 0; i < 100; i++) runtime.command(actor.ref, { name: "arm" });
    runtime.advanceTo(1);
    expect(runtime.footprint().timers).toBe(100);
    for (let i = 0; i < 100; i++) runtime.command(actor.ref, { name: "disarm" });
    runtime.advanceTo(2);
    expect(runtime.footprint().timers).toBe(0);
    runtime.advanceTo(61_000);
    expect(actor.handled.filter((h) => h.input.kind === "timer")).toEqual([]);
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
