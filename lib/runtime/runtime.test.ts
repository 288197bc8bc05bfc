// The runtime shell with stand-in participants: mailboxes one step at a time, processing time, hop
// latency, timers on the virtual clock, recording, and hop faults.
import { describe, expect, it } from "vitest";
import { engineConfig, type LatencyConfig } from "../engine/config";
import type { Message } from "../engine/messages";
import type { Fx } from "../engine/core/fx";
import type { Input } from "../engine/core/module";
import type { ParticipantRef, TraceEvent } from "../trace/types";
import type { HopFault } from "./faults";
import { EngineRuntime } from "./runtime";
import { scripted, type Scripted } from "./testing-participants";

const SENDER: ParticipantRef = { role: "Gateway", id: "gateway" };
const RECEIVER: ParticipantRef = { role: "ActorWorkflow", id: "a" };
const wake = (attempt: number, actorId = "a"): Message => ({ type: "Wake", actorId, retry: false, attempt, requestId: null });

/** The probes' timers and commands: named by the test. */
interface Named {
  name: string;
}
type ProbeInput = Input<Named, Named>;
type Probe = Scripted<ProbeInput>;

function setup(options: { faults?: HopFault[]; latency?: Partial<LatencyConfig>; react?: (input: ProbeInput, fx: Fx) => void } = {}) {
  const events: TraceEvent[] = [];
  const runtime = new EngineRuntime({ config: engineConfig({ latency: options.latency }), seed: 1, sink: (e) => events.push(e), faults: options.faults });
  const sender = scripted(SENDER, options.react);
  const receiver = scripted<Named, Named>(RECEIVER);
  runtime.add(sender.instance);
  runtime.add(receiver.instance);
  return { runtime, events, sender, receiver };
}

const attempts = (probe: Probe) => probe.handled.map((h) => (h.input.kind === "message" && h.input.msg.type === "Wake" ? h.input.msg.attempt : h.input.kind));

