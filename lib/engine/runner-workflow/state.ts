// The runner workflow's own state: its lost-threshold timer, whether it has ended, how many
// intents it forwarded per actor generation, and the commands waiting for a connection.
import type { TimerRef } from "../core/effects";
import type { MessageOf } from "../messages";

/** A command for the runner, kept while it has no connection. */
export type RunnerCommand = MessageOf<"CommandStartActor"> | MessageOf<"CommandStopActor">;

export interface RunnerWorkflowState {
  runnerId: string;
  lostTimer: TimerRef | null;
  /** Once lost, evicted or drained away: only CommandStartActor still gets an answer (Lost). */
  ended: boolean;
  /** Intents forwarded per `${actorId}/${generation}`, to name repeated ones. */
  intentsForwarded: Map<string, number>;
  /** Commands waiting for a connection, re-sent in order on reconnect. */
  unacked: RunnerCommand[];
}

export function initialRunnerWorkflowState(runnerId: string): RunnerWorkflowState {
  return { runnerId, lostTimer: null, ended: false, intentsForwarded: new Map(), unacked: [] };
}

const ORDINALS = ["", "", "Second", "Third", "Fourth", "Fifth"];

/** Counts one more intent of that actor generation; returns how many there have been. */
export function countIntent(state: RunnerWorkflowState, actorId: string, generation: number): number {
  const key = `${actorId}/${generation}`;
  const count = (state.intentsForwarded.get(key) ?? 0) + 1;
  state.intentsForwarded.set(key, count);
  return count;
}

/** The label of the `count`th intent forwarded for one actor generation. */
export function intentLabel(count: number, intent: string): string {
  const prefix = count > 1 ? `${ORDINALS[count] ?? `#${count}`} actor` : "Actor";
  return `${prefix} intent: ${intent}`;
}
