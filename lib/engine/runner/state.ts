// The built-in runner process's own state: who it is, the endpoint stream that started it, its
// connection, and the actors and WebSockets it hosts.
import type { ParticipantRef } from "../../trace/types";
import type { TimerRef } from "../core/effects";
import type { Checkpoint } from "../messages";

/** A WebSocket to one of this runner's actors (the demo actor echoes every message). */
export interface HostedSocket {
  actorId: string;
  canHibernate: boolean;
}

export interface HostedActor {
  generation: number;
  eventIndex: number;
  idleTimer: TimerRef | null;
  stopping: boolean;
}

/**
 * The `/start` stream of the serverless endpoint that started this process (same process): the
 * runner reports its init and pings on it as the endpoint, and its exit closes it.
 */
export interface EndpointStream {
  pool: string;
  startId: string;
  /** Set by the first init: the stream stays silent until then; then one message, then pings. */
  runnerId: string | null;
  pingTimer: TimerRef | null;
}

export interface RunnerProcessOptions {
  processId: string;
  name: string;
  runnerKey: string;
  totalSlots: number;
  version: number;
  /** The endpoint stream it was started for; null for a runner started otherwise. */
  stream?: { pool: string; startId: string } | null;
}

export interface RunnerState {
  readonly processId: string;
  readonly name: string;
  readonly runnerKey: string;
  readonly totalSlots: number;
  readonly version: number;
  stream: EndpointStream | null;
  runnerId: string | null;
  /** The Runner WS of its current connection. */
  conn: ParticipantRef | null;
  connCount: number;
  exited: boolean;
  /** Hung: its socket stays open but it answers nothing and sends nothing. */
  silent: boolean;
  actors: Map<string, HostedActor>;
  /** By gateway request id. */
  sockets: Map<string, HostedSocket>;
}

export function initialRunnerState(options: RunnerProcessOptions): RunnerState {
  const { processId, name, runnerKey, totalSlots, version } = options;
  const stream = options.stream ? { pool: options.stream.pool, startId: options.stream.startId, runnerId: null, pingTimer: null } : null;
  return { processId, name, runnerKey, totalSlots, version, stream, runnerId: null, conn: null, connCount: 0, exited: false, silent: false, actors: new Map(), sockets: new Map() };
}

/**
 * The actor stopped: its sockets go with it. The hibernatable ones live on in the engine, which
 * lists them in the actor's next start command (on whichever runner).
 */
export function dropSockets(state: RunnerState, actorId: string): void {
  for (const [requestId, socket] of state.sockets) if (socket.actorId === actorId) state.sockets.delete(requestId);
}

/** The next event checkpoint of a hosted actor (each event takes the next index). */
export function nextCheckpoint(actorId: string, actor: HostedActor): Checkpoint {
  return { actorId, generation: actor.generation, index: actor.eventIndex++ };
}

/** Reconnect backoff after the nth connection: base × 2^(n−1), n at most 5, at most 30 s. */
export function reconnectDelayMs(connCount: number, reconnectBaseMs: number): number {
  const attempt = Math.min(connCount, 5);
  return Math.min(reconnectBaseMs * 2 ** (attempt - 1), 30_000);
}