describe("EngineRuntime", () => {
  it("records an engine message when sent and delivers it after the hop latency", () => {
    const { runtime, events, receiver } = setup({ latency: { hops: { "Gateway>ActorWorkflow": 7 }, processingMs: { ActorWorkflow: 0 } } });
    runtime.inject(SENDER, RECEIVER, wake(1), "Wake");
    expect(events).toMatchObject([{ seq: 1, time: 0, kind: "message", type: "Wake", actorId: "a", label: "Wake" }]);
    runtime.advanceTo(6);
    expect(receiver.handled).toHaveLength(0);
    runtime.advanceTo(7);
    expect(receiver.handled.map((h) => h.at)).toEqual([7]);
  });

  it("handles one input at a time, in arrival order, each committing after the processing time", () => {
    const { runtime, receiver } = setup();
    for (const attempt of [1, 2, 3]) runtime.inject(SENDER, RECEIVER, wake(attempt), "Wake");
    runtime.advanceTo(1_000);
    expect(attempts(receiver)).toEqual([1, 2, 3]);
    // One hop (1 ms), then 20 ms per actor-workflow step, one after the other.
    expect(receiver.handled.map((h) => h.at)).toEqual([21, 41, 61]);
  });

  it("records a message from outside the engine when its receiver takes it, with the input's cause", () => {
    const user: ParticipantRef = { role: "User", id: "u" };
    const { runtime, events } = setup({ react: (_input, fx) => fx.note({ type: "narrative", label: "Seen" }) });
    runtime.inject(user, SENDER, { type: "UserRequest", requestId: "r", actorId: "a", method: "GET", path: "/", headers: {}, body: null }, "GET /");
    expect(events).toHaveLength(0);
    runtime.advanceTo(10);
    expect(events.map((e) => [e.seq, e.type, e.time, e.causeSeq])).toEqual([
      [1, "UserRequest", 1, null],
      [2, "narrative", 1, 1],
    ]);
  });

  it("fires timers on the virtual clock, never after a cancel", () => {
    const fired: string[] = [];
    const { runtime } = setup({
      react: (input, fx) => {
        if (input.kind === "timer") return void fired.push(`${input.timer.name}@${fx.now}`);
        fx.setTimer({ name: "kept" }, 500);
        fx.cancelTimer(fx.setTimer({ name: "cancelled" }, 400));
      },
    });
    runtime.inject({ role: "User", id: "u" }, SENDER, wake(1), "Wake");
    runtime.advanceTo(500);
    expect(fired).toEqual([]);
    runtime.advanceTo(2_000);
    expect(fired).toEqual(["kept@501"]);
  });

  it.each([0, 20])("runs a continuation after its step has committed, before other mail (processing %i ms)", (processingMs) => {
    const order: string[] = [];
    const { runtime } = setup({
      latency: { processingMs: { Gateway: processingMs } },
      react: (input, fx) => {
        const name = input.kind === "message" && input.msg.type === "Wake" ? `wake-${input.msg.attempt}` : input.kind === "command" ? input.command.name : input.kind;
        order.push(`${name} begins`);
        if (input.kind === "message") fx.continueWith<Named>({ name: "next" });
        order.push(`${name} ends`);
      },
    });
    runtime.inject({ role: "User", id: "u" }, SENDER, wake(1), "Wake");
    runtime.inject({ role: "User", id: "u" }, SENDER, wake(2), "Wake");
    runtime.advanceTo(1_000);
    expect(order).toEqual(["wake-1 begins", "wake-1 ends", "next begins", "next ends", "wake-2 begins", "wake-2 ends", "next begins", "next ends"]);
  });

  it("transit fault: recorded at send, delivered late", () => {
    const { runtime, events, receiver } = setup({ faults: [{ to: "ActorWorkflow", mode: "transit", ms: 100 }] });
    runtime.inject(SENDER, RECEIVER, wake(1), "Wake");
    expect(events[0].time).toBe(0);
    runtime.advanceTo(1_000);
    expect(receiver.handled.map((h) => h.at)).toEqual([121]);
  });

  it("drop fault: recorded, then noted as lost in transit, never delivered", () => {
    const { runtime, events, receiver } = setup({ faults: [{ to: "ActorWorkflow", mode: "drop" }] });
    runtime.inject(SENDER, RECEIVER, wake(1), "Wake");
    runtime.advanceTo(1_000);
    expect(receiver.handled).toHaveLength(0);
    expect(events.map((e) => [e.type, e.housekeeping, e.causeSeq])).toEqual([
      ["Wake", false, null],
      ["dropped", true, 1],
    ]);
  });

  it("hold fault: the sender keeps the message, which is lost if the sender closes meanwhile", () => {
    const held = setup({ faults: [{ to: "ActorWorkflow", mode: "hold", ms: 100 }] });
    held.runtime.inject(SENDER, RECEIVER, wake(1), "Wake");
    expect(held.events).toHaveLength(0);
    held.runtime.advanceTo(1_000);
    expect(held.events.map((e) => [e.type, e.time])).toEqual([["Wake", 100]]);
    expect(held.receiver.handled.map((h) => h.at)).toEqual([121]);

    const closing = setup({ faults: [{ to: "ActorWorkflow", mode: "hold", ms: 100 }], react: (_input, fx) => fx.close() });
    closing.runtime.inject(SENDER, RECEIVER, wake(1), "Wake");
    closing.runtime.command(SENDER, { name: "shut" });
    closing.runtime.advanceTo(1_000);
    expect(closing.receiver.handled).toHaveLength(0);
    expect(closing.events.map((e) => e.type)).toEqual(["dropped"]);
  });

  it("delivers nothing to a closed participant, and forgets it", () => {
    const { runtime, receiver } = setup();
    const closing = scripted({ role: "ActorWorkflow", id: "b" }, (_input, fx) => fx.close());
    runtime.add(closing.instance);
    runtime.inject(SENDER, closing.ref, wake(1, "b"), "Wake");
    runtime.inject(SENDER, closing.ref, wake(2, "b"), "Wake");
    runtime.inject(SENDER, RECEIVER, wake(3), "Wake");
    runtime.advanceTo(1_000);
    expect(runtime.isOpen(closing.ref)).toBe(false);
    expect(closing.handled).toHaveLength(1);
    // Forgotten: the runtime holds no state for it any more.
    expect(runtime.stateOf(closing.ref)).toBeNull();
    expect(attempts(receiver)).toEqual([3]);
  });
});
