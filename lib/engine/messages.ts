// Every message that crosses between participants: one closed union, handled by exhaustive switches.
// Runner-protocol messages keep the names of runner protocol v7 so that real runners map onto them.

export interface Checkpoint {
  actorId: string;
  generation: number;
  index: number;
}

export interface ActorConfigWire {
  name: string;
  key: string | null;
  createTs: number;
  input: string | null;
}

export type ActorStateUpdate = { state: "Running" } | { state: "Stopped"; code: "Ok" | "Error"; message: string | null };
export type ActorIntent = "Sleep" | "Stop";

export interface HttpRequestWire {
  requestId: string;
  actorId: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
  /** How `body` is written: UTF-8 text when absent, base64 for bytes that are not text. */
  bodyEncoding?: "base64";
}

export interface HttpResponseWire {
  requestId: string;
  status: number;
  headers: Record<string, string>;
  body: string | null;
  bodyEncoding?: "base64";
}

/** One WebSocket frame tunnelled between a user and an actor (data as text, or base64 when binary). */
export interface WebSocketDataWire {
  requestId: string;
  /** The actor the socket is to, so every frame of it is recorded in that actor's cycle. */
  actorId: string;
  data: string;
  binary: boolean;
}

export type Message =
  // User ↔ Gateway
  | ({ type: "UserRequest" } & HttpRequestWire)
  | ({ type: "UserResponse" } & HttpResponseWire)
  | { type: "UserError"; requestId: string; status: number; code: string; message: string }
  | { type: "UserWebSocketOpen"; requestId: string; actorId: string; path: string; headers: Record<string, string> }
  | { type: "UserWebSocketOpened"; requestId: string; actorId: string }
  | ({ type: "UserWebSocketMessage" } & WebSocketDataWire)
  | { type: "UserWebSocketClose"; requestId: string; actorId: string; code: number | null; reason: string | null }
  // Gateway ↔ Actor Workflow (the actor's topic)
  | { type: "Wake"; actorId: string; retry: boolean; attempt: number; requestId: string | null }
  | { type: "Ready"; actorId: string; runnerId: string; generation: number }
  | { type: "Stopped"; actorId: string; generation: number }
  | { type: "Failed"; actorId: string; code: string; message: string }
  | { type: "DestroyStarted"; actorId: string }
  // API → Actor Workflow
  | { type: "CreateActor"; actorId: string; name: string; key: string | null; pool: string; crashPolicy: CrashPolicy; input: string | null }
  | { type: "DestroyActor"; actorId: string }
  // Actor Workflow → Serverless
  | { type: "Bump"; pool: string }
  // Serverless ↔ Serverless Endpoint
  | { type: "StartRequest"; startId: string; url: string; headers: Record<string, string> }
  | { type: "ToServerlessServerInit"; startId: string; runnerId: string; runnerProtocolVersion: number }
  | { type: "EndpointPing"; startId: string }
  | { type: "StartFailed"; startId: string; status: number; reason: string }
  | { type: "StartStreamClosed"; startId: string }
  // Runner ↔ Runner WS (runner protocol v7)
  | { type: "ToServerInit"; name: string; version: number; totalSlots: number; runnerKey: string; connId: string }
  | { type: "ToClientInit"; runnerId: string; runnerLostThreshold: number; actorStopThreshold: number; serverlessDrainGracePeriod: number | null }
  | { type: "EventActorIntent"; checkpoint: Checkpoint; intent: ActorIntent }
  | { type: "EventActorStateUpdate"; checkpoint: Checkpoint; update: ActorStateUpdate }
  | { type: "EventActorSetAlarm"; checkpoint: Checkpoint; alarmTs: number | null }
  | {
      type: "CommandStartActor";
      checkpoint: Checkpoint;
      runnerId: string;
      config: ActorConfigWire;
      /** Gateway request ids of the actor's hibernating WebSockets; absent when there are none. */
      hibernatingRequests?: string[];
    }
  | { type: "CommandStopActor"; checkpoint: Checkpoint; runnerId: string }
  | { type: "ToClientAckEvents"; lastEventCheckpoints: Checkpoint[] }
  | { type: "ToServerAckCommands"; lastCommandCheckpoints: Checkpoint[] }
  | { type: "ToClientPing"; ts: number }
  | { type: "ToServerPong"; ts: number }
  | { type: "ToServerStopping" }
  | { type: "ToServerKvRequest"; actorId: string; requestId: number; op: string }
  | { type: "ToClientKvResponse"; requestId: number; ok: boolean }
  | ({ type: "ToClientRequestStart" } & HttpRequestWire)
  | ({ type: "ToServerResponseStart" } & HttpResponseWire)
  | { type: "ToClientRequestAbort"; requestId: string }
  // WebSocket to an actor, tunnelled like HTTP (Gateway → Runner WS → Runner and back)
  | { type: "ToClientWebSocketOpen"; requestId: string; actorId: string; path: string; headers: Record<string, string> }
  | ({ type: "ToClientWebSocketMessage" } & WebSocketDataWire)
  | { type: "ToClientWebSocketClose"; requestId: string; actorId: string; code: number | null; reason: string | null }
  | { type: "ToServerWebSocketOpen"; requestId: string; actorId: string; canHibernate: boolean }
  | ({ type: "ToServerWebSocketMessage" } & WebSocketDataWire)
  | { type: "ToServerWebSocketClose"; requestId: string; actorId: string; code: number | null; reason: string | null }
  | { type: "Evict"; runnerId: string; reason: "ws.eviction" }
  // Runner WS → Runner Workflow (connection lifecycle)
  | { type: "CreateRunnerWorkflow"; runnerId: string; name: string; version: number; totalSlots: number; runnerKey: string }
  | { type: "RunnerReconnected"; runnerId: string }
  | { type: "RunnerDisconnected"; runnerId: string; evicted: boolean }
  | { type: "RunnerStopping"; runnerId: string }
  // Runner Workflow ↔ Actor Workflow, Serverless → Runner Workflow
  | { type: "Allocate"; actorId: string; runnerId: string }
  | { type: "GoingAway"; actorId: string; generation: number }
  | { type: "Lost"; actorId: string; generation: number; reason: LostReason }
  | { type: "Stop"; runnerId: string };

