// The actor workflow's rules, each from a state literal and a world literal: given this state and
// input, these effects, this world afterwards.
import { describe, expect, it } from "vitest";
import type { Effect } from "../core/effects";
import type { Input, Step } from "../core/module";
import { GATEWAY, actorWorkflow, runnerWorkflow, serverless } from "../core/refs";
import { effectsOf, stepView, worldWith, type StepViewInit } from "../core/testing";
import { applyWorldOp } from "../core/world-ops";
import type { Message } from "../messages";
import { newActorRecord, type ActorRecord, type RunnerRecord, type World } from "../world";
import { actorWorkflowInstance, actorWorkflowModule, type ActorWorkflowCommand, type ActorWorkflowTimer } from "./actor-workflow";
import { initialActorWorkflowState, type ActorWorkflowState } from "./state";

const A = "a1";
const RUNNER = "runner-1";
type AwInput = Input<ActorWorkflowTimer, ActorWorkflowCommand>;

function actor(over: Partial<ActorRecord> = {}, actorId = A): ActorRecord {
  const base = newActorRecord({ actorId, name: "default", key: null, pool: "default", crashPolicy: "sleep", input: null, createTs: 0, state: "Sleeping" });
  return { ...base, ...over };
}

/** An actor that runs generation 1 on runner-1, whose start command (index 0) was sent. */
function running(over: Partial<ActorRecord> = {}): ActorRecord {
  return actor({ state: "Running", runnerId: RUNNER, generation: 1, startTs: 0, connectableTs: 0, ...over });
}

function runner(over: Partial<RunnerRecord> = {}): RunnerRecord {
  return {
    runnerId: RUNNER,
    name: "default",
    runnerKey: "key-1",
    version: 1,
    totalSlots: 1,
    freeSlots: 1,
    lastPingAt: 0,
    connId: "conn-1",
    processId: "process-1",
    draining: false,
    alive: true,
    disconnectedAt: null,
    actorIds: new Set(),
    ...over,
  };
}

function state(over: Partial<ActorWorkflowState> = {}): ActorWorkflowState {
  return { ...initialActorWorkflowState(A), ...over };
}

const message = (msg: Message, seq = 10): AwInput => ({ kind: "message", msg, from: GATEWAY, seq });
const timer = (t: ActorWorkflowTimer): AwInput => ({ kind: "timer", timer: t });
const command = (c: ActorWorkflowCommand): AwInput => ({ kind: "command", command: c });
const wake = (retry = false): Message => ({ type: "Wake", actorId: A, retry, attempt: retry ? 1 : 0, requestId: "req-1" });
const checkpoint = (generation: number, index: number) => ({ actorId: A, generation, index });

/** Runs one step, then applies its world ops to `world`, as the runtime does. */
function step(s: ActorWorkflowState, input: AwInput, world: World, init: Omit<StepViewInit, "self" | "world"> = {}): Step<ActorWorkflowState> {
  const result = actorWorkflowModule.step(s, input, stepView({ self: actorWorkflow(A), world, cause: 10, ...init }));
  for (const effect of result.effects) if (effect.kind === "world") applyWorldOp(world, effect.op);
  return result;
}

/** What the trace sees of a step: its effects without the world ops, by kind. */
const kinds = (effects: Effect[]) => effects.filter((e) => e.kind !== "world").map((e) => (e.kind === "note" ? `note:${e.note.type}` : e.kind === "send" ? `send:${e.msg.type}` : e.kind));
const notes = (effects: Effect[]) => effectsOf(effects, "note").map((e) => e.note);
const sends = (effects: Effect[]) => effectsOf(effects, "send");

