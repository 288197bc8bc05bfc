// One ToServer frame → engine messages injected from the runner to its Runner WS (recorded on
// arrival, with the recorded message they answer as cause). KV requests are served here. A large
// event frame is read and taken in slices, with the event loop free between them, so one runner's
// burst never holds the gateway or the other runners; its connection's later frames wait for it.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { grantRefusal } from "../auth/runner-tokens";
import type { Message } from "../engine/messages";
import { codec } from "./codec";
import { actorEventLabel } from "../engine/messages";
import { encodeBody, eventMessage, framePreview, headersToRecord } from "./frames";
import { describeKvRequest } from "./kv-store";
import type { CauseContext } from "./remote-runner";
import type { RunnerConnection } from "./runner-socket";

const NO_CAUSE: CauseContext = { cause: null, phase: null };

/** Event frames above this size are read in slices (a few hundred events). */
export const LARGE_EVENT_FRAME_BYTES = 16 * 1024;
/** Events taken per slice at first; the size then follows SLICE_BUDGET_MS. */
export const EVENT_SLICE = 256;
/** Wall time one slice aims at (reading, or the engine handling the events and recording them). */
const SLICE_BUDGET_MS = 2;

/** A binary frame from the runner: decoded and handled. Settles once a large event frame is all taken. */
export function takeFrame(connection: RunnerConnection, bytes: Uint8Array): void | Promise<void> {
  if (bytes.length > LARGE_EVENT_FRAME_BYTES && bytes[0] === eventsTag()) {
    return takeLargeEventFrame(connection, bytes).catch((err: unknown) => connection.refuse(1011, "ws.internal_error", messageOf(err)));
  }
  let frame: protocol.ToServer;
  try {
    frame = codec().decodeToServer(bytes);
  } catch (err) {
    return refuseUndecodable(connection, bytes, err);
  }
  if (frame.tag === "ToServerEvents" && frame.val.length > connection.maxEventsPerFrame) return refuseTooManyEvents(connection, frame.val.length);
  try {
    return handleFrame(connection, frame);
  } catch (err) {
    connection.refuse(1011, "ws.internal_error", messageOf(err));
  }
}

function refuseTooManyEvents(connection: RunnerConnection, count: number): void {
  connection.refuse(1008, "ws.too_many_events", `a frame carries ${count} events; at most ${connection.maxEventsPerFrame} are taken at once`, { events: count });
}