export type MessageType = Message["type"];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

export type CrashPolicy = "sleep" | "restart" | "destroy";
export type LostReason = "RunnerLost" | "RunnerNoResponse" | "RunnerDraining" | "RunnerEvicted";

/** Messages that are protocol housekeeping: hidden in the default (reference-level) view. */
export const HOUSEKEEPING_TYPES: ReadonlySet<MessageType> = new Set<MessageType>([
  "ToClientInit",
  "ToClientAckEvents",
  "ToServerAckCommands",
  "ToClientPing",
  "ToServerPong",
  "ToServerKvRequest",
  "ToClientKvResponse",
  "ToServerlessServerInit",
  "EndpointPing",
  "StartStreamClosed",
  "RunnerDisconnected",
  "RunnerReconnected",
]);

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** Actor id and runner id a message concerns, for indexing recorded events. */
export function messageSubjects(msg: Message): { actorId: string | null; runnerId: string | null } {
  switch (msg.type) {
    case "EventActorIntent":
    case "EventActorStateUpdate":
    case "EventActorSetAlarm":
      return { actorId: msg.checkpoint.actorId, runnerId: null };
    case "CommandStartActor":
    case "CommandStopActor":
      return { actorId: msg.checkpoint.actorId, runnerId: msg.runnerId };
    case "Ready":
      return { actorId: msg.actorId, runnerId: msg.runnerId };
    case "Allocate":
      return { actorId: msg.actorId, runnerId: msg.runnerId };
    case "ToClientInit":
    case "CreateRunnerWorkflow":
    case "RunnerReconnected":
    case "RunnerDisconnected":
    case "RunnerStopping":
    case "Stop":
    case "Evict":
    case "ToServerlessServerInit":
      return { actorId: null, runnerId: msg.runnerId };
    case "UserRequest":
    case "UserWebSocketOpen":
    case "ToClientRequestStart":
    case "ToClientWebSocketOpen":
    case "UserWebSocketOpened":
    case "UserWebSocketMessage":
    case "UserWebSocketClose":
    case "ToClientWebSocketMessage":
    case "ToClientWebSocketClose":
    case "ToServerWebSocketOpen":
    case "ToServerWebSocketMessage":
    case "ToServerWebSocketClose":
    case "Wake":
    case "Stopped":
    case "Failed":
    case "DestroyStarted":
    case "CreateActor":
    case "DestroyActor":
    case "GoingAway":
    case "Lost":
    case "ToServerKvRequest":
      return { actorId: msg.actorId, runnerId: null };
    default:
      return { actorId: null, runnerId: null };
  }
}

/** How an actor event is labelled wherever it is drawn (the runner that sends it, the engine that relays it). */
export function actorEventLabel(msg: MessageOf<"EventActorIntent" | "EventActorStateUpdate" | "EventActorSetAlarm">): string {
  switch (msg.type) {
    case "EventActorIntent":
      return `Actor intent: ${msg.intent}`;
    case "EventActorStateUpdate":
      return `Actor state update: ${msg.update.state}`;
    case "EventActorSetAlarm":
      return msg.alarmTs === null ? "Actor clear alarm" : "Actor set alarm";
    default:
      return assertNever(msg);
  }
}
