// Hand-written traces for tests, so that diagram and conformance tests do not depend on the engine.
import type { EventKind, ParticipantRef, Role, TraceEvent } from "@/lib/trace/types";

export const ref = (role: Role, id: string): ParticipantRef => ({ role, id });

export const API = ref("API", "api");
export const U = ref("User", "user-1");
export const G = ref("Gateway", "gateway");
export const AWF = ref("ActorWorkflow", "actor-1");
export const S = ref("Serverless", "pool-default");
export const SE = ref("ServerlessEndpoint", "http://localhost/start");

/**
 * The lifelines of runner `n`. The process, the socket and the workflow deliberately have different
 * ids (as a real runner does before and after it gets its runner id).
 */
export function runner(n: number) {
  return {
    R: ref("Runner", `process-${n}`),
    RWS: ref("RunnerWS", `ws-${n}`),
    RWF: ref("RunnerWorkflow", `runner-${n}`),
    runnerId: `runner-${n}`,
  };
}

type Extra = Partial<Omit<TraceEvent, "seq">>;

/** Appends events with gap-free seqs; phases are spans that may overlap, like the engine's. */
export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  /** runnerId written on the following events (null before a runner has its id). */
  runnerId: string | null = null;
  private readonly openPhases: number[] = [];
  /** Phases events are attributed to by `during`, innermost last. */
  private readonly focus: number[] = [];

  /** The phase new events belong to: the focused one, else the innermost open one. */
  private current(): number | null {
    return this.focus.at(-1) ?? this.openPhases.at(-1) ?? null;
  }

  private add(kind: EventKind, from: ParticipantRef | null, to: ParticipantRef | null, type: string, label: string, extra: Extra = {}): number {
    const seq = this.events.length + 1;
    this.events.push({
      seq,
      time: seq * 10,
      kind,
      from,
      to,
      type,
      label,
      payload: null,
      actorId: "actor-1",
      runnerId: this.runnerId,
      cycleId: null,
      causeSeq: seq > 1 ? seq - 1 : null,
      relayOf: null,
      phaseId: this.current(),
      housekeeping: false,
      ...extra,
    });
    return seq;
  }

  /** Records the events `record` adds as belonging to `phase` (a phase that is not the innermost). */
  during(phase: number, record: () => void): void {
    this.focus.push(phase);
    record();
    this.focus.pop();
  }

  msg(from: ParticipantRef, to: ParticipantRef, type: string, label: string, extra?: Extra): number {
    return this.add("message", from, to, type, label, extra);
  }

  /** The message `of` forwarded one hop further; by default it carries the original's label. */
  relay(of: number, from: ParticipantRef, to: ParticipantRef, extra?: Extra): number {
    const original = this.events[of - 1];
    return this.add("message", from, to, original.type, original.label, { relayOf: of, ...extra });
  }

  rel(from: ParticipantRef, to: ParticipantRef, label: string): number {
    return this.add("relation", from, to, "SameProcess", label);
  }

  note(over: ParticipantRef, type: string, label: string, extra?: Extra): number {
    return this.add("note", over, null, type, label, extra);
  }

  /** Protocol housekeeping (hidden in the default view). */
  chore(from: ParticipantRef, to: ParticipantRef | null, type: string, label = type): number {
    return this.add(to === null ? "note" : "message", from, to, type, label, { housekeeping: true });
  }

  /** Starts a phase inside `parent` (by default the phase current events belong to). */
  phase(label: string, parent: number | null = this.current()): number {
    const seq = this.add("phase-start", null, null, "phase", label, { phaseId: parent });
    this.openPhases.push(seq);
    return seq;
  }

  /** Ends the innermost open phase, or the given one (phases that cross, for tests of bad input). */
  end(start = this.openPhases.at(-1)): number {
    if (start === undefined || !this.openPhases.includes(start)) throw new Error("no such open phase");
    this.openPhases.splice(this.openPhases.indexOf(start), 1);
    return this.add("phase-end", null, null, "phase", this.events[start - 1].label, { phaseId: start });
  }
}

/** A runner connects and its workflow is created (inside a "runner connection" phase). */
export function connectRunner(b: TraceBuilder, n: number): void {
  const { R, RWS, RWF, runnerId } = runner(n);
  b.runnerId = null;
  b.rel(SE, R, "Same process");
  b.phase("runner connection");
  b.msg(R, RWS, "ToServerInit", "Connect");
  b.runnerId = runnerId;
  b.msg(RWS, RWF, "CreateRunnerWorkflow", "Create runner workflow");
  b.chore(RWS, R, "ToClientInit");
  b.end();
}

/** StartActor from the actor workflow down to runner `n`, and its Running state back up. */
export function startActorOn(b: TraceBuilder, n: number): void {
  const { R, RWS, RWF } = runner(n);
  const start = b.msg(AWF, RWF, "CommandStartActor", "Send StartActor");
  b.relay(start, RWF, RWS);
  b.relay(start, RWS, R);
  b.chore(R, RWS, "ToServerAckCommands");
  b.note(R, "start-actor", "Start actor");
  const running = b.msg(R, RWS, "EventActorStateUpdate", "Actor state update: Running");
  b.relay(running, RWS, RWF);
  b.relay(running, RWF, AWF);
  b.chore(AWF, null, "state", "Starting → Running");
  b.note(AWF, "publish-ready", "Publish Ready msg");
}

/** One request to a sleeping actor on serverless runners: the ideal reference flow. */
export function idealTrace(path = "/"): TraceEvent[] {
  const b = new TraceBuilder();
  const { R, RWS, RWF } = runner(1);
  b.note(AWF, "narrative", "Actor already<br/>created and sleeping");
  b.phase("request to sleeping actor");
  b.msg(U, G, "UserRequest", `Request to actor<br/>GET ${path}`, { payload: { requestId: "req-1", method: "GET", path } });
  b.note(G, "actor-sleeping", "Actor sleeping");
  b.msg(G, AWF, "Wake", "Wake");
  b.note(G, "await-ready", "Await actor ready");
  b.phase("actor allocation");
  b.chore(AWF, null, "state", "Sleeping → Pending");
  b.note(AWF, "allocate", "Allocate");
  b.note(AWF, "no-runners-pending", "No runners available,<br/>Start pending");
  b.msg(AWF, S, "Bump", "Bump");
  b.note(S, "desired", "Desired: 1");
  b.msg(S, SE, "StartRequest", "GET /start");
  connectRunner(b, 1);
  b.note(RWF, "allocate-pending", "Allocate pending actors");
  b.msg(RWF, AWF, "Allocate", "Allocate");
  startActorOn(b, 1);
  b.end();
  b.msg(AWF, G, "Ready", "Receive runner ID runner-1");
  const tunnel = b.msg(G, RWS, "ToClientRequestStart", `Tunnel ToClientRequestStart<br/>GET ${path}`);
  b.relay(tunnel, RWS, R);
  b.chore(RWS, R, "ToClientPing");
  b.note(R, "handle-request", "Handle request");
  const response = b.msg(R, RWS, "ToServerResponseStart", "ToServerResponseStart 200");
  b.relay(response, RWS, G);
  b.relay(response, G, U, { type: "UserResponse" });
  b.end();
  return b.events;
}