function refuseUndecodable(connection: RunnerConnection, bytes: Uint8Array, err: unknown): void {
  connection.refuse(1007, "ws.invalid_frame", `cannot decode ${bytes.length} bytes: ${messageOf(err)}`, { bytes: bytes.length, preview: framePreview(bytes) });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function handleFrame(connection: RunnerConnection, frame: protocol.ToServer): void {
  if (!connection.initSeen && frame.tag !== "ToServerInit") {
    return connection.refuse(1008, "ws.init_required", `the first frame must be ToServerInit, got ${frame.tag}`);
  }
  switch (frame.tag) {
    case "ToServerInit":
      return onInit(connection, frame.val);
    case "ToServerEvents":
      return onEvents(connection, frame.val);
    case "ToServerAckCommands": {
      const checkpoints = frame.val.lastCommandCheckpoints.map((c) => ({ actorId: c.actorId, generation: c.generation, index: Number(c.index) }));
      connection.state.ack(checkpoints);
      return inject(connection, { type: "ToServerAckCommands", lastCommandCheckpoints: checkpoints }, "ToServerAckCommands");
    }
    case "ToServerStopping":
      return inject(connection, { type: "ToServerStopping" }, "ToServerStopping");
    case "ToServerPong":
      return inject(connection, { type: "ToServerPong", ts: Number(frame.val.ts) }, "ToServerPong", connection.remote.pingCause);
    case "ToServerKvRequest":
      return onKvRequest(connection, frame.val);
    case "ToServerTunnelMessage":
      return onTunnel(connection, frame.val);
  }
}

function inject(connection: RunnerConnection, msg: Message, label: string, context: CauseContext = NO_CAUSE): void {
  const { runtime, driver } = connection.host;
  driver.input(() => runtime.inject(connection.remote.ref, connection.rws, msg, label, context));
}

function onInit(connection: RunnerConnection, init: protocol.ToServerInit): void {
  if (connection.initSeen) {
    return inject(connection, { type: "ToServerInit", name: init.name, version: init.version, totalSlots: init.totalSlots, runnerKey: connection.runnerKey, connId: connection.rws.id }, "Repeated ToServerInit");
  }
  if (init.name.trim() === "") return connection.refuse(1008, "ws.invalid_init", "ToServerInit has an empty runner name");
  const notPermitted = grantRefusal(connection.grant, init.name, init.version);
  if (notPermitted) return connection.refuse(1008, "ws.runner_not_permitted", notPermitted, { name: init.name, version: init.version });
  connection.initSeen = true;
  const firstConnection = connection.state.connections === 0;
  connection.state.connections += 1;
  const { host } = connection;
  host.driver.input(() => {
    const context = firstConnection ? (host.claimServerlessStart(init.name, connection.remote.ref) ?? NO_CAUSE) : NO_CAUSE;
    host.runtime.inject(
      connection.remote.ref,
      connection.rws,
      { type: "ToServerInit", name: init.name, version: init.version, totalSlots: init.totalSlots, runnerKey: connection.runnerKey, connId: connection.rws.id },
      `Connect<br/>(ToServerInit ${init.name})`,
      context,
    );
  });
}

function onEvents(connection: RunnerConnection, events: protocol.ToServerEvents): void {
  connection.host.driver.input(() => {
    const duplicates = injectEvents(connection, events, 0, events.length);
    noteDuplicates(connection, duplicates);
  });
}

/** Injects events[from, to) in order; returns how many were re-sent ones (ignored). */
function injectEvents(connection: RunnerConnection, events: protocol.ToServerEvents, from: number, to: number): number {
  const { host, remote, state } = connection;
  let duplicates = 0;
  for (let i = from; i < to; i++) {
    const msg = eventMessage(events[i]);
    if (!state.takeEvent(msg.checkpoint)) {
      duplicates += 1;
      continue;
    }
    const { actorId, generation } = msg.checkpoint;
    let context: CauseContext = NO_CAUSE;
    if (msg.type === "EventActorStateUpdate") {
      context = remote.causeOfEvent(actorId, generation);
      // The runner drops an actor's requests when it stops, without telling the engine.
      if (msg.update.state === "Stopped") {
        host.tunnels.dropHttp(actorId);
        remote.forgetGeneration(actorId, generation);
      }
    } else if (msg.type === "EventActorIntent") {
      const request = host.tunnels.httpInFlight(actorId);
      if (request) context = { cause: request.cause, phase: request.phase };
    }
    host.runtime.inject(remote.ref, connection.rws, msg, actorEventLabel(msg), context);
  }
  return duplicates;
}

function noteDuplicates(connection: RunnerConnection, duplicates: number): void {
  if (duplicates === 0) return;
  connection.host.runtime.note(connection.rws, { type: "duplicate-events", label: `Ignored ${duplicates} re-sent event(s)`, housekeeping: true, payload: { duplicates } });
}

/**
 * A large ToServerEvents frame: read whole first, a slice at a time, so a bad frame is refused
 * before any of its events is taken (as a small one is); then taken a slice per engine input, in
 * order. Stops if the connection closes meanwhile.
 */
async function takeLargeEventFrame(connection: RunnerConnection, bytes: Uint8Array): Promise<void> {
  const events: protocol.EventWrapper[] = [];
  try {
    const reader = new EventFrameReader(bytes);
    if (reader.count > connection.maxEventsPerFrame) return refuseTooManyEvents(connection, reader.count);
    while (!reader.done) {
      const until = performance.now() + SLICE_BUDGET_MS;
      while (!reader.done && (events.length % 64 !== 0 || performance.now() < until)) events.push(reader.next());
      if (!reader.done) await nextTurn();
      if (connection.isClosed) return;
    }
    reader.finish();
  } catch (err) {
    return refuseUndecodable(connection, bytes, err);
  }
  const frame: protocol.ToServer = { tag: "ToServerEvents", val: events };
  if (!connection.initSeen) return handleFrame(connection, frame);
  let duplicates = 0;
  let at = 0;
  let size = EVENT_SLICE;
  while (at < events.length) {
    const end = Math.min(events.length, at + size);
    const started = performance.now();
    connection.host.driver.input(() => {
      duplicates += injectEvents(connection, events, at, end);
      if (end === events.length) noteDuplicates(connection, duplicates);
    });
    const spent = performance.now() - started;
    at = end;
    size = Math.max(16, Math.min(4 * size, Math.round((size * SLICE_BUDGET_MS) / Math.max(spent, 0.1))));
    if (at < events.length) await nextTurn();
    if (connection.isClosed) return;
  }
}

/** Lets I/O and timers run before the next slice. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

let eventsTagByte: number | null = null;
let pongTagByte: number | null = null;

/** The first byte of every ToServerEvents frame (its union tag). */
function eventsTag(): number {
  eventsTagByte ??= codec().encodeToServer({ tag: "ToServerEvents", val: [] })[0];
  return eventsTagByte;
}

/**
 * A pong (union tag, then its 8-byte timestamp). Pongs are not held back behind a large frame
 * being taken: they say nothing about events, and the runner must not look dead meanwhile.
 */
export function isPongFrame(bytes: Uint8Array): boolean {
  pongTagByte ??= codec().encodeToServer({ tag: "ToServerPong", val: { ts: 0n } })[0];
  return bytes.length === 9 && bytes[0] === pongTagByte;
}

type ProtocolCodec = ReturnType<typeof codec>;
type ByteCursor = Parameters<ProtocolCodec["readEventWrapper"]>[0];

/**
 * A ToServerEvents frame (union tag, list length, events) read one event at a time with the
 * protocol's own event reader, over a cursor of the shape the protocol's decoders use.
 */
class EventFrameReader {
  private readonly cursor: ByteCursor;
  readonly count: number;
  private taken = 0;

  constructor(bytes: Uint8Array) {
    this.cursor = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 1, config: { initialBufferLength: 1024, maxBufferLength: bytes.byteLength } };
    this.count = this.readLength();
  }

  get done(): boolean {
    return this.taken >= this.count;
  }

  next(): protocol.EventWrapper {
    this.taken += 1;
    return codec().readEventWrapper(this.cursor);
  }

  /** Throws when bytes remain after the last event, as the whole-frame decoder does. */
  finish(): void {
    if (this.cursor.offset < this.cursor.bytes.byteLength) throw new Error(`remaining bytes at offset ${this.cursor.offset}`);
  }

  /** A BARE uint (LEB128), as list lengths are written. */
  private readLength(): number {
    const { bytes } = this.cursor;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.cursor.offset >= bytes.byteLength) throw new Error(`missing bytes at offset ${this.cursor.offset}`);
      const byte = bytes[this.cursor.offset++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new Error("the event count is too large");
  }
}

