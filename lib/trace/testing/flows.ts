// Hand-made traces shaped like the reference flows, for tests of everything downstream of the
// engine (cycles, checks, recorder, services). They follow the engine's event vocabulary.
import type { TraceEvent } from "../types";
import { TraceBuilder } from "./trace-builder";

export interface WakeResult {
  request: TraceEvent;
  awaitReady: TraceEvent;
  wake: TraceEvent;
  startRequest: TraceEvent | null;
  runnerInit: TraceEvent | null;
  ready: TraceEvent;
  response: TraceEvent;
}

/** "Actor already created and sleeping": the narrative note and the creation state note. */
export function sleepingActor(b: TraceBuilder, actorId: string): TraceEvent {
  const narrative = b.note("narrative", ["ActorWorkflow", actorId], {
    actorId,
    label: "Actor already<br/>created and sleeping",
  });
  b.state(actorId, null, "Sleeping", { cause: narrative });
  return narrative;
}

/**
 * A user request to a sleeping actor. With `runnerId` of a connected runner the actor is placed
 * at once; without, the serverless pool starts a new runner (`newRunnerId`) first.
 */
export function requestToSleepingActor(
  b: TraceBuilder,
  o: { actorId: string; requestId: string; generation: number; runnerId?: string; newRunnerId?: string },
): WakeResult {
  const { actorId } = o;
  b.phaseStart("request to sleeping actor", { actorId });
  const request = b.message("UserRequest", "User", "Gateway", {
    actorId,
    label: "GET /sleep",
    payload: { requestId: o.requestId, method: "GET", path: `/gateway/${actorId}/sleep` },
  });
  b.note("actor-sleeping", "Gateway", { actorId, cause: request, label: "Actor sleeping" });
  const wake = b.message("Wake", "Gateway", ["ActorWorkflow", actorId], {
    actorId,
    cause: request,
    payload: { retry: false, attempt: 0 },
  });
  const awaitReady = b.note("await-ready", "Gateway", { actorId, cause: request, label: "Await actor ready" });
  b.phaseStart("actor allocation", { actorId });
  b.state(actorId, "Sleeping", "Pending", { cause: wake, generation: o.generation - 1 });
  b.note("allocate", ["ActorWorkflow", actorId], { actorId, cause: wake, label: "Allocate" });

  let startRequest: TraceEvent | null = null;
  let runnerInit: TraceEvent | null = null;
  let allocate: TraceEvent;
  let runnerId = o.runnerId;
  if (runnerId === undefined) {
    runnerId = o.newRunnerId ?? "runner-1";
    b.note("no-runners-pending", ["ActorWorkflow", actorId], { actorId, cause: wake });
    const bump = b.message("Bump", ["ActorWorkflow", actorId], "Serverless", { actorId, cause: wake });
    b.note("desired", "Serverless", { cause: bump, label: "Desired: 1", payload: { desired: 1 } });
    startRequest = b.message("StartRequest", "Serverless", "ServerlessEndpoint", { cause: bump, label: "GET /start" });
    const sameProcess = b.relation("SameProcess", "ServerlessEndpoint", ["Runner", runnerId], {
      cause: startRequest,
      label: "Same process",
    });
    b.phaseStart("runner connection");
    runnerInit = b.message("ToServerInit", ["Runner", runnerId], ["RunnerWS", runnerId], {
      runnerId,
      cause: sameProcess,
      label: "Connect",
      after: 250,
    });
    const create = b.message("CreateRunnerWorkflow", ["RunnerWS", runnerId], ["RunnerWorkflow", runnerId], {
      runnerId,
      cause: runnerInit,
    });
    b.phaseEnd();
    b.message("ToClientInit", ["RunnerWS", runnerId], ["Runner", runnerId], {
      runnerId,
      cause: runnerInit,
      housekeeping: true,
    });
    const pending = b.note("allocate-pending", ["RunnerWorkflow", runnerId], { runnerId, cause: create });
    allocate = b.message("Allocate", ["RunnerWorkflow", runnerId], ["ActorWorkflow", actorId], {
      actorId,
      runnerId,
      cause: pending,
    });
  } else {
    allocate = b.note("allocate", ["ActorWorkflow", actorId], { actorId, runnerId, cause: wake });
  }
  b.state(actorId, "Pending", "Starting", { cause: allocate, generation: o.generation, placedOn: runnerId });
  const command = b.message("CommandStartActor", ["ActorWorkflow", actorId], ["RunnerWorkflow", runnerId], {
    actorId,
    runnerId,
    cause: allocate,
    label: "Send StartActor",
  });
  const toRunner = b.relay(b.relay(command, ["RunnerWS", runnerId]), ["Runner", runnerId]);
  b.note("start-actor", ["Runner", runnerId], { actorId, runnerId, cause: toRunner, label: "Start actor" });
  const running = b.message("EventActorStateUpdate", ["Runner", runnerId], ["RunnerWS", runnerId], {
    actorId,
    runnerId,
    cause: toRunner,
    label: "Actor state update: Running",
    payload: { state: "Running" },
  });
  const atWorkflow = b.relay(b.relay(running, ["RunnerWorkflow", runnerId]), ["ActorWorkflow", actorId]);
  b.state(actorId, "Starting", "Running", { cause: atWorkflow, generation: o.generation, placedOn: runnerId });
  b.note("publish-ready", ["ActorWorkflow", actorId], { actorId, cause: atWorkflow });
  b.phaseEnd();
  const ready = b.message("Ready", ["ActorWorkflow", actorId], "Gateway", {
    actorId,
    runnerId,
    cause: atWorkflow,
    label: "Receive runner ID",
  });
  const response = tunnel(b, { actorId, runnerId, requestId: o.requestId, cause: ready });
  b.phaseEnd();
  return { request, awaitReady, wake, startRequest, runnerInit, ready, response };
}

