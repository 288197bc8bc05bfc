// What the history import needs to know about the wire trace to join workflow events to it:
// commands and events by checkpoint, runner connections by runner id, gateway requests by actor
// and time, serverless starts by pool. Built from the recorded events only. Pure.
import type { ParticipantRef, TraceEvent } from "@/lib/trace/types";

export interface WireConnection {
  runnerId: string;
  connectSeq: number;
  connectTime: number;
  socket: ParticipantRef;
  runner: ParticipantRef;
}

export interface WireRequest {
  seq: number;
  time: number;
  actorId: string | null;
  /** A query-addressed request that may create its actor (`rvt-method=getOrCreate` / `create`). */
  createsActor: boolean;
  /** When its answer went back to the user (null: never, within the recording). */
  answeredAt: number | null;
  /** The gateway's tunnel hop that forwarded it to the runner, if any. */
  tunnelSeq: number | null;
  tunnelTime: number | null;
}

export interface WireStart {
  seq: number;
  time: number;
  pool: string;
  actorId: string | null;
  generation: number | null;
}

export interface WireApiCall {
  requestSeq: number;
  time: number;
  method: string;
  path: string;
  actorId: string | null;
}

export interface WireIndex {
  /** `actor/generation/index` → seq of the command delivered to the runner (RWS → R). */
  commands: Map<string, number>;
  /** `actor/generation/index` → seq of the runner's event (R → RWS). */
  events: Map<string, number>;
  connections: Map<string, WireConnection[]>;
  requests: WireRequest[];
  starts: WireStart[];
  api: WireApiCall[];
  bySeq: Map<number, TraceEvent>;
}

interface Checkpointed {
  checkpoint?: { actorId?: unknown; generation?: unknown; index?: unknown };
  resent?: unknown;
}

export function checkpointKey(actorId: string, generation: number, index: number): string {
  return `${actorId}/${generation}/${index}`;
}

function keyOf(payload: unknown): string | null {
  const c = (payload as Checkpointed | null)?.checkpoint;
  if (!c || typeof c.actorId !== "string" || typeof c.generation !== "number" || typeof c.index !== "number") return null;
  return checkpointKey(c.actorId, c.generation, c.index);
}

function field<T>(payload: unknown, name: string): T | undefined {
  return payload !== null && typeof payload === "object" ? ((payload as Record<string, unknown>)[name] as T) : undefined;
}

export function indexWire(events: readonly TraceEvent[]): WireIndex {
  const index: WireIndex = { commands: new Map(), events: new Map(), connections: new Map(), requests: [], starts: [], api: [], bySeq: new Map() };
  const requests = new Map<number, WireRequest>();
  const connects = new Map<number, TraceEvent>();
  const apiCalls = new Map<number, WireApiCall>();
  for (const event of events) {
    index.bySeq.set(event.seq, event);
    const from = event.from?.role;
    const to = event.to?.role;
    if (event.kind !== "message" && event.kind !== "relation") continue;
    const resent = field<boolean>(event.payload, "resent") === true;
    if ((event.type === "CommandStartActor" || event.type === "CommandStopActor") && from === "RunnerWS" && to === "Runner" && !resent) {
      const key = keyOf(event.payload);
      if (key && !index.commands.has(key)) index.commands.set(key, event.seq);
    } else if (event.type.startsWith("EventActor") && from === "Runner" && to === "RunnerWS" && !resent) {
      const key = keyOf(event.payload);
      if (key && !index.events.has(key)) index.events.set(key, event.seq);
    } else if ((event.type === "ToServerInit" || event.type === "ToRivetMetadata") && from === "Runner") {
      connects.set(event.seq, event);
      if (event.type === "ToRivetMetadata" && event.runnerId) addConnection(index, event.runnerId, event);
    } else if ((event.type === "ToClientInit") && from === "RunnerWS" && event.runnerId && event.causeSeq !== null) {
      const connect = connects.get(event.causeSeq);
      if (connect) addConnection(index, event.runnerId, connect);
    } else if ((event.type === "UserRequest" || event.type === "UserWebSocketOpen") && to === "Gateway") {
      const url = String(field<string>(event.payload, "url") ?? "");
      const createsActor = /[?&]rvt-method=(getOrCreate|create)(&|$)/.test(url);
      const request: WireRequest = { seq: event.seq, time: event.time, actorId: event.actorId, createsActor, answeredAt: null, tunnelSeq: null, tunnelTime: null };
      requests.set(event.seq, request);
      index.requests.push(request);
    } else if ((event.type === "UserResponse" || event.type === "UserError" || event.type === "UserWebSocketOpened") && from === "Gateway") {
      const request = requests.get(field<number>(event.payload, "requestSeq") ?? -1);
      if (request) {
        request.answeredAt = event.time;
        request.actorId ??= event.actorId;
      }
    } else if ((event.type === "ToClientRequestStart" || event.type === "ToClientWebSocketOpen") && from === "Gateway") {
      const request = requests.get(field<number>(event.payload, "userRequestSeq") ?? -1);
      if (request) {
        request.tunnelSeq = event.seq;
        request.tunnelTime = event.time;
        request.actorId ??= event.actorId;
      }
    } else if (event.type === "StartRequest" && from === "Serverless") {
      const commands = field<{ kind: string; checkpoint: { generation: number } }[]>(event.payload, "commands") ?? [];
      const start = commands.find((c) => c.kind === "start");
      index.starts.push({ seq: event.seq, time: event.time, pool: event.from!.id, actorId: event.actorId, generation: start?.checkpoint.generation ?? null });
    } else if (event.type === "ApiRequest") {
      const [path] = String(field<string>(event.payload, "url") ?? "").split("?");
      const call: WireApiCall = { requestSeq: event.seq, time: event.time, method: String(field<string>(event.payload, "method") ?? ""), path, actorId: event.actorId };
      apiCalls.set(event.seq, call);
      index.api.push(call);
    } else if (event.type === "ApiResponse") {
      const call = apiCalls.get(field<number>(event.payload, "requestSeq") ?? -1);
      if (call && event.actorId) call.actorId ??= event.actorId;
    }
  }
  return index;
}

function addConnection(index: WireIndex, runnerId: string, connect: TraceEvent): void {
  if (!connect.from || !connect.to) return;
  const list = index.connections.get(runnerId) ?? [];
  if (list.some((c) => c.connectSeq === connect.seq)) return;
  list.push({ runnerId, connectSeq: connect.seq, connectTime: connect.time, socket: connect.to, runner: connect.from });
  index.connections.set(runnerId, list);
}

/** The runner's connection open at a time (the latest one made before it), else its first. */
export function connectionAt(index: WireIndex, runnerId: string, time: number): WireConnection | null {
  const list = index.connections.get(runnerId);
  if (!list || list.length === 0) return null;
  return [...list].reverse().find((c) => c.connectTime <= time) ?? list[0];
}