function onKvRequest(connection: RunnerConnection, request: protocol.ToServerKvRequest): void {
  const { host, remote } = connection;
  const op = describeKvRequest(request.data);
  inject(connection, { type: "ToServerKvRequest", actorId: request.actorId, requestId: request.requestId, op }, `ToServerKvRequest ${op}`);
  const refusal = kvRefusal(connection, request.actorId);
  const answer: Promise<protocol.KvResponseData> = refusal ? Promise.resolve({ tag: "KvErrorResponse", val: { message: refusal } }) : host.kv.serve(request.actorId, request.data);
  void answer.then((data) => {
    if (connection.isClosed) return;
    remote.kvAnswers.set(request.requestId, data);
    const ok = data.tag !== "KvErrorResponse";
    host.driver.input(() =>
      host.runtime.inject(connection.rws, remote.ref, { type: "ToClientKvResponse", requestId: request.requestId, ok }, ok ? "ToClientKvResponse" : `ToClientKvResponse error: ${data.val.message}`),
    );
  });
}

/** A runner reads and writes the KV of the actors placed on it, and of no other actor. */
function kvRefusal(connection: RunnerConnection, actorId: string): string | null {
  const actor = connection.host.runtime.world.actors.get(actorId);
  if (!actor) return `actor ${actorId} not found`;
  const runnerId = connection.remote.runnerId;
  if (runnerId === null || actor.runnerId !== runnerId) return `actor ${actorId} is not allocated to this runner`;
  return null;
}