describe("wake while sleeping (rule 1)", () => {
  it("takes a free slot: opens the allocation phase, starts generation+1 with checkpoint index 0, sets the start deadline", () => {
    const world = worldWith({ actors: [actor({ generation: 3 })], runners: [runner()] });
    const s = state({ lastCommandIndex: 1 });
    const { state: next, effects } = step(s, message(wake()), world, { now: 100 });

    expect(kinds(effects)).toEqual(["phase-start", "note:allocate", "note:state", "set-timer", "send:CommandStartActor"]);
    const [phase] = effectsOf(effects, "phase-start");
    expect(phase).toMatchObject({ label: "actor allocation", cause: 10, parent: null });
    expect(next.allocationPhase).toBe(phase.key);

    expect(notes(effects)[1]).toEqual({
      type: "state",
      label: "Sleeping → Starting",
      actorId: A,
      runnerId: RUNNER,
      housekeeping: true,
      payload: { from: "Sleeping", to: "Starting", generation: 4, runnerId: RUNNER },
    });
    const [deadline] = effectsOf(effects, "set-timer");
    expect(deadline).toMatchObject({ timer: { timer: "start-deadline", generation: 4 }, delayMs: 30_000 });
    expect(next.startDeadline).toBe(deadline.key);

    const [start] = sends(effects);
    expect(start.to).toEqual(runnerWorkflow(RUNNER));
    expect(start.label).toBe("Send StartActor");
    expect(start.phase).toBe(phase.key);
    expect(start.msg).toEqual({
      type: "CommandStartActor",
      runnerId: RUNNER,
      checkpoint: { actorId: A, generation: 4, index: 0 },
      config: { name: "default", key: null, createTs: 0, input: null },
    });
    expect(next.lastCommandIndex).toBe(0);

    // The slot is taken, the actor hosted, the autoscaler's counter counts it.
    expect(world.runners.get(RUNNER)).toMatchObject({ freeSlots: 0, actorIds: new Set([A]) });
    expect(world.actors.get(A)).toMatchObject({ state: "Starting", generation: 4, runnerId: RUNNER });
    expect(world.desiredSlots.get("default")).toBe(1);
  });

  it("lists the actor's hibernating WebSockets in its start command", () => {
    const world = worldWith({ actors: [actor()], runners: [runner()] });
    world.hibernatable.set(A, new Set(["ws-1", "ws-2"]));
    const { effects } = step(state(), message(wake()), world);
    expect(sends(effects)[0].msg).toMatchObject({ hibernatingRequests: ["ws-1", "ws-2"] });
  });

  it("queues the actor and bumps the autoscaler when no runner has a free slot (a stale ping does not count)", () => {
    const world = worldWith({ actors: [actor()], runners: [runner({ lastPingAt: 0 })] });
    const { state: next, effects } = step(state(), message(wake()), world, { now: 20_000 });

    expect(kinds(effects)).toEqual(["phase-start", "note:allocate", "note:no-runners-pending", "note:state", "send:Bump"]);
    expect(notes(effects)[1].label).toBe("No runners available,<br/>Start pending");
    expect(notes(effects)[2]).toMatchObject({ label: "Sleeping → Pending", runnerId: null });
    expect(sends(effects)[0]).toMatchObject({ to: serverless("default"), msg: { type: "Bump", pool: "default" } });
    expect(world.pending.get("default")).toEqual([A]);
    expect(world.actors.get(A)?.state).toBe("Pending");
    expect(world.runners.get(RUNNER)?.freeSlots).toBe(1);
    expect(next.startDeadline).toBeNull();
  });
});