/** The gateway tunnels the request to the runner; the runner answers; the user gets it. */
export function tunnel(
  b: TraceBuilder,
  o: { actorId: string; runnerId: string; requestId: string; cause: TraceEvent; status?: number },
): TraceEvent {
  const start = b.message("ToClientRequestStart", "Gateway", ["RunnerWS", o.runnerId], {
    actorId: o.actorId,
    runnerId: o.runnerId,
    cause: o.cause,
    label: "Tunnel ToClientRequestStart",
  });
  const atRunner = b.relay(start, ["Runner", o.runnerId]);
  b.note("handle-request", ["Runner", o.runnerId], { actorId: o.actorId, runnerId: o.runnerId, cause: atRunner });
  const answer = b.message("ToServerResponseStart", ["Runner", o.runnerId], ["RunnerWS", o.runnerId], {
    actorId: o.actorId,
    runnerId: o.runnerId,
    cause: atRunner,
    payload: { requestId: o.requestId, status: o.status ?? 200 },
  });
  const atGateway = b.relay(answer, "Gateway");
  return b.message("UserResponse", "Gateway", "User", {
    actorId: o.actorId,
    cause: atGateway,
    relayOf: atGateway,
    label: "",
    payload: { requestId: o.requestId, status: o.status ?? 200 },
  });
}

/** The actor asks to sleep, is stopped and deallocated; the gateway hears "Stopped". */
export function actorSleeps(
  b: TraceBuilder,
  o: { actorId: string; runnerId: string; generation: number },
): { stopped: TraceEvent; sleepingState: TraceEvent } {
  const { actorId, runnerId } = o;
  b.phaseStart("actor sleep", { actorId });
  const intent = b.message("EventActorIntent", ["Runner", runnerId], ["RunnerWS", runnerId], {
    actorId,
    runnerId,
    label: "Actor intent: Sleep",
    payload: { intent: "Sleep" },
    after: 1000,
  });
  const atWorkflow = b.relay(b.relay(intent, ["RunnerWorkflow", runnerId]), ["ActorWorkflow", actorId]);
  b.state(actorId, "Running", "SleepIntent", { cause: atWorkflow, generation: o.generation, placedOn: runnerId });
  b.note("mark-sleeping", ["ActorWorkflow", actorId], { actorId, cause: atWorkflow });
  const stop = b.message("CommandStopActor", ["ActorWorkflow", actorId], ["RunnerWorkflow", runnerId], {
    actorId,
    runnerId,
    cause: atWorkflow,
    label: "Send StopActor",
  });
  const toRunner = b.relay(b.relay(stop, ["RunnerWS", runnerId]), ["Runner", runnerId]);
  const update = b.message("EventActorStateUpdate", ["Runner", runnerId], ["RunnerWS", runnerId], {
    actorId,
    runnerId,
    cause: toRunner,
    label: "Actor state update: Stopped",
    payload: { state: "Stopped" },
  });
  const stoppedAtWorkflow = b.relay(b.relay(update, ["RunnerWorkflow", runnerId]), ["ActorWorkflow", actorId]);
  b.note("deallocate", ["ActorWorkflow", actorId], {
    actorId,
    cause: stoppedAtWorkflow,
    payload: { runnerId, generation: o.generation },
  });
  const sleepingState = b.state(actorId, "SleepIntent", "Sleeping", { cause: stoppedAtWorkflow, generation: o.generation });
  b.note("send-stopped", ["ActorWorkflow", actorId], { actorId, cause: stoppedAtWorkflow });
  b.phaseEnd();
  const stopped = b.message("Stopped", ["ActorWorkflow", actorId], "Gateway", {
    actorId,
    cause: stoppedAtWorkflow,
    label: "Receive Stopped msg",
  });
  return { stopped, sleepingState };
}

/** The autoscaler drains and evicts the runner its `/start` request started (request lifespan). */
export function drainRunner(b: TraceBuilder, o: { runnerId: string; startRequest: TraceEvent }): TraceEvent {
  const stop = b.message("Stop", "Serverless", ["RunnerWorkflow", o.runnerId], {
    runnerId: o.runnerId,
    cause: o.startRequest,
    after: 5000,
  });
  b.note("remove-from-index", ["RunnerWorkflow", o.runnerId], { runnerId: o.runnerId, cause: stop });
  b.note("after-grace", "Serverless", { cause: stop, after: 1000 });
  const evict = b.message("Evict", "Serverless", ["RunnerWS", o.runnerId], { runnerId: o.runnerId, cause: stop });
  return b.relay(evict, ["Runner", o.runnerId]);
}

/** One actor woken twice, sleeping in between: two cycles (runner-1 serves both). */
export function wokenTwice(actorId = "a1"): TraceBuilder {
  const b = new TraceBuilder();
  sleepingActor(b, actorId);
  requestToSleepingActor(b, { actorId, requestId: "r1", generation: 1 });
  actorSleeps(b, { actorId, runnerId: "runner-1", generation: 1 });
  requestToSleepingActor(b, { actorId, requestId: "r2", generation: 2, runnerId: "runner-1" });
  return b;
}
