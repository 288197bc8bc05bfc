// The runners of a run and where each one stands at the end of what was recorded, read from the
// events: connection, drain, eviction and disconnection messages, and the actor workflow's state
// notes (a move into Starting places an actor on a runner; `deallocate` frees it).
import type { TraceEvent } from "@/lib/trace/types";

export type RunnerState = "starting" | "connected" | "draining" | "evicted" | "disconnected";

export interface RunnerSummary {
  runnerId: string;
  state: RunnerState;
  /** Actors placed on the runner and not freed yet. */
  actors: string[];
  /** How many times an actor was started on it. */
  placements: number;
  /** Engine time of its first and last recorded event. */
  firstTime: number;
  lastTime: number;
  eventCount: number;
}

/** The state a message about a runner leaves it in; undefined when it says nothing about that. */
function stateAfter(type: string): RunnerState | undefined {
  switch (type) {
    case "ToServerInit":
    case "CreateRunnerWorkflow":
    case "RunnerReconnected":
      return "connected";
    case "Stop":
    case "RunnerStopping":
    case "ToServerStopping":
      return "draining";
    case "Evict":
      return "evicted";
    case "RunnerDisconnected":
      return "disconnected";
    default:
      return undefined;
  }
}

function payloadField(event: TraceEvent, field: string): unknown {
  return typeof event.payload === "object" && event.payload !== null ? (event.payload as Record<string, unknown>)[field] : undefined;
}

export function summarizeRunners(events: readonly TraceEvent[]): RunnerSummary[] {
  const runners = new Map<string, RunnerSummary & { actorSet: Set<string> }>();
  const runner = (runnerId: string, time: number) => {
    let entry = runners.get(runnerId);
    if (!entry) {
      entry = { runnerId, state: "starting", actors: [], actorSet: new Set(), placements: 0, firstTime: time, lastTime: time, eventCount: 0 };
      runners.set(runnerId, entry);
    }
    return entry;
  };

  for (const event of events) {
    if (event.kind === "note" && event.type === "state" && event.actorId !== null) {
      const to = payloadField(event, "to");
      const placedOn = payloadField(event, "runnerId");
      if (to === "Starting" && typeof placedOn === "string") {
        const entry = runner(placedOn, event.time);
        entry.actorSet.add(event.actorId);
        entry.placements++;
      }
    }
    if (event.kind === "note" && event.type === "deallocate" && event.actorId !== null) {
      const freed = payloadField(event, "runnerId");
      if (typeof freed === "string") runners.get(freed)?.actorSet.delete(event.actorId);
    }
    if (event.runnerId === null) continue;
    const entry = runner(event.runnerId, event.time);
    entry.lastTime = event.time;
    entry.eventCount++;
    // A relay repeats a message one hop further; the original already moved the state.
    const next = event.kind === "message" && event.relayOf === null ? stateAfter(event.type) : undefined;
    // Once evicted, the disconnection that follows is the same ending, not a new state.
    if (next !== undefined && !(entry.state === "evicted" && next === "disconnected")) entry.state = next;
  }

  return [...runners.values()]
    .sort((a, b) => a.firstTime - b.firstTime)
    .map(({ actorSet, ...summary }) => ({ ...summary, actors: [...actorSet] }));
}
