// Selective receive and batched steps in the runtime, with a stand-in workflow: a step takes the
// queued inputs its participant listens for (up to its batch size), the others stay queued in order.
import { describe, expect, it } from "vitest";
import { engineConfig } from "../engine/config";
import type { Message } from "../engine/messages";
import { instance, type Input, type ParticipantModule } from "../engine/core/module";
import type { ParticipantRef } from "../trace/types";
import { EngineRuntime } from "./runtime";
import { scripted } from "./testing-participants";

const GATEWAY: ParticipantRef = { role: "Gateway", id: "gateway" };
const WORKFLOW: ParticipantRef = { role: "ActorWorkflow", id: "a" };
const wake = (attempt: number): Message => ({ type: "Wake", actorId: "a", retry: false, attempt, requestId: null });
const allocate: Message = { type: "Allocate", actorId: "a", runnerId: "r" };

interface WaiterState {
  waiting: boolean;
  taken: { what: string; at: number }[];
}

/**
 * Waits for Allocate only while `waiting`; Allocate ends the wait. Records what it took, and when.
 * Each step returns a new state, so what it listens for is read from the state the runtime kept.
 */
function waiterModule(stepBatch: number): ParticipantModule<WaiterState> {
  return {
    role: "ActorWorkflow",
    stepBatch,
    listensFor(state: WaiterState, input: Input): boolean {
      return !state.waiting || (input.kind === "message" && input.msg.type === "Allocate");
    },
    step(state, input, view) {
      const what = input.kind === "message" ? (input.msg.type === "Wake" ? `wake-${input.msg.attempt}` : input.msg.type) : input.kind;
      const waiting = what === "Allocate" ? false : what === "wake-1" ? true : state.waiting;
      return { state: { waiting, taken: [...state.taken, { what, at: view.now }] }, effects: [] };
    },
  };
}

function setup(options: { stepBatch?: number; waiting?: boolean } = {}) {
  const runtime = new EngineRuntime({ config: engineConfig(), seed: 1, sink: () => {} });
  runtime.add(scripted(GATEWAY).instance);
  runtime.add(instance(WORKFLOW, waiterModule(options.stepBatch ?? 1), { waiting: options.waiting ?? true, taken: [] }));
  const taken = () => runtime.stateOf<WaiterState>(WORKFLOW)!.taken;
  return { runtime, taken };
}

describe("selective receive", () => {
  it("takes the input it waits for past the queued ones, which follow in order afterwards", () => {
    const { runtime, taken } = setup();
    for (const attempt of [2, 3, 4]) runtime.inject(GATEWAY, WORKFLOW, wake(attempt), "Wake");
    runtime.advanceTo(100);
    expect(taken()).toEqual([]);
    runtime.inject(GATEWAY, WORKFLOW, allocate, "Allocate");
    runtime.advanceTo(1_000);
    // The Allocate is one step (20 ms) after its arrival; the wakes follow, one step each.
    expect(taken()).toEqual([
      { what: "Allocate", at: 121 },
      { what: "wake-2", at: 141 },
      { what: "wake-3", at: 161 },
      { what: "wake-4", at: 181 },
    ]);
  });

  it("takes a batch of queued inputs in one step, all at its commit time", () => {
    const { runtime, taken } = setup({ stepBatch: 256, waiting: false });
    for (const attempt of [2, 3, 4, 5]) runtime.inject(GATEWAY, WORKFLOW, wake(attempt), "Wake");
    runtime.advanceTo(1_000);
    // The first step starts as soon as wake-2 arrives; it takes what has arrived by then. The
    // three that arrive while it runs are taken together by the next one.
    expect(taken()).toEqual([
      { what: "wake-2", at: 21 },
      ...[3, 4, 5].map((n) => ({ what: `wake-${n}`, at: 41 })),
    ]);
  });

  it("puts back the rest of a batch that its participant no longer listens for, for after the Allocate", () => {
    const { runtime, taken } = setup({ stepBatch: 256, waiting: false });
    // While it handles wake-0, three wakes queue up and the next step takes them as one batch.
    // wake-1 makes it wait for an Allocate: wake-2 and wake-3 go back to the queue.
    runtime.inject(GATEWAY, WORKFLOW, wake(0), "Wake");
    runtime.advanceTo(5);
    for (const attempt of [1, 2, 3]) runtime.inject(GATEWAY, WORKFLOW, wake(attempt), "Wake");
    runtime.advanceTo(100);
    expect(taken().map((t) => t.what)).toEqual(["wake-0", "wake-1"]);
    runtime.inject(GATEWAY, WORKFLOW, allocate, "Allocate");
    runtime.advanceTo(1_000);
    expect(taken()).toEqual([
      { what: "wake-0", at: 21 },
      { what: "wake-1", at: 41 },
      { what: "Allocate", at: 121 },
      { what: "wake-2", at: 141 },
      { what: "wake-3", at: 141 },
    ]);
  });
});
