// The two client protocols of the real engine, decoded with their published codecs and brought to
// one shape: runner protocol v7 (`/runners/connect`, @rivetkit/engine-runner-protocol) and envoy
// protocol v8 (`/envoys/connect`, @rivetkit/engine-envoy-protocol). Both send one BARE union per
// binary WebSocket message, without a version prefix. The codecs are ES modules, loaded once.
import type * as RunnerProtocol from "@rivetkit/engine-runner-protocol";
import type * as EnvoyProtocol from "@rivetkit/engine-envoy-protocol";

let runnerCodec: typeof RunnerProtocol | null = null;
let envoyCodec: typeof EnvoyProtocol | null = null;

export async function loadCodecs(): Promise<void> {
  runnerCodec ??= await import("@rivetkit/engine-runner-protocol");
  envoyCodec ??= await import("@rivetkit/engine-envoy-protocol");
}

function runner(): typeof RunnerProtocol {
  if (!runnerCodec) throw new Error("codecs not loaded (call loadCodecs() first)");
  return runnerCodec;
}
function envoy(): typeof EnvoyProtocol {
  if (!envoyCodec) throw new Error("codecs not loaded (call loadCodecs() first)");
  return envoyCodec;
}

export type Protocol = "runner" | "envoy";

export interface Checkpoint {
  actorId: string;
  generation: number;
  index: number;
}

export type ActorEvent =
  | { checkpoint: Checkpoint; kind: "state"; state: "Running" }
  | { checkpoint: Checkpoint; kind: "state"; state: "Stopped"; code: string; message: string | null }
  | { checkpoint: Checkpoint; kind: "intent"; intent: "Sleep" | "Stop" }
  | { checkpoint: Checkpoint; kind: "alarm"; alarmTs: number | null };

export interface ActorCommand {
  checkpoint: Checkpoint;
  kind: "start" | "stop";
  config?: { name: string; key: string | null; createTs: number; inputBytes: number | null };
  reason?: string | null;
}

export interface TunnelId {
  gatewayId: string;
  requestId: string;
  index: number;
}

export type UpTunnel =
  | { kind: "response-start"; status: number; headers: Record<string, string>; body: ArrayBuffer | null; stream: boolean }
  | { kind: "response-chunk"; bytes: number; finish: boolean }
  | { kind: "response-abort"; reason: string | null }
  | { kind: "ws-open"; canHibernate: boolean }
  | { kind: "ws-message"; data: ArrayBuffer; binary: boolean }
  | { kind: "ws-message-ack" }
  | { kind: "ws-close"; code: number | null; reason: string | null }
  | { kind: "other"; tag: string };

export type DownTunnel =
  | { kind: "request-start"; actorId: string; generation: number | null; method: string; path: string; headers: Record<string, string>; body: ArrayBuffer | null; stream: boolean }
  | { kind: "request-chunk"; bytes: number; finish: boolean }
  | { kind: "request-abort" }
  | { kind: "ws-open"; actorId: string; generation: number | null; path: string; headers: Record<string, string> }
  | { kind: "ws-message"; data: ArrayBuffer; binary: boolean }
  | { kind: "ws-close"; code: number | null; reason: string | null }
  | { kind: "other"; tag: string };

/** Runner (or envoy) → engine. */
export type UpFrame =
  | { t: "connect"; tag: string; name: string | null; version: number | null; totalSlots: number | null; metadata: unknown }
  | { t: "events"; tag: string; events: ActorEvent[] }
  | { t: "ack-commands"; tag: string; checkpoints: Checkpoint[] }
  | { t: "stopping"; tag: string }
  | { t: "pong"; tag: string; ts: number }
  | { t: "kv"; tag: string; actorId: string; requestId: number; op: string }
  | { t: "storage"; tag: string; requestId: number | null }
  | { t: "tunnel"; tag: string; id: TunnelId; msg: UpTunnel };

/** Engine → runner (or envoy). */
export type DownFrame =
  | { t: "init"; tag: string; runnerId: string | null; metadata: Record<string, number | null> }
  | { t: "commands"; tag: string; commands: ActorCommand[] }
  | { t: "ack-events"; tag: string; checkpoints: Checkpoint[] }
  | { t: "ping"; tag: string; ts: number }
  | { t: "kv-response"; tag: string; requestId: number; ok: boolean }
  | { t: "storage-response"; tag: string; requestId: number | null }
  | { t: "tunnel"; tag: string; id: TunnelId; msg: DownTunnel };

type AnyCheckpoint = { actorId: string; generation: number; index: bigint | number };
type AnyEventWrapper = { checkpoint: AnyCheckpoint; inner: { tag: string; val: unknown } };
type AnyCommandWrapper = { checkpoint: AnyCheckpoint; inner: { tag: string; val: unknown } };

