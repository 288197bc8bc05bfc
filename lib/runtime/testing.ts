// Test helpers: run a scenario object on the virtual clock and find recorded events by kind.
// Only tests import this module; it keeps each test about the behaviour it checks.
import type { ActorState, World } from "../engine/world";
import type { Role, TraceEvent } from "../trace/types";
import { EngineSession, scenarioDuration } from "./engine-session";
import { loadScenario, parseScenario } from "./scenarios";

export interface InlineRun {
  events: TraceEvent[];
  session: EngineSession;
  /** The engine's shared state at the end of the run. */
  world: World;
}

/**
 * Validate a scenario object (a `name` is filled in when missing) and run it to its end time, or to
 * `untilMs` when given, recording every event.
 */
export function runInlineSession(input: Record<string, unknown>, seed = 1, untilMs?: number): InlineRun {
  const scenario = parseScenario({ name: "test", ...input });
  const events: TraceEvent[] = [];
  const session = new EngineSession(scenario, seed, (event) => events.push(event));
  session.runtime.advanceTo(untilMs ?? scenarioDuration(scenario));
  return { events, session, world: session.runtime.world };
}

/** Run an inline run further, to `timeMs` on the virtual clock (its events keep accumulating). */
export function continueTo(run: InlineRun, timeMs: number): void {
  run.session.runtime.advanceTo(timeMs);
}

/** A serverless pool with one slot per runner and a lifespan long enough not to matter. */
export function pool(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "default", slotsPerRunner: 1, requestLifespan: 3_600, drainGracePeriod: 5, ...overrides };
}

/** The events a scenario object records with that seed. */
export function runInline(input: Record<string, unknown>, seed = 1): TraceEvent[] {
  return runInlineSession(input, seed).events;
}

/** A built-in scenario, as an object to run inline (or to extend). */
export function builtInScenario(name: string): Record<string, unknown> {
  return { ...loadScenario(name) };
}

/** A request step: `GET path` to an actor at a virtual time. */
export function request(at: number, actor: string, path = "/", user = "user-1"): Record<string, unknown> {
  return { at, request: { actor, method: "GET", path, user } };
}

/** Notes of a type (e.g. "deallocate"), optionally only those about one actor. */
export function notes(events: TraceEvent[], type: string, actorId?: string): TraceEvent[] {
  return events.filter((e) => e.kind === "note" && e.type === type && (actorId === undefined || e.actorId === actorId));
}

export interface MessageFilter {
  from?: Role;
  to?: Role;
  actorId?: string;
  /** true: only relays; false: only original sends. */
  relay?: boolean;
}

/** Messages of a type, optionally narrowed by hop, actor or relay-ness. */
export function messages(events: TraceEvent[], type: string, filter: MessageFilter = {}): TraceEvent[] {
  return events.filter(
    (e) =>
      e.kind === "message" &&
      e.type === type &&
      (filter.from === undefined || e.from?.role === filter.from) &&
      (filter.to === undefined || e.to?.role === filter.to) &&
      (filter.actorId === undefined || e.actorId === filter.actorId) &&
      (filter.relay === undefined || (e.relayOf !== null) === filter.relay),
  );
}

export interface StateChange {
  seq: number;
  time: number;
  from: ActorState | null;
  to: ActorState;
  generation: number;
  runnerId: string | null;
}

/** Every actor-workflow state change of an actor, in order. */
export function stateChanges(events: TraceEvent[], actorId: string): StateChange[] {
  return notes(events, "state", actorId).map((e) => {
    const payload = e.payload as Omit<StateChange, "seq" | "time">;
    return { seq: e.seq, time: e.time, from: payload.from, to: payload.to, generation: payload.generation, runnerId: payload.runnerId };
  });
}

/** The states an actor went through, in order (the targets of its state changes). */
export function states(events: TraceEvent[], actorId: string): ActorState[] {
  return stateChanges(events, actorId).map((change) => change.to);
}

/** Phase starts with that label. */
export function phases(events: TraceEvent[], label: string): TraceEvent[] {
  return events.filter((e) => e.kind === "phase-start" && e.label === label);
}

/** The event with that seq (throws when there is none, so a test fails with a clear message). */
export function bySeq(events: TraceEvent[], seq: number): TraceEvent {
  const event = events.find((e) => e.seq === seq);
  if (!event) throw new Error(`no event with seq ${seq}`);
  return event;
}

/** Does `ancestor` appear in the cause chain of `event`? */
export function causedBy(events: TraceEvent[], event: TraceEvent, ancestor: TraceEvent): boolean {
  const index = new Map(events.map((e) => [e.seq, e]));
  let current: TraceEvent | undefined = event;
  while (current) {
    if (current.seq === ancestor.seq) return true;
    current = current.causeSeq === null ? undefined : index.get(current.causeSeq);
  }
  return false;
}
