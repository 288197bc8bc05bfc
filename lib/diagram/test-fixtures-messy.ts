// The messy reference flow as a hand-written trace: ignored sleep intent, deferred wake, ignored
// retry wake, a runner drained and evicted, the actor lost and placed on a second runner.
import type { TraceEvent } from "@/lib/trace/types";
import { AWF, G, S, SE, TraceBuilder, U, connectRunner, runner, startActorOn } from "./test-fixtures";

const SLEEP_REQUEST = "GET /sleep<br/>(actor endpoint)";

export function messyTrace(): TraceEvent[] {
  const b = new TraceBuilder();
  const one = runner(1);
  const two = runner(2);

  b.note(AWF, "narrative", "Actor already<br/>created and sleeping");
  b.phase("request to sleeping actor");
  wakeSleepingActor(b);
  b.phase("actor allocation");
  requestRunner(b);
  connectRunner(b, 1);
  b.note(one.RWF, "allocate-pending", "Allocate pending actors");
  b.msg(one.RWF, AWF, "Allocate", "Allocate");
  startActorOn(b, 1);
  b.end();
  b.msg(AWF, G, "Ready", "Receive runner ID");
  const firstIntent = sleepRequest(b, 1);
  b.end();

  b.note(U, "narrative", "Immediately request<br/>sleep endpoint again");
  b.phase("request to running actor");
  b.msg(U, G, "UserRequest", SLEEP_REQUEST);
  b.note(G, "actor-running", "Actor running");
  const secondIntent = sleepRequest(b, 1);
  b.end();

  const sleep = b.phase("actor sleep", null);
  b.relay(firstIntent, one.RWF, AWF);
  b.note(AWF, "mark-sleeping", "Mark as sleeping");
  const stop = b.msg(AWF, one.RWF, "CommandStopActor", "Send StopActor");
  b.relay(secondIntent, one.RWF, AWF, { label: "Second actor intent: Sleep" });
  b.note(AWF, "ignored-sleep-intent", "Ignored, already<br/>marked as sleeping");

  // The next request arrives while the actor is still stopping: "actor sleep" is not over.
  b.phase("request to actor marked as sleeping", null);
  wakeSleepingActor(b);
  b.note(AWF, "defer-wake", "Actor is currently marked<br/>as sleeping but has not stopped<br/>yet, defer wake after stop");
  b.during(sleep, () => {
    b.relay(stop, one.RWF, one.RWS, { label: "Proxy StopActor" });
    b.relay(stop, one.RWS, one.R);
    stopActorOn(b, 1);
  });
  b.end(sleep);
  b.msg(AWF, G, "Stopped", "Receive Stopped msg");
  b.msg(G, AWF, "Wake", "Retry wake", { payload: { retry: true, attempt: 2 } });
  b.phase("actor reallocation");
  b.note(AWF, "deferred-wake", "Deferred wake");
  b.note(AWF, "allocate", "Allocate");
  const start = b.msg(AWF, one.RWF, "CommandStartActor", "Send StartActor");
  b.relay(start, one.RWF, one.RWS);
  b.relay(start, one.RWS, one.R);
  b.note(one.R, "start-actor", "Start actor");
  b.msg(one.R, one.RWS, "EventActorStateUpdate", "Actor state update: Running");
  b.note(AWF, "ignored-wake", "Ignore retry wake (from before)<br/>because we are already allocated");
  drainAndEvict(b, 1, "after-grace-first");
  b.note(one.RWF, "evict-running-actors", "Evict running actors");
  b.msg(one.RWF, AWF, "Lost", "Actor lost");
  b.note(AWF, "deallocate", "Deallocate");
  b.note(AWF, "send-stopped", "Send Stopped msg");
  b.msg(AWF, G, "Stopped", "Receive Stopped msg");
  b.msg(G, AWF, "Wake", "Retry wake", { payload: { retry: true, attempt: 3 } });
  requestRunner(b);
  connectRunner(b, 2);
  b.note(two.RWF, "allocate-pending", "Allocate pending actors");
  b.msg(two.RWF, AWF, "Allocate", "Allocate");
  startActorOn(b, 2);
  b.end();
  b.msg(AWF, G, "Ready", "Receive runner ID");
  const lastIntent = sleepRequest(b, 2);
  b.end();

  b.phase("actor sleep");
  b.relay(lastIntent, two.RWF, AWF);
  b.note(AWF, "mark-sleeping", "Mark as sleeping");
  const lastStop = b.msg(AWF, two.RWF, "CommandStopActor", "Send StopActor");
  b.relay(lastStop, two.RWF, two.RWS);
  b.relay(lastStop, two.RWS, two.R);
  stopActorOn(b, 2);
  b.end();
  drainAndEvict(b, 2, "remove-first");
  return b.events;
}

function wakeSleepingActor(b: TraceBuilder): void {
  b.msg(U, G, "UserRequest", SLEEP_REQUEST);
  b.note(G, "actor-sleeping", "Actor sleeping");
  b.msg(G, AWF, "Wake", "Wake");
  b.note(G, "await-ready", "Await actor ready");
}

function requestRunner(b: TraceBuilder): void {
  b.note(AWF, "allocate", "Allocate");
  b.note(AWF, "no-runners-pending", "No runners available,<br/>Start pending");
  b.msg(AWF, S, "Bump", "Bump");
  b.note(S, "desired", "Desired: 1");
  b.msg(S, SE, "StartRequest", "GET /start");
}

/** The tunnelled GET /sleep on runner `n`; returns the seq of the actor's sleep intent. */
function sleepRequest(b: TraceBuilder, n: number): number {
  const { R, RWS, RWF } = runner(n);
  const tunnel = b.msg(G, RWS, "ToClientRequestStart", "Tunnel ToClientRequestStart");
  b.relay(tunnel, RWS, R);
  b.note(R, "handle-request", "Handle GET /sleep");
  const intent = b.msg(R, RWS, "EventActorIntent", "Actor intent: Sleep");
  b.relay(intent, RWS, RWF);
  const response = b.msg(R, RWS, "ToServerResponseStart", "ToServerResponseStart");
  b.relay(response, RWS, G);
  b.relay(response, G, U, { type: "UserResponse" });
  return intent;
}

function stopActorOn(b: TraceBuilder, n: number): void {
  const { R, RWS, RWF } = runner(n);
  b.note(R, "stop-actor", "Stop actor");
  const stopped = b.msg(R, RWS, "EventActorStateUpdate", "Actor state update: Stopped");
  b.relay(stopped, RWS, RWF);
  b.relay(stopped, RWF, AWF);
  b.note(AWF, "deallocate", "Deallocate");
  b.msg(AWF, S, "Bump", "Bump");
  b.note(AWF, "send-stopped", "Send Stopped msg");
}

/** The autoscaler drains runner `n` and evicts its socket; the references order the notes differently. */
function drainAndEvict(b: TraceBuilder, n: number, order: "after-grace-first" | "remove-first"): void {
  const { R, RWS, RWF } = runner(n);
  b.msg(S, RWF, "Stop", "Stop");
  if (order === "remove-first") b.note(RWF, "remove-from-index", "Remove from alloc idx");
  b.note(S, "after-grace", "After grace");
  const evict = b.msg(S, RWS, "Evict", "Evict WS");
  b.relay(evict, RWS, R);
  if (order === "after-grace-first") b.note(RWF, "remove-from-index", "Remove from alloc idx");
}