function checkpointOf(c: AnyCheckpoint): Checkpoint {
  return { actorId: c.actorId, generation: c.generation, index: Number(c.index) };
}

function headersOf(map: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of map) out[name.toLowerCase()] = value;
  return out;
}

function idHex(buffer: ArrayBuffer): string {
  return Buffer.from(new Uint8Array(buffer)).toString("hex");
}

function eventsOf(wrappers: readonly AnyEventWrapper[]): ActorEvent[] {
  return wrappers.map((wrapper) => {
    const checkpoint = checkpointOf(wrapper.checkpoint);
    const inner = wrapper.inner;
    switch (inner.tag) {
      case "EventActorIntent": {
        const intent = (inner.val as { intent: { tag: string } }).intent.tag;
        return { checkpoint, kind: "intent", intent: intent === "ActorIntentSleep" ? "Sleep" : "Stop" };
      }
      case "EventActorStateUpdate": {
        const state = (inner.val as { state: { tag: string; val: unknown } }).state;
        if (state.tag === "ActorStateRunning") return { checkpoint, kind: "state", state: "Running" };
        const stopped = state.val as { code: string; message: string | null };
        return { checkpoint, kind: "state", state: "Stopped", code: String(stopped.code), message: stopped.message ?? null };
      }
      default: {
        const alarm = (inner.val as { alarmTs: bigint | number | null }).alarmTs;
        return { checkpoint, kind: "alarm", alarmTs: alarm === null ? null : Number(alarm) };
      }
    }
  });
}

function commandsOf(wrappers: readonly AnyCommandWrapper[]): ActorCommand[] {
  return wrappers.map((wrapper) => {
    const checkpoint = checkpointOf(wrapper.checkpoint);
    if (wrapper.inner.tag === "CommandStartActor") {
      const config = (wrapper.inner.val as { config: { name: string; key: string | null; createTs: bigint | number; input: ArrayBuffer | null } }).config;
      return { checkpoint, kind: "start", config: { name: config.name, key: config.key, createTs: Number(config.createTs), inputBytes: config.input === null ? null : config.input.byteLength } };
    }
    const val = wrapper.inner.val as { reason?: string } | null;
    return { checkpoint, kind: "stop", reason: val && typeof val === "object" && "reason" in val ? String(val.reason) : null };
  });
}

/** A KV or storage request's operation, as a short word. */
function kvOp(data: { tag: string }): string {
  return data.tag.replace(/^Kv/, "").replace(/Request$/, "").toLowerCase();
}

export function decodeUp(protocol: Protocol, bytes: Uint8Array): UpFrame {
  return protocol === "runner" ? decodeRunnerUp(bytes) : decodeEnvoyUp(bytes);
}

export function decodeDown(protocol: Protocol, bytes: Uint8Array): DownFrame {
  return protocol === "runner" ? decodeRunnerDown(bytes) : decodeEnvoyDown(bytes);
}

function decodeRunnerUp(bytes: Uint8Array): UpFrame {
  const frame = runner().decodeToServer(bytes);
  switch (frame.tag) {
    case "ToServerInit":
      return { t: "connect", tag: frame.tag, name: frame.val.name, version: frame.val.version, totalSlots: frame.val.totalSlots, metadata: parseJson(frame.val.metadata) };
    case "ToServerEvents":
      return { t: "events", tag: frame.tag, events: eventsOf(frame.val as readonly AnyEventWrapper[]) };
    case "ToServerAckCommands":
      return { t: "ack-commands", tag: frame.tag, checkpoints: frame.val.lastCommandCheckpoints.map(checkpointOf) };
    case "ToServerStopping":
      return { t: "stopping", tag: frame.tag };
    case "ToServerPong":
      return { t: "pong", tag: frame.tag, ts: Number(frame.val.ts) };
    case "ToServerKvRequest":
      return { t: "kv", tag: frame.tag, actorId: frame.val.actorId, requestId: frame.val.requestId, op: kvOp(frame.val.data) };
    case "ToServerTunnelMessage": {
      const { messageId, messageKind } = frame.val;
      return { t: "tunnel", tag: frame.tag, id: tunnelIdOf(messageId), msg: upTunnel(messageKind as { tag: string; val: unknown }) };
    }
  }
}

