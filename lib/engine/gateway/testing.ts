// Literals for the gateway's unit tests: actors and runners in a given state, users' messages, and
// one step of the module over them.
import type { ParticipantRef } from "../../trace/types";
import type { Step } from "../core/module";
import { GATEWAY } from "../core/refs";
import { stepView, worldWith, type StepViewInit } from "../core/testing";
import { viewOf, type WorldView } from "../core/world-draft";
import type { Message, MessageOf } from "../messages";
import { newActorRecord, type ActorRecord, type ActorState, type RunnerRecord, type World } from "../world";
import { gatewayModule } from "./gateway";
import { newPendingRequest, newPendingSocket, type GatewayState, type GatewayTimer, type PendingRequest, type PendingSocket } from "./state";

export const USER: ParticipantRef = { role: "User", id: "user-1" };
/** The phase the user's input opened (recorded before it). */
export const PHASE = 4;

export function actor(state: ActorState, actorId = "a1"): ActorRecord {
  const record = newActorRecord({ actorId, name: "pool", key: null, pool: "pool", crashPolicy: "sleep", input: null, createTs: 0, state });
  if (state === "Running") Object.assign(record, { runnerId: "r1", generation: 1, startTs: 10, connectableTs: 20 });
  return record;
}

export function runner(runnerId = "r1", connId: string | null = "c1"): RunnerRecord {
  return {
    runnerId,
    name: "pool",
    runnerKey: `key-${runnerId}`,
    version: 1,
    totalSlots: 4,
    freeSlots: 3,
    lastPingAt: 0,
    connId,
    processId: `proc-${runnerId}`,
    draining: false,
    alive: true,
    disconnectedAt: null,
    actorIds: new Set(["a1"]),
  };
}

export function world(records: { actors?: ActorRecord[]; runners?: RunnerRecord[]; poolErrors?: Record<string, string> } = {}): World {
  const w = worldWith(records);
  for (const [pool, error] of Object.entries(records.poolErrors ?? {})) w.poolErrors.set(pool, error);
  return w;
}

/** The same world as a phaseBeforeInput reads it. */
export function viewWith(records: Parameters<typeof world>[0] = {}): WorldView {
  return viewOf(world(records));
}

export function userRequest(requestId = "req-1", actorId = "a1"): MessageOf<"UserRequest"> {
  return { type: "UserRequest", requestId, actorId, method: "GET", path: "/ping", headers: {}, body: null };
}

export function userOpen(requestId = "ws-1", actorId = "a1"): MessageOf<"UserWebSocketOpen"> {
  return { type: "UserWebSocketOpen", requestId, actorId, path: "/ws", headers: {} };
}

export function userFrame(data: string, requestId = "ws-1", actorId = "a1"): MessageOf<"UserWebSocketMessage"> {
  return { type: "UserWebSocketMessage", requestId, actorId, data, binary: false };
}

export function stateWith(entries: { requests?: PendingRequest[]; sockets?: PendingSocket[] }): GatewayState {
  return {
    requests: new Map((entries.requests ?? []).map((p) => [p.request.requestId, p])),
    sockets: new Map((entries.sockets ?? []).map((s) => [s.open.requestId, s])),
  };
}

/** A request in a given stage, in PHASE, with overrides. */
export function pendingRequest(overrides: Partial<PendingRequest> = {}): PendingRequest {
  return { ...newPendingRequest(userRequest(), USER, PHASE), ...overrides };
}

/** A socket in a given stage, in PHASE, with overrides. */
export function pendingSocket(overrides: Partial<PendingSocket> = {}): PendingSocket {
  return { ...newPendingSocket(userOpen(), USER, PHASE), ...overrides };
}

type ViewInit = Omit<StepViewInit, "self">;

/** The phase of the input, and the user's opened phase, known (and open) to the step. */
function view(init: ViewInit) {
  return stepView({ self: GATEWAY, phases: { [PHASE]: {}, 30: {} }, ...init });
}

export function deliver(state: GatewayState, msg: Message, init: ViewInit & { from?: ParticipantRef; seq?: number } = {}): Step<GatewayState> {
  const { from, seq, ...rest } = init;
  return gatewayModule.step(state, { kind: "message", msg, from: from ?? USER, seq: seq ?? 5 }, view(rest));
}

export function fire(state: GatewayState, timer: GatewayTimer, init: ViewInit = {}): Step<GatewayState> {
  return gatewayModule.step(state, { kind: "timer", timer }, view(init));
}

/** The effects as short readable tags, in order: what a test of effect order compares. */
export function tags(step: Step<unknown>): string[] {
  return step.effects.map((e) => {
    switch (e.kind) {
      case "send":
        return `send ${e.msg.type} → ${e.to.role}:${e.to.id}`;
      case "note":
        return `note ${e.note.type}`;
      case "set-timer":
        return `set-timer ${(e.timer as GatewayTimer).timer} ${e.delayMs}`;
      case "cancel-timer":
        return `cancel-timer ${e.key}`;
      case "phase-end":
        return `phase-end ${e.phase}`;
      case "world":
        return `world ${e.op.op}${"subscribed" in e.op ? ` ${e.op.subscribed}` : ""}${"hibernatable" in e.op ? ` ${e.op.hibernatable}` : ""}`;
      case "forget-request":
        return `forget-request ${e.requestId}`;
      default:
        return e.kind;
    }
  });
}
