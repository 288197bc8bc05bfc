// The gateway's own state: the HTTP requests and the WebSockets it is carrying, by request id, in
// the order they arrived (a topic message visits them in that order).
import type { ParticipantRef } from "../../trace/types";
import type { TimerRef } from "../core/effects";
import type { MessageOf } from "../messages";
import type { ActorRecord } from "../world";

/** What a request and a socket both keep while they wait for their actor to be Ready. */
export interface Waiting {
  wakeAttempts: number;
  readyTimer: TimerRef | null;
  /** The pool-error check of the current wait (started with it, like the ready timeout). */
  poolCheckTimer: TimerRef | null;
}

export interface PendingRequest extends Waiting {
  request: MessageOf<"UserRequest">;
  user: ParticipantRef;
  phase: number | null;
  /** waiting: for Ready; tunnelled: sent to the runner; done: answered. */
  stage: "waiting" | "tunnelled" | "done";
  tunnelAttempts: number;
}

export interface PendingSocket extends Waiting {
  open: MessageOf<"UserWebSocketOpen">;
  user: ParticipantRef;
  phase: number | null;
  /** hibernating: open to the client while its actor sleeps (no runner holds it). */
  stage: "waiting" | "opening" | "open" | "hibernating" | "closed";
  /** The runner accepted it once: a later wait restores it rather than opening it again. */
  opened: boolean;
  canHibernate: boolean;
  conn: ParticipantRef | null;
  /** User messages waiting for the actor to accept the socket. */
  queued: MessageOf<"UserWebSocketMessage">[];
}

export interface GatewayState {
  requests: Map<string, PendingRequest>;
  sockets: Map<string, PendingSocket>;
}

/** The gateway's timers, each for one request or socket (the `ws-` ones are the sockets'). */
export type GatewayTimer =
  | { timer: "ready-timeout"; requestId: string }
  | { timer: "pool-error-check"; requestId: string }
  | { timer: "tunnel-retry"; requestId: string }
  | { timer: "ws-ready-timeout"; requestId: string }
  | { timer: "ws-pool-error-check"; requestId: string };

export type HttpTimer = Extract<GatewayTimer, { timer: "ready-timeout" | "pool-error-check" | "tunnel-retry" }>;
export type SocketTimer = Extract<GatewayTimer, { timer: "ws-ready-timeout" | "ws-pool-error-check" }>;

export function initialGatewayState(): GatewayState {
  return { requests: new Map(), sockets: new Map() };
}

export function newPendingRequest(request: MessageOf<"UserRequest">, user: ParticipantRef, phase: number | null): PendingRequest {
  return { request, user, phase, stage: "waiting", wakeAttempts: 0, tunnelAttempts: 0, readyTimer: null, poolCheckTimer: null };
}

export function newPendingSocket(open: MessageOf<"UserWebSocketOpen">, user: ParticipantRef, phase: number | null): PendingSocket {
  return { open, user, phase, stage: "waiting", opened: false, canHibernate: false, wakeAttempts: 0, readyTimer: null, poolCheckTimer: null, conn: null, queued: [] };
}

/** Requests of an actor not yet answered, in arrival order (a copy: handling one may finish it). */
export function requestsFor(state: GatewayState, actorId: string): PendingRequest[] {
  return [...state.requests.values()].filter((p) => p.request.actorId === actorId && p.stage !== "done");
}

/** An actor a request can be tunnelled to right now. */
export function isConnectable(actor: Readonly<ActorRecord>): boolean {
  return actor.state === "Running" && actor.connectableTs !== null && actor.runnerId !== null;
}
