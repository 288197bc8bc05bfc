// What the proxy remembers between hops so it can say which recorded event answers or relays
// which: runner connections and their ids, gateway requests waiting for their tunnel request,
// tunnel requests waiting for their response, commands waiting for the events they cause.
// A long recording must not grow it: entries go when what they wait for has happened (a request
// answered, a tunnel finished, a socket closed, a `/start` stream ended, an actor's generation
// replaced). What stays is one small entry per actor and pool seen, which the history import reads.
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
  /** WebSocket: seqs of the user's messages not yet seen going to the runner (oldest first). */
  userMessages: number[];
  /** WebSocket: seqs of the runner's messages (relayed to the gateway) not yet seen going to the user. */
  runnerMessages: number[];
}

/** Messages a WebSocket may have in flight one way before the oldest is no longer paired. */
export const MAX_UNPAIRED_MESSAGES = 256;

/** Queues a message seq for pairing with its relay, keeping the queue bounded. */
export function queueForRelay(queue: number[], seq: number): void {
  queue.push(seq);
  if (queue.length > MAX_UNPAIRED_MESSAGES) queue.shift();
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
  /** `actor` → the generations whose command and event checkpoints are remembered. */
  private readonly generationsByActor = new Map<string, Set<number>>();

  nextSocketNumber(): number {
    this.socketCounter += 1;
    return this.socketCounter;
  }

  /** The oldest gateway request for this actor still waiting for its tunnel request. */
  takeGatewayRequest(actorId: string, method: string, path: string, websocket: boolean): GatewayRequest | null {
    // The real gateway answers a WebSocket upgrade (101) before it opens the tunnel to the runner.
    const waiting = this.gatewayRequests.filter((r) => r.tunnel === null && (!r.answered || r.websocket) && r.websocket === websocket && (r.actorId === null || r.actorId === actorId));
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

  /** Remembers a command's or event's checkpoint (so it can be released with its generation). */
  rememberCheckpoint(map: Map<string, number>, checkpoint: { actorId: string; generation: number; index: number }, seq: number): void {
    map.set(checkpointKey(checkpoint), seq);
    this.rememberGeneration(checkpoint.actorId, checkpoint.generation);
  }

  rememberGeneration(actorId: string, generation: number): void {
    let generations = this.generationsByActor.get(actorId);
    if (!generations) this.generationsByActor.set(actorId, (generations = new Set()));
    generations.add(generation);
  }

  /**
   * Forgets the checkpoints of an actor's generations before `generation` (all of them when
   * null): a new generation started, or the actor was destroyed, so nothing of the old one can
   * still be acknowledged, re-sent or answered.
   */
  releaseGenerations(actorId: string, generation: number | null): void {
    const generations = this.generationsByActor.get(actorId);
    if (!generations) return;
    for (const old of [...generations]) {
      if (generation !== null && old >= generation) continue;
      generations.delete(old);
      this.lastCommand.delete(`${actorId}/${old}`);
      const prefix = `${actorId}/${old}/`;
      for (const map of [this.commandSeqs, this.eventSeqs]) for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
      // Gen 3: the `POST /start` that carried that generation's StartActor.
      for (let i = this.starts.length - 1; i >= 0; i--) if (this.starts[i].actorId === actorId && this.starts[i].generation === old) this.starts.splice(i, 1);
    }
    if (generations.size === 0) this.generationsByActor.delete(actorId);
  }

  /** A finished tunnel request (answered in full, aborted or closed). */
  releaseTunnel(key: string): void {
    this.tunnels.delete(key);
  }

  /** A runner socket closed: its connection, and the tunnels it carried. */
  releaseConnection(connection: RunnerConnection): void {
    this.connections.delete(connection.socket.id);
    if (connection.runnerId !== null && this.byRunnerId.get(connection.runnerId) === connection) this.byRunnerId.delete(connection.runnerId);
    for (const [key, tunnel] of this.tunnels) if (tunnel.connection === connection) this.tunnels.delete(key);
  }

  /**
   * A serverless `/start` stream ended. A gen-2 start (`GET /start`) is done with; a gen-3 one
   * stays until its actor's next generation, since the envoy's events for the actor it carried
   * are joined to it.
   */
  releaseStart(start: ServerlessStart): void {
    if (start.actorId !== null) return;
    const at = this.starts.indexOf(start);
    if (at >= 0) this.starts.splice(at, 1);
  }

  /** How many entries each correlation table holds (the per-actor and per-pool sets aside). */
  sizes(): Record<string, number> {
    return {
      connections: this.connections.size,
      byRunnerId: this.byRunnerId.size,
      gatewayRequests: this.gatewayRequests.length,
      tunnels: this.tunnels.size,
      commandSeqs: this.commandSeqs.size,
      lastCommand: this.lastCommand.size,
      eventSeqs: this.eventSeqs.size,
      starts: this.starts.length,
      generations: [...this.generationsByActor.values()].reduce((n, g) => n + g.size, 0),
    };
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
