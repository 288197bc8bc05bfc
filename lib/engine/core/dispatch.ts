// A module's step handed to the part that takes that kind of input: a message, one of its timers,
// or one of its commands. A kind without a handler is ignored (a participant no command reaches).
import { assertNever } from "../messages";
import type { Fx } from "./fx";
import type { Delivered, Input } from "./module";

export interface InputHandlers<S, T, C> {
  message?(state: S, input: Delivered, fx: Fx): void;
  timer?(state: S, timer: T, fx: Fx): void;
  command?(state: S, command: C, fx: Fx): void;
}

export function dispatch<S, T, C>(state: S, input: Input<T, C>, fx: Fx, handlers: InputHandlers<S, T, C>): void {
  switch (input.kind) {
    case "message":
      return handlers.message?.(state, input, fx);
    case "timer":
      return handlers.timer?.(state, input.timer, fx);
    case "command":
      return handlers.command?.(state, input.command, fx);
    default:
      return assertNever(input);
  }
}
