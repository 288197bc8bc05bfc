// What the proxy remembers between hops so it can say which recorded event answers or relays
// which: runner connections and their ids, gateway requests waiting for their tunnel request,
// tunnel requests waiting for their response, commands waiting for the events they cause.
import type { ParticipantRef } from "@/lib/trace/types";
import type { Protocol } from "./protocols";

export interface RunnerConnection {
  /** Per process: the runner key (v7) or envoy key (v8) from the connect URL. */
  key: string;
  protocol: Protocol;
  runner: ParticipantRef;
  socket: ParticipantRef;
  name: string | null;
  namespace: string | null;
  /** v7: minted by the engine in ToClientInit; v8: the envoy key. */
  runnerId: string | null;
  connectSeq: number | null;
  lastPingSeq: number | null;
  closed: boolean;
}

export interface GatewayRequest {
  seq: number;
  user: ParticipantRef;
  actorId: string | null;
  method: string;
  /** The path the actor sees (after `/gateway/{id}`), with its query. */
  actorPath: string;
  websocket: boolean;
  /** Set once the engine forwarded it on a runner socket. */
  tunnel: TunnelEntry | null;
  answered: boolean;
}

export interface TunnelEntry {
  key: string;
  actorId: string;
  connection: RunnerConnection;
  /** The gateway → runner socket hop and the hop to the runner. */
  gatewaySeq: number;
  runnerSeq: number;
  request: GatewayRequest | null;
  /** The runner's answer relayed back to the gateway (RWS → G), once seen. */
  answerSeq: number | null;
  rayId: string | null;
}

export interface ServerlessStart {
  seq: number;
  pool: string;
  protocolVersion: number | null;
  runnerId: string | null;
  /** Gen 3: the actor the `POST /start` carries a StartActor for. */
  actorId: string | null;
  generation: number | null;
  checkpointKey: string | null;
  relationSeq: number | null;
}

export type WireActorState = "Starting" | "Running" | "SleepIntent" | "StopIntent" | "Sleeping" | "Destroyed";

export class WireState {
  readonly connections = new Map<string, RunnerConnection>();
  readonly byRunnerId = new Map<string, RunnerConnection>();
  readonly gatewayRequests: GatewayRequest[] = [];
  readonly tunnels = new Map<string, TunnelEntry>();
  /** `actor/generation/index` → seq of the command's delivery to the runner. */
  readonly commandSeqs = new Map<string, number>();
  /** `actor/generation` → seq of the last command delivered for it. */
  readonly lastCommand = new Map<string, number>();
  /** Events already seen, to tell re-sent ones. */
  readonly eventSeqs = new Map<string, number>();
  readonly actorStates = new Map<string, WireActorState>();
  readonly destroyedActors = new Set<string>();
  readonly starts: ServerlessStart[] = [];
  /** Runner names (pools) seen on the wire: connects, serverless starts, runner configs. */
  readonly pools = new Set<string>();
  readonly actors = new Set<string>();
  private socketCounter = 0;

  nextSocketNumber(): number {
    this.socketCounter += 1;
    return this.socketCounter;
  }

  /** The oldest gateway request for this actor still waiting for its tunnel request. */
  takeGatewayRequest(actorId: string, method: string, path: string, websocket: boolean): GatewayRequest | null {
    const waiting = this.gatewayRequests.filter((r) => r.tunnel === null && !r.answered && r.websocket === websocket && (r.actorId === null || r.actorId === actorId));
    const exact = waiting.find((r) => r.method === method && samePath(r.actorPath, path));
    return exact ?? waiting.find((r) => r.actorId === actorId && r.method === method) ?? null;
  }

  /** The oldest unanswered gateway request for an actor (the one a wake serves). */
  waitingRequest(actorId: string): GatewayRequest | null {
    return this.gatewayRequests.find((r) => !r.answered && r.tunnel === null && r.actorId === actorId) ?? null;
  }

  forget(request: GatewayRequest): void {
    const at = this.gatewayRequests.indexOf(request);
    if (at >= 0) this.gatewayRequests.splice(at, 1);
  }
}

/** A `state` note of what the wire shows about an actor (until its workflow history says more). */
export function noteWireState(
  trace: { note(over: ParticipantRef, type: string, label: string, rest: { actorId?: string | null; runnerId?: string | null; cause?: number | null; housekeeping?: boolean; payload?: unknown }): number },
  state: WireState,
  over: ParticipantRef,
  change: { actorId: string; generation: number; to: WireActorState; cause: number | null; runnerId: string | null },
): void {
  const from = state.actorStates.get(change.actorId) ?? null;
  if (from === change.to) return;
  state.actorStates.set(change.actorId, change.to);
  const short = change.actorId.length > 12 ? change.actorId.slice(0, 8) : change.actorId;
  trace.note(over, "state", `${short}: ${from ?? "?"} → ${change.to}<br/>(seen on the wire)`, {
    actorId: change.actorId,
    runnerId: change.runnerId,
    cause: change.cause,
    housekeeping: true,
    payload: { from, to: change.to, generation: change.generation, runnerId: change.runnerId, origin: "wire" },
  });
}

export function checkpointKey(c: { actorId: string; generation: number; index: number }): string {
  return `${c.actorId}/${c.generation}/${c.index}`;
}

/** Paths compared without the query and trailing slash (the engine may normalise either). */
function samePath(a: string, b: string): boolean {
  const clean = (p: string) => (p.split("?")[0].replace(/\/+$/, "") || "/");
  return clean(a) === clean(b) || clean(a).endsWith(clean(b)) || clean(b).endsWith(clean(a));
}
