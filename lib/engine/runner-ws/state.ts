// The engine's end of one runner WebSocket: who is on the other end, which runner it serves once
// the handshake is done, its timers, and the last pong.
import type { ParticipantRef } from "../../trace/types";
import type { TimerRef } from "../core/effects";
import type { MessageOf } from "../messages";
import type { RunnerRecord } from "../world";

export interface RunnerWsState {
  connId: string;
  /** The runner process on the other end. */
  runner: ParticipantRef;
  /** Set by the handshake; null until ToServerInit. */
  runnerId: string | null;
  /** Once closed every later input is a no-op. */
  closed: boolean;
  pingTimer: TimerRef | null;
  initTimer: TimerRef | null;
  /** Fires when no pong may have come for pongTimeout; re-armed from the last pong if one came. */
  pongDeadline: TimerRef | null;
  lastPongAt: number;
}

export function initialRunnerWsState(connId: string, runner: ParticipantRef): RunnerWsState {
  return { connId, runner, runnerId: null, closed: false, pingTimer: null, initTimer: null, pongDeadline: null, lastPongAt: 0 };
}

/** Where the allocation index finds a runner again when it reconnects. */
export function runnerKeyOf(namespace: string, msg: MessageOf<"ToServerInit">): string {
  return `${namespace}/${msg.name}/${msg.runnerKey}`;
}

/** The record of a runner seen for the first time: every slot free, in the index. */
export function newRunnerRecord(runnerId: string, msg: MessageOf<"ToServerInit">, state: RunnerWsState, now: number): RunnerRecord {
  return {
    runnerId,
    name: msg.name,
    runnerKey: msg.runnerKey,
    version: msg.version,
    totalSlots: msg.totalSlots,
    freeSlots: msg.totalSlots,
    lastPingAt: now,
    connId: state.connId,
    processId: state.runner.id,
    draining: false,
    alive: true,
    disconnectedAt: null,
    actorIds: new Set(),
  };
}
