// Stand-in participants for the runtime's own tests. Each records what it took and at what engine
// time, and lets the test act where a real participant would: inside a step, through the same Fx
// a module uses, or on delivery, through the port an outside participant gets. Only tests import
// this module.
import { Fx } from "../engine/core/fx";
import { instance, outside, type Delivered, type Input, type Instance, type OutsidePort, type ParticipantModule } from "../engine/core/module";
import type { ParticipantRef } from "../trace/types";

export interface Handled<I> {
  input: I;
  /** Engine time of the step (or delivery) that took it. */
  at: number;
}

export interface Scripted<I> {
  ref: ParticipantRef;
  instance: Instance;
  /** What it took, in order. For a module this is its state, so the runtime holds it while it holds the module. */
  handled: Handled<I>[];
}

/** A module whose steps the test writes: `react` runs inside each step, after the input is recorded. */
export function scripted<T = unknown, C = unknown>(ref: ParticipantRef, react: (input: Input<T, C>, fx: Fx) => void = () => {}): Scripted<Input<T, C>> {
  const participant: ParticipantModule<Handled<Input<T, C>>[], T, C> = {
    role: ref.role,
    step(handled, input, view) {
      handled.push({ input, at: view.now });
      const fx = new Fx(view);
      react(input, fx);
      return fx.done(handled);
    },
  };
  const handled: Handled<Input<T, C>>[] = [];
  return { ref, instance: instance(ref, participant, handled), handled };
}

/** Something outside the engine (a user, a runner behind a socket): it is delivered messages and runs no steps. */
export function scriptedOutside(ref: ParticipantRef, react: (input: Delivered, port: OutsidePort) => void = () => {}): Scripted<Delivered> {
  const handled: Handled<Delivered>[] = [];
  const participant = outside({
    ref,
    receive(input, port) {
      handled.push({ input, at: port.now });
      react(input, port);
    },
  });
  return { ref, instance: participant, handled };
}
