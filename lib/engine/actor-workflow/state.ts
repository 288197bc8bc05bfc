// The actor workflow's own state (engine.md §3): what it remembers between steps about the one
// actor it runs. The actor's record itself lives in the world; this is what the workflow keeps beside it.
import type { Checkpoint } from "../messages";
import type { PhaseRef, TimerRef } from "../core/effects";
import type { ActorRecord } from "../world";

export interface ActorWorkflowState {
  readonly actorId: string;
  /** A wake arrived while the actor was stopping: allocate again once it has stopped. */
  rewake: { cause: number | null; phase: PhaseRef | null } | null;
  /** Open "actor allocation" / "actor reallocation" phase, closed when the actor is ready. */
  allocationPhase: PhaseRef | null;
  /** Open "actor sleep" phase (opened by the runner workflow when it forwards the intent). */
  sleepPhase: PhaseRef | null;
  startDeadline: TimerRef | null;
  stopDeadline: TimerRef | null;
  backoffTimer: TimerRef | null;
  /** The actor's alarm (engine time), kept while it sleeps: it wakes the actor then. The live engine stores it. */
  alarmAt: number | null;
  alarmTimer: TimerRef | null;
  crashCount: number;
  lastCrashAt: number | null;
  /** Highest event index seen per generation, to de-duplicate re-sent events. */
  lastEventIndex: Map<number, number>;
  /**
   * Index of the last command sent for the current generation. The workflow numbers its own
   * commands, as the real one does (start 0, stop 1), so what is recorded is what the runner gets.
   */
  lastCommandIndex: number;
}

/**
 * `restoredAlarmAt`: an alarm (engine time) an earlier life of the engine stored; a workflow
 * started with the `restore-alarm` command arms it again.
 */
export function initialActorWorkflowState(actorId: string, restoredAlarmAt: number | null = null): ActorWorkflowState {
  return {
    actorId,
    rewake: null,
    allocationPhase: null,
    sleepPhase: null,
    startDeadline: null,
    stopDeadline: null,
    backoffTimer: null,
    alarmAt: restoredAlarmAt,
    alarmTimer: null,
    crashCount: 0,
    lastCrashAt: null,
    lastEventIndex: new Map(),
    lastCommandIndex: -1,
  };
}

/** The checkpoint of the next command the workflow sends for the actor's current generation. */
export function nextCommandCheckpoint(state: ActorWorkflowState, actor: Readonly<ActorRecord>): Checkpoint {
  state.lastCommandIndex += 1;
  return { actorId: actor.actorId, generation: actor.generation, index: state.lastCommandIndex };
}

/**
 * Whether a runner event is new: of the actor's current generation and past the last index seen
 * (a runner re-sends events it has no ack for). Records it when it is.
 */
export function freshEvent(state: ActorWorkflowState, actor: Readonly<ActorRecord>, checkpoint: Checkpoint): boolean {
  const { generation, index } = checkpoint;
  if (generation !== actor.generation) return false;
  const last = state.lastEventIndex.get(generation) ?? -1;
  if (index <= last) return false;
  state.lastEventIndex.set(generation, index);
  return true;
}
