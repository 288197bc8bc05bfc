// The gateway (engine.md §6), HTTP and WebSocket in one participant: a socket's own tunnel
// messages go to the socket rules; the actor's topic (Ready, Stopped, Failed, DestroyStarted) goes
// to the sockets first, then to the requests; everything else to the requests.
import { dispatch } from "../core/dispatch";
import { Fx } from "../core/fx";
import { instance, type Delivered, type Input, type Instance, type ParticipantModule, type Step } from "../core/module";
import { GATEWAY } from "../core/refs";
import type { StepView } from "../core/view";
import type { WorldView } from "../core/world-draft";
import { assertNever, type Message } from "../messages";
import { onHttpMessage, onHttpTimer, requestPhase } from "./http";
import { initialGatewayState, type GatewayState, type GatewayTimer } from "./state";
import { SOCKET_TYPES, TOPIC_TYPES, onSocketMessage, onSocketTimer, onSocketTopic, socketPhase } from "./websocket";

export { GATEWAY_ERRORS } from "./errors";
export { isConnectable } from "./state";

/** Nothing commands the gateway: it acts on messages and its own timers. */
export type GatewayCommand = never;

export const gatewayModule: ParticipantModule<GatewayState, GatewayTimer, GatewayCommand> = {
  role: "Gateway",
  step(state: GatewayState, input: Input<GatewayTimer, GatewayCommand>, view: StepView): Step<GatewayState> {
    const fx = new Fx(view);
    dispatch(state, input, fx, { message: onMessage, timer: onTimer });
    return fx.done(state);
  },
  phaseBeforeInput(state: GatewayState, msg: Message, world: WorldView): string | null {
    const socket = socketPhase(state, msg, world);
    return socket === undefined ? requestPhase(msg, world) : socket;
  },
};

export function gatewayInstance(): Instance {
  return instance(GATEWAY, gatewayModule, initialGatewayState());
}

function onMessage(state: GatewayState, { msg, from, seq }: Delivered, fx: Fx): void {
  if (SOCKET_TYPES.has(msg.type)) return onSocketMessage(state, msg, from, seq, fx);
  if (TOPIC_TYPES.has(msg.type)) onSocketTopic(state, msg, fx);
  onHttpMessage(state, msg, from, seq, fx);
}

function onTimer(state: GatewayState, timer: GatewayTimer, fx: Fx): void {
  switch (timer.timer) {
    case "ws-ready-timeout":
    case "ws-pool-error-check":
      return onSocketTimer(state, timer, fx);
    case "ready-timeout":
    case "pool-error-check":
    case "tunnel-retry":
      return onHttpTimer(state, timer, fx);
    default:
      return assertNever(timer);
  }
}