function onTunnel(connection: RunnerConnection, message: protocol.ToServerTunnelMessage): void {
  const { host } = connection;
  const entry = host.tunnels.forKey(message.messageId.requestId);
  const kind = message.messageKind;
  if (!entry) {
    host.driver.input(() =>
      host.runtime.note(connection.rws, { type: "unknown-tunnel-request", label: `${kind.tag} for an unknown request`, housekeeping: true, payload: { tag: kind.tag } }),
    );
    return;
  }
  // Tunnel ids are small counters: another runner could name one it was never sent. Its frame is
  // dropped, and recorded, so the request's own runner still answers it.
  if (entry.runner !== connection.state) {
    host.driver.input(() =>
      host.runtime.note(connection.rws, {
        type: "rejected-frame",
        label: `Rejected ${kind.tag}<br/>(the request was sent to another runner)`,
        actorId: entry.actorId,
        payload: { tag: kind.tag, requestId: entry.engineRequestId, actorId: entry.actorId },
      }),
    );
    return;
  }
  const context: CauseContext = { cause: entry.cause, phase: entry.phase };
  const requestId = entry.engineRequestId;
  switch (kind.tag) {
    case "ToServerResponseStart": {
      host.tunnels.close(entry);
      const { status, headers, body } = kind.val;
      return inject(connection, { type: "ToServerResponseStart", requestId, status, headers: headersToRecord(headers), ...encodeBody(body) }, `ToServerResponseStart ${status}`, context);
    }
    case "ToServerResponseAbort":
      host.tunnels.close(entry);
      return inject(
        connection,
        { type: "ToServerResponseStart", requestId, status: 502, headers: { "x-rivet-error": "runner.response_aborted" }, body: null },
        "ToServerResponseAbort",
        context,
      );
    case "ToServerResponseChunk":
      // Runner 2.2.1 never streams responses; a chunk is recorded and otherwise ignored.
      host.driver.input(() => host.runtime.note(connection.rws, { type: "unsupported-chunk", label: "ToServerResponseChunk ignored<br/>(streamed responses are not supported)", payload: { bytes: kind.val.body.byteLength } }));
      return;
    case "ToServerWebSocketOpen":
      entry.canHibernate = kind.val.canHibernate;
      return inject(connection, { type: "ToServerWebSocketOpen", requestId, actorId: entry.actorId, canHibernate: kind.val.canHibernate }, "ToServerWebSocketOpen", context);
    case "ToServerWebSocketMessage": {
      const { body } = encodeBody(kind.val.binary ? null : kind.val.data);
      const data = kind.val.binary ? Buffer.from(kind.val.data).toString("base64") : (body ?? "");
      return inject(connection, { type: "ToServerWebSocketMessage", requestId, actorId: entry.actorId, data, binary: kind.val.binary }, "ToServerWebSocketMessage", context);
    }
    case "ToServerWebSocketMessageAck":
      // Only hibernating sockets use acks; nothing to do.
      return;
    case "ToServerWebSocketClose":
      host.tunnels.close(entry);
      return inject(connection, { type: "ToServerWebSocketClose", requestId, actorId: entry.actorId, code: kind.val.code, reason: kind.val.reason }, `ToServerWebSocketClose ${kind.val.code ?? ""}`.trim(), context);
  }
}