function decodeRunnerDown(bytes: Uint8Array): DownFrame {
  const frame = runner().decodeToClient(bytes);
  switch (frame.tag) {
    case "ToClientInit": {
      const m = frame.val.metadata;
      return {
        t: "init",
        tag: frame.tag,
        runnerId: frame.val.runnerId,
        metadata: { runnerLostThreshold: Number(m.runnerLostThreshold), actorStopThreshold: Number(m.actorStopThreshold), serverlessDrainGracePeriod: m.serverlessDrainGracePeriod === null ? null : Number(m.serverlessDrainGracePeriod) },
      };
    }
    case "ToClientCommands":
      return { t: "commands", tag: frame.tag, commands: commandsOf(frame.val as readonly AnyCommandWrapper[]) };
    case "ToClientAckEvents":
      return { t: "ack-events", tag: frame.tag, checkpoints: frame.val.lastEventCheckpoints.map(checkpointOf) };
    case "ToClientKvResponse":
      return { t: "kv-response", tag: frame.tag, requestId: frame.val.requestId, ok: frame.val.data.tag !== "KvErrorResponse" };
    case "ToClientTunnelMessage": {
      const { messageId, messageKind } = frame.val;
      return { t: "tunnel", tag: frame.tag, id: tunnelIdOf(messageId), msg: downTunnel(messageKind as { tag: string; val: unknown }) };
    }
    case "ToClientPing":
      return { t: "ping", tag: frame.tag, ts: Number(frame.val.ts) };
  }
}

function decodeEnvoyUp(bytes: Uint8Array): UpFrame {
  const frame = envoy().decodeToRivet(bytes) as { tag: string; val: unknown };
  const val = frame.val as Record<string, unknown>;
  switch (frame.tag) {
    case "ToRivetMetadata":
      return { t: "connect", tag: frame.tag, name: null, version: null, totalSlots: null, metadata: parseJson(val.metadata as string | null) };
    case "ToRivetEvents":
      return { t: "events", tag: frame.tag, events: eventsOf(frame.val as readonly AnyEventWrapper[]) };
    case "ToRivetAckCommands":
      return { t: "ack-commands", tag: frame.tag, checkpoints: (val.lastCommandCheckpoints as AnyCheckpoint[]).map(checkpointOf) };
    case "ToRivetStopping":
      return { t: "stopping", tag: frame.tag };
    case "ToRivetPong":
      return { t: "pong", tag: frame.tag, ts: Number(val.ts) };
    case "ToRivetKvRequest":
      return { t: "kv", tag: frame.tag, actorId: String(val.actorId), requestId: Number(val.requestId), op: kvOp(val.data as { tag: string }) };
    case "ToRivetTunnelMessage":
      return { t: "tunnel", tag: frame.tag, id: tunnelIdOf(val.messageId as TunnelMessageId), msg: upTunnel(val.messageKind as { tag: string; val: unknown }) };
    default:
      // ToRivetSqlite*: the actor's SQLite pages and commits, stored by the engine.
      return { t: "storage", tag: frame.tag, requestId: typeof val?.requestId === "number" ? val.requestId : null };
  }
}

function decodeEnvoyDown(bytes: Uint8Array): DownFrame {
  const frame = envoy().decodeToEnvoy(bytes) as { tag: string; val: unknown };
  const val = frame.val as Record<string, unknown>;
  switch (frame.tag) {
    case "ToEnvoyInit": {
      const m = val.metadata as Record<string, bigint | number>;
      return { t: "init", tag: frame.tag, runnerId: null, metadata: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === null ? null : Number(v)])) };
    }
    case "ToEnvoyCommands":
      return { t: "commands", tag: frame.tag, commands: commandsOf(frame.val as readonly AnyCommandWrapper[]) };
    case "ToEnvoyAckEvents":
      return { t: "ack-events", tag: frame.tag, checkpoints: (val.lastEventCheckpoints as AnyCheckpoint[]).map(checkpointOf) };
    case "ToEnvoyKvResponse":
      return { t: "kv-response", tag: frame.tag, requestId: Number(val.requestId), ok: (val.data as { tag: string }).tag !== "KvErrorResponse" };
    case "ToEnvoyTunnelMessage":
      return { t: "tunnel", tag: frame.tag, id: tunnelIdOf(val.messageId as TunnelMessageId), msg: downTunnel(val.messageKind as { tag: string; val: unknown }) };
    case "ToEnvoyPing":
      return { t: "ping", tag: frame.tag, ts: Number(val.ts) };
    default:
      return { t: "storage-response", tag: frame.tag, requestId: typeof val?.requestId === "number" ? val.requestId : null };
  }
}

/** The commands in a gen-3 `POST /start` body: u16 LE protocol version, then a ToEnvoy union. */
export function decodeStartBody(bytes: Uint8Array): { version: number; commands: ActorCommand[] } | null {
  if (bytes.length < 3) return null;
  const version = bytes[0] | (bytes[1] << 8);
  try {
    const frame = envoy().decodeToEnvoy(bytes.subarray(2)) as { tag: string; val: unknown };
    if (frame.tag !== "ToEnvoyCommands") return { version, commands: [] };
    return { version, commands: commandsOf(frame.val as readonly AnyCommandWrapper[]) };
  } catch {
    return null;
  }
}