describe("wakes in other states (rules 2 and 3)", () => {
  it("ignores a wake while running, with the state and retry flag in the note", () => {
    const world = worldWith({ actors: [running()], runners: [runner({ freeSlots: 0 })] });
    const first = step(state(), message(wake()), world);
    expect(kinds(first.effects)).toEqual(["note:ignored-wake"]);
    expect(notes(first.effects)[0]).toEqual({
      type: "ignored-wake",
      label: "Ignore wake because<br/>we are already allocated",
      actorId: A,
      payload: { state: "Running", retry: false },
    });
    const retry = step(state(), message(wake(true)), world);
    expect(notes(retry.effects)[0].label).toBe("Ignore retry wake (from before)<br/>because we are already allocated");
  });

  it("cannot wake an actor that is backing off", () => {
    const world = worldWith({ actors: [actor({ state: "Backoff" })] });
    const { effects } = step(state(), message(wake()), world);
    expect(notes(effects)).toEqual([{ type: "ignored-wake", label: "Cannot wake an actor that<br/>is not sleeping (Backoff)", actorId: A, payload: { state: "Backoff", retry: false } }]);
  });

  it("defers a wake during SleepIntent, reallocates once stopped through a deferred-wake continuation", () => {
    const world = worldWith({ actors: [running({ state: "SleepIntent", sleepTs: 50 })], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    const s = state({ lastCommandIndex: 1, lastEventIndex: new Map([[1, 0]]), stopDeadline: 12288 });

    const deferred = step(s, message(wake(), 20), world, { cause: 20, phase: 5, phases: { 5: {} } });
    expect(kinds(deferred.effects)).toEqual(["note:defer-wake"]);
    expect(deferred.state.rewake).toEqual({ cause: 20, phase: 5 });

    const stopped = step(s, message({ type: "EventActorStateUpdate", checkpoint: checkpoint(1, 1), update: { state: "Stopped", code: "Ok", message: null } }, 30), world, { cause: 30, now: 200 });
    // Nobody queued for the freed slot: the autoscaler hears of it.
    expect(kinds(stopped.effects)).toEqual(["cancel-timer", "note:deallocate", "send:Bump", "note:send-stopped", "continue"]);
    expect(notes(stopped.effects)[0].payload).toEqual({ runnerId: RUNNER, generation: 1, why: "stopped", reason: null });
    expect(effectsOf(stopped.effects, "continue")[0]).toMatchObject({ command: { command: "deferred-wake" }, cause: 30 });
    // Still marked as sleeping until the continuation: the state changes come with the reallocation.
    expect(world.actors.get(A)).toMatchObject({ state: "SleepIntent", runnerId: null });
    expect(world.runners.get(RUNNER)).toMatchObject({ freeSlots: 1, actorIds: new Set() });

    const again = step(s, command({ command: "deferred-wake" }), world, { cause: 30, now: 201, stepId: 7, phases: { 5: {} } });
    expect(kinds(again.effects)).toEqual(["phase-start", "note:deferred-wake", "note:allocate", "note:state", "set-timer", "send:CommandStartActor"]);
    const [phase] = effectsOf(again.effects, "phase-start");
    // Caused by the deferred wake, inside its phase.
    expect(phase).toMatchObject({ label: "actor reallocation", cause: 20, parent: 5 });
    expect(again.state.rewake).toBeNull();
    expect(again.state.allocationPhase).toBe(phase.key);
    expect(notes(again.effects)[2].label).toBe("SleepIntent → Starting");
    expect(sends(again.effects)[0].msg).toMatchObject({ checkpoint: { actorId: A, generation: 2, index: 0 } });
  });

  it("a deferred-wake continuation with no deferred wake does nothing", () => {
    const world = worldWith({ actors: [actor()] });
    expect(step(state(), command({ command: "deferred-wake" }), world).effects).toEqual([]);
  });
});

describe("running (rule 5)", () => {
  const runningUpdate = message({ type: "EventActorStateUpdate", checkpoint: checkpoint(1, 0), update: { state: "Running" } });
  const starting = () => actor({ state: "Starting", runnerId: RUNNER, generation: 1 });

  it("ends the allocation phase and publishes Ready only when a gateway waits", () => {
    const world = worldWith({ actors: [starting()], runners: [runner({ freeSlots: 0 })] });
    const { state: next, effects } = step(state({ startDeadline: 4098, allocationPhase: 7, lastCommandIndex: 0 }), runningUpdate, world, { now: 40, phases: { 7: {} } });
    expect(kinds(effects)).toEqual(["cancel-timer", "note:state", "note:publish-ready", "phase-end"]);
    expect(effectsOf(effects, "cancel-timer")[0].key).toBe(4098);
    expect(notes(effects)[1]).toEqual({ type: "publish-ready", label: "Publish Ready msg", actorId: A, runnerId: RUNNER });
    expect(effectsOf(effects, "phase-end")[0].phase).toBe(7);
    expect(next).toMatchObject({ startDeadline: null, allocationPhase: null, lastEventIndex: new Map([[1, 0]]) });
    expect(world.actors.get(A)).toMatchObject({ state: "Running", startTs: 40, connectableTs: 40 });
  });

  it("sends Ready to the gateway when it subscribes to the actor", () => {
    const world = worldWith({ actors: [starting()], runners: [runner({ freeSlots: 0 })] });
    world.subscribers.set(A, new Set(["req-1"]));
    const { effects } = step(state(), runningUpdate, world);
    const [ready] = sends(effects);
    expect(ready).toMatchObject({ to: GATEWAY, label: `Receive runner ID<br/>${RUNNER}`, msg: { type: "Ready", actorId: A, runnerId: RUNNER, generation: 1 } });
  });
});

describe("stale events", () => {
  it("ignores events of an older generation and repeated indexes", () => {
    const world = worldWith({ actors: [running({ generation: 2 })], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    const s = state({ lastEventIndex: new Map([[2, 3]]) });
    const stopped = (generation: number, index: number) => message({ type: "EventActorStateUpdate", checkpoint: checkpoint(generation, index), update: { state: "Stopped", code: "Error", message: null } });
    expect(step(s, stopped(1, 9), world).effects).toEqual([]);
    expect(step(s, stopped(2, 3), world).effects).toEqual([]);
    expect(step(s, message({ type: "EventActorIntent", checkpoint: checkpoint(2, 2), intent: "Sleep" }), world).effects).toEqual([]);
    expect(step(s, message({ type: "Lost", actorId: A, generation: 1, reason: "RunnerLost" }), world).effects).toEqual([]);
    expect(step(s, timer({ timer: "start-deadline", generation: 1 }), world).effects).toEqual([]);
    expect(s.lastEventIndex.get(2)).toBe(3);
    expect(world.actors.get(A)?.state).toBe("Running");
  });
});

describe("sleep intent (rule 4)", () => {
  it("marks the actor as sleeping, keeps the sleep phase and sends StopActor with the next index and a deadline", () => {
    const world = worldWith({ actors: [running()], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    const { state: next, effects } = step(state({ lastCommandIndex: 0 }), message({ type: "EventActorIntent", checkpoint: checkpoint(1, 1), intent: "Sleep" }), world, { now: 60, phase: 12, phases: { 12: {} } });
    expect(kinds(effects)).toEqual(["note:mark-sleeping", "note:state", "send:CommandStopActor", "set-timer"]);
    expect(sends(effects)[0].msg).toEqual({ type: "CommandStopActor", runnerId: RUNNER, checkpoint: checkpoint(1, 1) });
    expect(effectsOf(effects, "set-timer")[0]).toMatchObject({ timer: { timer: "stop-deadline", generation: 1 }, delayMs: 30_000 });
    expect(next.sleepPhase).toBe(12);
    expect(world.actors.get(A)).toMatchObject({ state: "SleepIntent", sleepTs: 60, connectableTs: null });
    // A second intent is ignored.
    expect(kinds(step(next, message({ type: "EventActorIntent", checkpoint: checkpoint(1, 2), intent: "Sleep" }), world).effects)).toEqual(["note:ignored-sleep-intent"]);
  });
});

describe("loss and deallocation (rule 6)", () => {
  const lost = message({ type: "Lost", actorId: A, generation: 1, reason: "RunnerNoResponse" });

  it("frees the slot and hands it to the first queued actor, then sleeps", () => {
    const world = worldWith({
      actors: [running(), actor({ state: "Pending" }, "b"), actor({ state: "Pending" }, "c")],
      runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })],
      pending: { default: ["b", "c"] },
      desiredSlots: { default: 3 },
    });
    const { effects } = step(state({ startDeadline: null, stopDeadline: null }), lost, world, { now: 500 });
    expect(kinds(effects)).toEqual(["note:deallocate", "send:Allocate", "note:send-stopped", "note:state"]);
    expect(notes(effects)[0]).toEqual({ type: "deallocate", label: "Deallocate", actorId: A, runnerId: RUNNER, payload: { runnerId: RUNNER, generation: 1, why: "lost", reason: "RunnerNoResponse" } });
    expect(sends(effects)[0]).toMatchObject({ to: actorWorkflow("b"), label: "Allocate", msg: { type: "Allocate", actorId: "b", runnerId: RUNNER } });
    expect(notes(effects)[2]).toMatchObject({ label: "Running → Sleeping", runnerId: null, payload: { generation: 1, runnerId: null } });
    expect(world.pending.get("default")).toEqual(["c"]);
    expect(world.runners.get(RUNNER)).toMatchObject({ freeSlots: 0, actorIds: new Set() });
    expect(world.desiredSlots.get("default")).toBe(2);
    expect(world.actors.get(A)).toMatchObject({ state: "Sleeping", runnerId: null, sleepTs: 500, connectableTs: null });
  });

  it("bumps the autoscaler when nobody is queued, and publishes Stopped to a waiting gateway", () => {
    const world = worldWith({ actors: [running()], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    world.subscribers.set(A, new Set(["req-1"]));
    const { effects } = step(state(), lost, world);
    expect(kinds(effects)).toEqual(["note:deallocate", "send:Bump", "note:send-stopped", "send:Stopped", "note:state"]);
    expect(sends(effects)[1]).toMatchObject({ to: GATEWAY, label: "Receive Stopped msg", msg: { type: "Stopped", actorId: A, generation: 1 } });
    expect(world.runners.get(RUNNER)?.freeSlots).toBe(1);
  });

  it("does not give the slot back to the index of a runner that is gone", () => {
    const world = worldWith({ actors: [running()], runners: [runner({ freeSlots: 0, alive: false, actorIds: new Set([A]) })], pending: { default: ["b"] } });
    const { effects } = step(state(), lost, world);
    expect(kinds(effects)).toEqual(["note:deallocate", "note:send-stopped", "note:state"]);
    expect(world.pending.get("default")).toEqual(["b"]);
  });

  it("treats an expired start deadline of the current generation as lost", () => {
    const world = worldWith({ actors: [actor({ state: "Starting", runnerId: RUNNER, generation: 1 })], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    const { effects } = step(state({ startDeadline: 8192 }), timer({ timer: "start-deadline", generation: 1 }), world);
    expect(kinds(effects)).toEqual(["note:deadline-expired", "cancel-timer", "note:deallocate", "send:Bump", "note:send-stopped", "note:state"]);
    expect(notes(effects)[0]).toEqual({ type: "deadline-expired", label: "Start deadline expired,<br/>treat as lost", actorId: A, payload: { generation: 1 } });
    expect(notes(effects)[1].payload).toMatchObject({ why: "lost", reason: "RunnerNoResponse" });
  });

  it("gives back a slot reserved for an actor that is no longer pending, to the next queued one", () => {
    const world = worldWith({ actors: [running({ runnerId: "runner-0" }), actor({ state: "Pending" }, "b")], runners: [runner({ freeSlots: 0 })], pending: { default: ["b"] } });
    const { effects } = step(state(), message({ type: "Allocate", actorId: A, runnerId: RUNNER }), world);
    expect(kinds(effects)).toEqual(["send:Allocate"]);
    expect(sends(effects)[0].msg).toEqual({ type: "Allocate", actorId: "b", runnerId: RUNNER });
    expect(world.runners.get(RUNNER)?.freeSlots).toBe(0);
    expect(world.pending.get("default")).toEqual([]);
  });
});

describe("crash policies", () => {
  const crashed = message({ type: "EventActorStateUpdate", checkpoint: checkpoint(1, 1), update: { state: "Stopped", code: "Error", message: "boom" } });

  it("restart: backs off for the drawn delay, then reallocates", () => {
    const world = worldWith({ actors: [running({ crashPolicy: "restart" })], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    const s = state({ crashCount: 1, lastCrashAt: 100, lastEventIndex: new Map([[1, 0]]) });
    const { state: next, effects } = step(s, crashed, world, { now: 1_000, random: [0.5] });
    expect(kinds(effects)).toEqual(["note:deallocate", "send:Bump", "note:send-stopped", "note:state", "note:backoff", "set-timer"]);
    expect(notes(effects)[0].payload).toMatchObject({ why: "crashed" });
    // Attempt 1: base 2000 ms plus floor(0.5 × 500 ms) of jitter.
    expect(notes(effects)[3]).toEqual({ type: "backoff", label: "Reallocate in 2250 ms<br/>(attempt 2)", actorId: A, payload: { delayMs: 2250, attempt: 2 } });
    const [backoff] = effectsOf(effects, "set-timer");
    expect(backoff).toMatchObject({ timer: { timer: "backoff" }, delayMs: 2250 });
    expect(next).toMatchObject({ crashCount: 2, lastCrashAt: 1_000, backoffTimer: backoff.key });
    expect(world.actors.get(A)?.state).toBe("Backoff");

    const realloc = step(next, timer({ timer: "backoff" }), world, { now: 3_250 });
    expect(kinds(realloc.effects)).toEqual(["phase-start", "note:allocate", "note:state", "set-timer", "send:CommandStartActor"]);
    expect(effectsOf(realloc.effects, "phase-start")[0].label).toBe("actor reallocation");
    expect(realloc.state.backoffTimer).toBeNull();
  });

  it("restart: the first crash, or one after a quiet spell, retries at once without a draw", () => {
    const world = worldWith({ actors: [running({ crashPolicy: "restart" })], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    const s = state({ crashCount: 4, lastCrashAt: 0 });
    const { state: next, effects } = step(s, crashed, world, { now: 600_001, random: [0.9] });
    expect(effectsOf(effects, "set-timer")[0].delayMs).toBe(0);
    expect(next.crashCount).toBe(1);
  });

  it("destroy: a crashed actor with the destroy policy is destroyed", () => {
    const world = worldWith({ actors: [running({ crashPolicy: "destroy" })], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    const { effects } = step(state(), crashed, world, { now: 70 });
    expect(kinds(effects)).toEqual(["note:deallocate", "send:Bump", "note:send-stopped", "note:state", "note:destroyed"]);
    expect(world.actors.get(A)).toMatchObject({ state: "Destroyed", destroyTs: 70 });
  });
});

describe("alarm", () => {
  const setAlarm = (alarmTs: number | null, index = 1) => message({ type: "EventActorSetAlarm", checkpoint: checkpoint(1, index), alarmTs });

  it("is set from the actor's runner, in engine time, and cleared by it", () => {
    const world = worldWith({ actors: [running()], runners: [runner({ freeSlots: 0 })] });
    const s = state();
    const set = step(s, setAlarm(6_000), world, { now: 1_000, config: undefined });
    expect(notes(set.effects)).toEqual([{ type: "alarm-set", label: "Alarm set for 6000 ms", actorId: A, housekeeping: true, payload: { alarmAt: 6_000 } }]);
    const [armed] = effectsOf(set.effects, "set-timer");
    expect(armed).toMatchObject({ timer: { timer: "alarm", alarmAt: 6_000 }, delayMs: 5_000 });
    expect(set.state).toMatchObject({ alarmAt: 6_000, alarmTimer: armed.key });

    const cleared = step(set.state, setAlarm(null, 2), world);
    expect(kinds(cleared.effects)).toEqual(["cancel-timer", "note:alarm-cleared"]);
    expect(effectsOf(cleared.effects, "cancel-timer")[0].key).toBe(armed.key);
    expect(cleared.state).toMatchObject({ alarmAt: null, alarmTimer: null });
  });

  it("is ignored when the actor has no runner", () => {
    const world = worldWith({ actors: [actor()] });
    expect(step(state(), setAlarm(6_000), world).effects).toEqual([]);
  });

  it("when due wakes a sleeping actor, as a root", () => {
    const world = worldWith({ actors: [actor()], runners: [runner()] });
    const { state: next, effects } = step(state({ alarmAt: 6_000, alarmTimer: 4096 }), timer({ timer: "alarm", alarmAt: 6_000 }), world, { now: 6_000, cause: 44 });
    expect(kinds(effects)).toEqual(["note:alarm-wake", "phase-start", "note:allocate", "note:state", "set-timer", "send:CommandStartActor"]);
    expect(effectsOf(effects, "note")[0]).toMatchObject({ cause: null, note: { label: "Alarm due, wake" } });
    expect(effectsOf(effects, "phase-start")[0]).toMatchObject({ label: "actor allocation", cause: null });
    expect(next).toMatchObject({ alarmAt: null, alarmTimer: null });
  });

  it("when due while stopping wakes the actor after the stop; while awake it is only cleared", () => {
    const stopping = worldWith({ actors: [running({ state: "SleepIntent" })] });
    const deferred = step(state({ alarmAt: 6_000 }), timer({ timer: "alarm", alarmAt: 6_000 }), stopping, { phase: 3, phases: { 3: {} } });
    expect(notes(deferred.effects).map((n) => n.label)).toEqual(["Alarm due, wake<br/>after stop"]);
    expect(deferred.state.rewake).toEqual({ cause: null, phase: 3 });

    const awake = step(state({ alarmAt: 6_000 }), timer({ timer: "alarm", alarmAt: 6_000 }), worldWith({ actors: [running()] }));
    expect(notes(awake.effects)).toEqual([{ type: "alarm-due", label: "Alarm due,<br/>actor awake", actorId: A, housekeeping: true }]);
    expect(awake.state.alarmAt).toBeNull();
  });

  it("ignores the timer of an alarm that was replaced", () => {
    const world = worldWith({ actors: [actor()], runners: [runner()] });
    const s = state({ alarmAt: 9_000, alarmTimer: 8192 });
    expect(step(s, timer({ timer: "alarm", alarmAt: 6_000 }), world).effects).toEqual([]);
    expect(s.alarmAt).toBe(9_000);
  });

  it("a restored alarm is armed again by the restore-alarm command (at once when already due)", () => {
    const world = worldWith({ actors: [actor()] });
    const restored = actorWorkflowInstance(A, 2_000).state as ActorWorkflowState;
    expect(restored.alarmAt).toBe(2_000);
    const { state: next, effects } = step(restored, command({ command: "restore-alarm" }), world, { now: 5_000 });
    expect(notes(effects)).toEqual([{ type: "alarm-restored", label: "Alarm restored for 2000 ms", actorId: A, housekeeping: true, payload: { alarmAt: 2_000 } }]);
    const [armed] = effectsOf(effects, "set-timer");
    expect(armed).toMatchObject({ timer: { timer: "alarm", alarmAt: 2_000 }, delayMs: 0 });
    expect(next.alarmTimer).toBe(armed.key);
    // Armed once only.
    expect(step(next, command({ command: "restore-alarm" }), world).effects).toEqual([]);
  });
});

describe("destroy (rule 8)", () => {
  const destroy = message({ type: "DestroyActor", actorId: A });

  it("while pending: leaves the queue, gives back the desired slot, bumps the pool, cancels timers and is destroyed", () => {
    const world = worldWith({ actors: [actor({ state: "Pending" })], pending: { default: ["x", A] }, desiredSlots: { default: 2 } });
    const s = state({ allocationPhase: 4, alarmAt: 9_000, alarmTimer: 4097, backoffTimer: 4096 });
    const { state: next, effects } = step(s, destroy, world, { now: 80, phases: { 4: {} } });
    expect(kinds(effects)).toEqual(["send:Bump", "cancel-timer", "cancel-timer", "note:state", "note:destroyed", "phase-end"]);
    expect(effectsOf(effects, "cancel-timer").map((e) => e.key)).toEqual([4096, 4097]);
    expect(sends(effects)[0]).toMatchObject({ to: serverless("default"), phase: 4 });
    expect(notes(effects)[0].label).toBe("Pending → Destroyed");
    expect(world.pending.get("default")).toEqual(["x"]);
    expect(world.desiredSlots.get("default")).toBe(1);
    expect(world.actors.get(A)).toMatchObject({ state: "Destroyed", destroyTs: 80 });
    expect(next).toMatchObject({ allocationPhase: null, alarmAt: null, alarmTimer: null });
  });

  it("while running: announces the destroy and stops the actor first", () => {
    const world = worldWith({ actors: [running()], runners: [runner({ freeSlots: 0, actorIds: new Set([A]) })] });
    world.subscribers.set(A, new Set(["req-1"]));
    const { effects } = step(state({ lastCommandIndex: 0 }), destroy, world);
    expect(kinds(effects)).toEqual(["send:DestroyStarted", "note:state", "send:CommandStopActor", "set-timer"]);
    expect(sends(effects)[1].msg).toMatchObject({ checkpoint: checkpoint(1, 1) });
    expect(world.actors.get(A)?.state).toBe("StopIntent");
    // Already stopping to be destroyed: a second destroy waits for the Stopped.
    expect(step(state(), destroy, world).effects).toEqual([]);
  });

  it("once destroyed, answers only wakes (ignored) and reserved slots", () => {
    const world = worldWith({ actors: [actor({ state: "Destroyed" })], runners: [runner({ freeSlots: 0 })] });
    expect(kinds(step(state(), message(wake()), world).effects)).toEqual(["note:ignored-wake"]);
    expect(step(state({ alarmAt: 1 }), timer({ timer: "alarm", alarmAt: 1 }), world).effects).toEqual([]);
    step(state(), message({ type: "Allocate", actorId: A, runnerId: RUNNER }), world);
    expect(world.runners.get(RUNNER)?.freeSlots).toBe(1);
  });
});

describe("selective receive", () => {
  const world = (s: ActorRecord["state"]) => stepView({ self: actorWorkflow(A), world: worldWith({ actors: [actor({ state: s })] }) }).world;

  it("while Pending listens only for its Allocate, a destroy, timers and commands", () => {
    const listens = (input: AwInput) => actorWorkflowModule.listensFor!(state(), input, world("Pending"));
    expect(listens(message(wake()))).toBe(false);
    expect(listens(message({ type: "EventActorIntent", checkpoint: checkpoint(0, 0), intent: "Sleep" }))).toBe(false);
    expect(listens(message({ type: "Allocate", actorId: A, runnerId: RUNNER }))).toBe(true);
    expect(listens(message({ type: "DestroyActor", actorId: A }))).toBe(true);
    expect(listens(timer({ timer: "backoff" }))).toBe(true);
    expect(listens(command({ command: "deferred-wake" }))).toBe(true);
  });

  it("otherwise listens for everything, up to 256 signals a step", () => {
    expect(actorWorkflowModule.listensFor!(state(), message(wake()), world("Sleeping"))).toBe(true);
    expect(actorWorkflowModule.stepBatch).toBe(256);
  });
});