/** The first `GET /start` event of a v7 serverless runner: u16 LE version + ToServerlessServerInit, base64. */
export function decodeServerlessInitData(data: string): { runnerId: string; runnerProtocolVersion: number } | null {
  try {
    const bytes = new Uint8Array(Buffer.from(data.trim(), "base64"));
    if (bytes.length < 3) return null;
    const frame = runner().decodeToServerlessServer(bytes.subarray(2));
    return { runnerId: frame.val.runnerId, runnerProtocolVersion: frame.val.runnerProtocolVersion };
  } catch {
    return null;
  }
}

type TunnelMessageId = { gatewayId: ArrayBuffer; requestId: ArrayBuffer; messageIndex: number };

function tunnelIdOf(id: TunnelMessageId): TunnelId {
  return { gatewayId: idHex(id.gatewayId), requestId: idHex(id.requestId), index: id.messageIndex };
}

function upTunnel(kind: { tag: string; val: unknown }): UpTunnel {
  const val = kind.val as Record<string, unknown>;
  switch (kind.tag) {
    case "ToServerResponseStart":
    case "ToRivetResponseStart":
      return { kind: "response-start", status: Number(val.status), headers: headersOf(val.headers as ReadonlyMap<string, string>), body: (val.body as ArrayBuffer | null) ?? null, stream: val.stream === true };
    case "ToServerResponseChunk":
    case "ToRivetResponseChunk":
      return { kind: "response-chunk", bytes: (val.body as ArrayBuffer).byteLength, finish: val.finish === true };
    case "ToServerResponseAbort":
    case "ToRivetResponseAbort": {
      const reason = val && typeof val === "object" && "reason" in val ? (val.reason as { kind?: string; detail?: string | null }) : null;
      return { kind: "response-abort", reason: reason ? [reason.kind, reason.detail].filter(Boolean).join(": ") : null };
    }
    case "ToServerWebSocketOpen":
    case "ToRivetWebSocketOpen":
      return { kind: "ws-open", canHibernate: val.canHibernate === true };
    case "ToServerWebSocketMessage":
    case "ToRivetWebSocketMessage":
      return { kind: "ws-message", data: val.data as ArrayBuffer, binary: val.binary === true };
    case "ToServerWebSocketMessageAck":
    case "ToRivetWebSocketMessageAck":
      return { kind: "ws-message-ack" };
    case "ToServerWebSocketClose":
    case "ToRivetWebSocketClose":
      return { kind: "ws-close", code: (val.code as number | null) ?? null, reason: (val.reason as string | null) ?? null };
    default:
      return { kind: "other", tag: kind.tag };
  }
}

function downTunnel(kind: { tag: string; val: unknown }): DownTunnel {
  const val = kind.val as Record<string, unknown>;
  switch (kind.tag) {
    case "ToClientRequestStart":
    case "ToEnvoyRequestStart":
      return {
        kind: "request-start",
        actorId: String(val.actorId),
        generation: typeof val.actorGeneration === "number" ? val.actorGeneration : null,
        method: String(val.method),
        path: String(val.path),
        headers: headersOf(val.headers as ReadonlyMap<string, string>),
        body: (val.body as ArrayBuffer | null) ?? null,
        stream: val.stream === true,
      };
    case "ToClientRequestChunk":
    case "ToEnvoyRequestChunk":
      return { kind: "request-chunk", bytes: (val.body as ArrayBuffer).byteLength, finish: val.finish === true };
    case "ToClientRequestAbort":
    case "ToEnvoyRequestAbort":
      return { kind: "request-abort" };
    case "ToClientWebSocketOpen":
    case "ToEnvoyWebSocketOpen":
      return { kind: "ws-open", actorId: String(val.actorId), generation: typeof val.actorGeneration === "number" ? val.actorGeneration : null, path: String(val.path), headers: headersOf(val.headers as ReadonlyMap<string, string>) };
    case "ToClientWebSocketMessage":
    case "ToEnvoyWebSocketMessage":
      return { kind: "ws-message", data: val.data as ArrayBuffer, binary: val.binary === true };
    case "ToClientWebSocketClose":
    case "ToEnvoyWebSocketClose":
      return { kind: "ws-close", code: (val.code as number | null) ?? null, reason: (val.reason as string | null) ?? null };
    default:
      return { kind: "other", tag: kind.tag };
  }
}

function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
