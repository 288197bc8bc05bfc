// One runner (v7) or envoy (v8) WebSocket as the proxy sees it: each decoded frame becomes an
// event between the Runner and the Runner WS lifelines, with its actor and runner, and the hops the
// frames prove (the gateway's tunnel traffic). Commands and events carry their checkpoints, so the
// workflow history import can join the actor workflow's side to them.
import type { ParticipantRef } from "@/lib/trace/types";
import { decodeDown, decodeUp, type ActorCommand, type ActorEvent, type DownFrame, type Protocol, type UpFrame } from "./protocols";
import { checkpointKey, noteWireState, queueForRelay, type RunnerConnection, type TunnelEntry, type WireActorState, type WireState } from "./state";
import { GATEWAY, bodyPayload, type WireTrace } from "./trace";
import type { WsMessage } from "./ws-frames";

export interface SocketTapInit {
  protocol: Protocol;
  key: string;
  name: string | null;
  namespace: string | null;
  url: string;
}

export class SocketTap {
  readonly connection: RunnerConnection;

  constructor(
    private readonly trace: WireTrace,
    private readonly state: WireState,
    init: SocketTapInit,
  ) {
    const number = state.nextSocketNumber();
    const runner: ParticipantRef = { role: "Runner", id: init.key };
    const socket: ParticipantRef = { role: "RunnerWS", id: `${init.key}/ws-${number}` };
    this.connection = {
      key: init.key,
      protocol: init.protocol,
      runner,
      socket,
      name: init.name,
      namespace: init.namespace,
      runnerId: init.protocol === "envoy" ? init.key : null,
      connectSeq: null,
      lastPingSeq: null,
      closed: false,
    };
    state.connections.set(socket.id, this.connection);
    if (this.connection.runnerId) state.byRunnerId.set(this.connection.runnerId, this.connection);
    if (init.name) state.pools.add(init.name);
  }

  /** A message from the runner to the engine. */
  up(message: WsMessage): void {
    if (message.kind === "close") return this.closeFrame("up", message.code, message.reason);
    if (message.kind !== "binary") return;
    let frame: UpFrame;
    try {
      // A copy: the codec's byte fields must not be views into Node's shared buffer pool.
      frame = decodeUp(this.connection.protocol, new Uint8Array(message.data));
    } catch (err) {
      this.undecodable("up", message.data, err);
      return;
    }
    this.onUp(frame, message.data.length);
  }

  /** A message from the engine to the runner. */
  down(message: WsMessage): void {
    if (message.kind === "close") return this.closeFrame("down", message.code, message.reason);
    if (message.kind !== "binary") return;
    let frame: DownFrame;
    try {
      frame = decodeDown(this.connection.protocol, new Uint8Array(message.data));
    } catch (err) {
      this.undecodable("down", message.data, err);
      return;
    }
    this.onDown(frame, message.data.length);
  }

  /** The TCP connection ended (either side). */
  ended(): void {
    if (this.connection.closed) return;
    this.connection.closed = true;
    this.state.releaseConnection(this.connection);
    this.trace.note(this.connection.socket, "socket-closed", "Runner socket closed", { housekeeping: true, runnerId: this.connection.runnerId });
  }

  private get runnerId(): string | null {
    return this.connection.runnerId;
  }

  private toEngine(type: string, label: string, extra: { payload?: unknown; actorId?: string | null; cause?: number | null; housekeeping?: boolean; relayOf?: number | null } = {}): number {
    return this.trace.emit({ from: this.connection.runner, to: this.connection.socket, type, label, runnerId: this.runnerId, ...extra });
  }

  private toRunner(type: string, label: string, extra: { payload?: unknown; actorId?: string | null; cause?: number | null; housekeeping?: boolean; relayOf?: number | null } = {}): number {
    return this.trace.emit({ from: this.connection.socket, to: this.connection.runner, type, label, runnerId: this.runnerId, ...extra });
  }

  private onUp(frame: UpFrame, bytes: number): void {
    const c = this.connection;
    switch (frame.t) {
      case "connect": {
        const name = frame.name ?? c.name ?? "envoy";
        if (frame.name) {
          c.name = frame.name;
          this.state.pools.add(frame.name);
        }
        const label = c.protocol === "runner" ? `Connect<br/>(ToServerInit ${name})` : `Connect<br/>(envoy ${name})`;
        c.connectSeq = this.toEngine(frame.tag, label, {
          payload: { protocol: c.protocol, name, version: frame.version, totalSlots: frame.totalSlots, key: c.key, namespace: c.namespace, metadata: frame.metadata },
        });
        return;
      }
      case "events":
        for (const event of frame.events) this.onEvent(frame.tag, event);
        return;
      case "ack-commands": {
        const last = frame.checkpoints.map((cp) => this.state.commandSeqs.get(checkpointKey(cp))).filter((s): s is number => s !== undefined).at(-1) ?? null;
        this.toEngine(frame.tag, frame.tag, { housekeeping: true, cause: last, payload: { checkpoints: frame.checkpoints }, actorId: frame.checkpoints.length === 1 ? frame.checkpoints[0].actorId : null });
        for (const checkpoint of frame.checkpoints) this.claimServerlessStart(checkpointKey(checkpoint));
        return;
      }
      case "stopping":
        this.toEngine(frame.tag, "Runner stopping");
        return;
      case "pong":
        this.toEngine(frame.tag, frame.tag, { housekeeping: true, cause: c.lastPingSeq, payload: { ts: frame.ts } });
        return;
      case "kv":
        this.toEngine(frame.tag, `${frame.tag} ${frame.op}`, { housekeeping: true, actorId: frame.actorId, payload: { requestId: frame.requestId, op: frame.op, bytes } });
        return;
      case "storage":
        this.toEngine(frame.tag, frame.tag, { housekeeping: true, payload: { requestId: frame.requestId, bytes } });
        return;
      case "tunnel":
        return this.onUpTunnel(frame);
    }
  }

  private onEvent(tag: string, event: ActorEvent): void {
    const key = checkpointKey(event.checkpoint);
    const { actorId, generation } = event.checkpoint;
    this.state.actors.add(actorId);
    const again = this.state.eventSeqs.has(key);
    // Gen 3 starts come in the `POST /start` body, not on this socket.
    const command = this.state.lastCommand.get(`${actorId}/${generation}`) ?? [...this.state.starts].reverse().find((s) => s.actorId === actorId && s.generation === generation)?.seq ?? null;
    let label: string;
    let type: string;
    let payload: Record<string, unknown> = { checkpoint: event.checkpoint };
    let cause: number | null = command;
    switch (event.kind) {
      case "state":
        type = "EventActorStateUpdate";
        label = `Actor state update: ${event.state}`;
        payload = event.state === "Stopped" ? { ...payload, state: "Stopped", code: event.code, message: event.message } : { ...payload, state: "Running" };
        break;
      case "intent": {
        type = "EventActorIntent";
        label = `Actor intent: ${event.intent}`;
        payload = { ...payload, intent: event.intent };
        // A request in flight when the actor asks to sleep is what it was doing (e.g. `/sleep`).
        const inFlight = [...this.state.tunnels.values()].find((t) => t.actorId === actorId && t.answerSeq === null);
        if (inFlight) cause = inFlight.runnerSeq;
        break;
      }
      case "alarm":
        type = "EventActorSetAlarm";
        label = event.alarmTs === null ? "Actor clear alarm" : "Actor set alarm";
        payload = { ...payload, alarmTs: event.alarmTs };
        break;
    }
    const seq = this.toEngine(type, again ? `${label} (re-sent)` : label, { actorId, cause, payload: { ...payload, frame: tag, resent: again || undefined }, housekeeping: again || event.kind === "alarm" });
    if (again) return;
    this.state.rememberCheckpoint(this.state.eventSeqs, event.checkpoint, seq);
    if (event.kind === "state") this.wireState(actorId, generation, event.state === "Running" ? "Running" : this.state.destroyedActors.has(actorId) ? "Destroyed" : "Sleeping", seq);
    else if (event.kind === "intent") this.wireState(actorId, generation, event.intent === "Sleep" ? "SleepIntent" : "StopIntent", seq);
  }

  private onUpTunnel(frame: Extract<UpFrame, { t: "tunnel" }>): void {
    const key = `${frame.id.gatewayId}:${frame.id.requestId}`;
    const entry = this.state.tunnels.get(key) ?? null;
    const msg = frame.msg;
    const actorId = entry?.actorId ?? null;
    const cause = entry?.runnerSeq ?? null;
    const tunnel = { gatewayId: frame.id.gatewayId, requestId: frame.id.requestId, index: frame.id.index };
    switch (msg.kind) {
      case "response-start": {
        const payload = { tunnel, status: msg.status, headers: msg.headers, stream: msg.stream, ...bodyPayload(msg.body) };
        const seq = this.toEngine("ToServerResponseStart", `ToServerResponseStart ${msg.status}`, { actorId, cause, payload: { ...payload, frame: frame.tag } });
        const relay = this.trace.emit({ from: this.connection.socket, to: GATEWAY, type: "ToServerResponseStart", label: `ToServerResponseStart ${msg.status}`, actorId, runnerId: this.runnerId, cause: seq, relayOf: seq, payload });
        if (entry) entry.answerSeq = relay;
        // A whole answer ends the tunnel request; a streamed one ends with its last chunk.
        if (!msg.stream) this.state.releaseTunnel(key);
        return;
      }
      case "response-abort": {
        const seq = this.toEngine("ToServerResponseAbort", "ToServerResponseAbort", { actorId, cause, payload: { tunnel, reason: msg.reason, frame: frame.tag } });
        const relay = this.trace.emit({ from: this.connection.socket, to: GATEWAY, type: "ToServerResponseAbort", label: "ToServerResponseAbort", actorId, runnerId: this.runnerId, cause: seq, relayOf: seq, payload: { tunnel, reason: msg.reason } });
        if (entry) entry.answerSeq = relay;
        this.state.releaseTunnel(key);
        return;
      }
      case "ws-open": {
        const seq = this.toEngine("ToServerWebSocketOpen", "ToServerWebSocketOpen", { actorId, cause, payload: { tunnel, canHibernate: msg.canHibernate, frame: frame.tag } });
        const relay = this.trace.emit({ from: this.connection.socket, to: GATEWAY, type: "ToServerWebSocketOpen", label: "ToServerWebSocketOpen", actorId, runnerId: this.runnerId, cause: seq, relayOf: seq, payload: { tunnel } });
        if (entry) entry.answerSeq = relay;
        return;
      }
      case "ws-message": {
        const seq = this.toEngine("ToServerWebSocketMessage", "ToServerWebSocketMessage", { actorId, cause, payload: { tunnel, binary: msg.binary, ...bodyPayload(msg.data), frame: frame.tag } });
        const relay = this.trace.emit({ from: this.connection.socket, to: GATEWAY, type: "ToServerWebSocketMessage", label: "ToServerWebSocketMessage", actorId, runnerId: this.runnerId, cause: seq, relayOf: seq, payload: { tunnel } });
        // The gateway passes it on to the user: that message is paired with this relay.
        if (entry?.request?.websocket) queueForRelay(entry.request.runnerMessages, relay);
        return;
      }
      case "ws-close": {
        const seq = this.toEngine("ToServerWebSocketClose", `ToServerWebSocketClose ${msg.code ?? ""}`.trim(), { actorId, cause, payload: { tunnel, code: msg.code, reason: msg.reason, frame: frame.tag } });
        this.trace.emit({ from: this.connection.socket, to: GATEWAY, type: "ToServerWebSocketClose", label: `ToServerWebSocketClose ${msg.code ?? ""}`.trim(), actorId, runnerId: this.runnerId, cause: seq, relayOf: seq, payload: { tunnel } });
        this.state.releaseTunnel(key);
        return;
      }
      case "response-chunk":
        this.toEngine("ToServerResponseChunk", "ToServerResponseChunk", { actorId, cause, housekeeping: true, payload: { tunnel, bytes: msg.bytes, finish: msg.finish, frame: frame.tag } });
        if (msg.finish) this.state.releaseTunnel(key);
        return;
      case "ws-message-ack":
        this.toEngine("ToServerWebSocketMessageAck", "ToServerWebSocketMessageAck", { actorId, cause, housekeeping: true, payload: { tunnel, frame: frame.tag } });
        return;
      case "other":
        this.toEngine(msg.tag, msg.tag, { actorId, cause, housekeeping: true, payload: { tunnel, frame: frame.tag } });
        return;
    }
  }

  private onDown(frame: DownFrame, bytes: number): void {
    const c = this.connection;
    switch (frame.t) {
      case "init": {
        if (frame.runnerId) {
          c.runnerId = frame.runnerId;
          this.state.byRunnerId.set(frame.runnerId, c);
        }
        const label = frame.runnerId ? `ToClientInit ${frame.runnerId}` : frame.tag;
        this.toRunner(frame.tag, label, { housekeeping: true, cause: c.connectSeq, payload: { runnerId: frame.runnerId, metadata: frame.metadata } });
        return;
      }
      case "commands":
        for (const command of frame.commands) this.onCommand(frame.tag, command);
        return;
      case "ack-events":
        this.toRunner(frame.tag, frame.tag, { housekeeping: true, payload: { checkpoints: frame.checkpoints } });
        return;
      case "ping":
        c.lastPingSeq = this.toRunner(frame.tag, frame.tag, { housekeeping: true, payload: { ts: frame.ts } });
        return;
      case "kv-response":
        this.toRunner(frame.tag, frame.ok ? frame.tag : `${frame.tag} error`, { housekeeping: true, payload: { requestId: frame.requestId, ok: frame.ok, bytes } });
        return;
      case "storage-response":
        this.toRunner(frame.tag, frame.tag, { housekeeping: true, payload: { requestId: frame.requestId, bytes } });
        return;
      case "tunnel":
        return this.onDownTunnel(frame);
    }
  }

  private onCommand(tag: string, command: ActorCommand): void {
    const key = checkpointKey(command.checkpoint);
    const { actorId, generation } = command.checkpoint;
    this.state.actors.add(actorId);
    const again = this.state.commandSeqs.has(key);
    const name = command.kind === "start" ? "StartActor" : "StopActor";
    const type = command.kind === "start" ? "CommandStartActor" : "CommandStopActor";
    // A start while a user waits for this actor is the wake that request caused.
    const waiting = command.kind === "start" && !again ? this.state.waitingRequest(actorId) : null;
    const label = again ? `ToClientCommands ${name} (re-sent)` : `ToClientCommands ${name}`;
    const payload = { checkpoint: command.checkpoint, frame: tag, config: command.config, reason: command.reason ?? undefined, resent: again || undefined };
    const seq = this.toRunner(type, label, { actorId, payload, cause: waiting?.seq ?? null, housekeeping: again });
    if (again) return;
    // A start of a new generation: the older ones can no longer be acknowledged or answered.
    if (command.kind === "start") this.state.releaseGenerations(actorId, generation);
    this.state.rememberCheckpoint(this.state.commandSeqs, command.checkpoint, seq);
    this.state.lastCommand.set(`${actorId}/${generation}`, seq);
    this.trace.note(this.connection.runner, command.kind === "start" ? "start-actor" : "stop-actor", command.kind === "start" ? "Start actor" : "Stop actor", { actorId, runnerId: this.runnerId, cause: seq });
    if (command.kind === "start") this.wireState(actorId, generation, "Starting", seq);
  }

  private onDownTunnel(frame: Extract<DownFrame, { t: "tunnel" }>): void {
    const key = `${frame.id.gatewayId}:${frame.id.requestId}`;
    const msg = frame.msg;
    const tunnel = { gatewayId: frame.id.gatewayId, requestId: frame.id.requestId, index: frame.id.index };
    const existing = this.state.tunnels.get(key) ?? null;
    switch (msg.kind) {
      case "request-start":
      case "ws-open": {
        const websocket = msg.kind === "ws-open";
        const method = websocket ? "GET" : msg.method;
        const request = this.state.takeGatewayRequest(msg.actorId, method, msg.path, websocket);
        if (request && request.actorId === null) request.actorId = msg.actorId;
        this.state.actors.add(msg.actorId);
        const name = websocket ? "ToClientWebSocketOpen" : "ToClientRequestStart";
        const what = `${method} ${msg.path}`;
        const rayId = msg.headers["x-rivet-ray-id"] ?? null;
        const payload = { tunnel, method, path: msg.path, headers: msg.headers, generation: msg.generation, rayId, ...(msg.kind === "request-start" ? bodyPayload(msg.body) : {}) };
        const gatewaySeq = this.trace.emit({ from: GATEWAY, to: this.connection.socket, type: name, label: `Tunnel ${name}<br/>${what}`, actorId: msg.actorId, runnerId: this.runnerId, cause: request?.seq ?? null, payload: { ...payload, userRequestSeq: request?.seq ?? null } });
        const runnerSeq = this.toRunner(name, name, { actorId: msg.actorId, cause: gatewaySeq, relayOf: gatewaySeq, payload: { ...payload, frame: frame.tag } });
        this.trace.note(this.connection.runner, websocket ? "open-websocket" : "handle-request", websocket ? `Open WebSocket<br/>${msg.path}` : `Handle request<br/>${what}`, { actorId: msg.actorId, runnerId: this.runnerId, cause: runnerSeq, payload: { method, path: msg.path } });
        const entry: TunnelEntry = { key, actorId: msg.actorId, connection: this.connection, gatewaySeq, runnerSeq, request, answerSeq: null, rayId };
        this.state.tunnels.set(key, entry);
        if (request) {
          request.tunnel = entry;
          // An open WebSocket's request was answered already; its tunnel now holds it.
          if (request.answered) this.state.forget(request);
        }
        return;
      }
      case "ws-message":
      case "ws-close":
      case "request-chunk":
      case "request-abort":
      case "other": {
        const name = msg.kind === "ws-message" ? "ToClientWebSocketMessage" : msg.kind === "ws-close" ? "ToClientWebSocketClose" : msg.kind === "request-chunk" ? "ToClientRequestChunk" : msg.kind === "request-abort" ? "ToClientRequestAbort" : msg.tag;
        const actorId = existing?.actorId ?? null;
        const cause = existing?.gatewaySeq ?? null;
        const detail = msg.kind === "ws-message" ? { binary: msg.binary, ...bodyPayload(msg.data) } : msg.kind === "ws-close" ? { code: msg.code, reason: msg.reason } : msg.kind === "request-chunk" ? { bytes: msg.bytes, finish: msg.finish } : {};
        const housekeeping = msg.kind === "request-chunk" || msg.kind === "other";
        // A message to the runner is the gateway relaying the user's oldest message not yet relayed.
        const userSeq = msg.kind === "ws-message" ? (existing?.request?.userMessages.shift() ?? null) : null;
        const gatewaySeq = this.trace.emit({ from: GATEWAY, to: this.connection.socket, type: name, label: name, actorId, runnerId: this.runnerId, cause: userSeq ?? cause, relayOf: userSeq, housekeeping, payload: { tunnel, ...detail } });
        this.toRunner(name, name, { actorId, cause: gatewaySeq, relayOf: gatewaySeq, housekeeping, payload: { tunnel, ...detail, frame: frame.tag } });
        if (msg.kind === "ws-close" || msg.kind === "request-abort") this.state.releaseTunnel(key);
        return;
      }
    }
  }

  /** Gen 3: the envoy acknowledging a command that came in a `POST /start` body was started by it. */
  private claimServerlessStart(checkpoint: string): void {
    const start = this.state.starts.find((s) => s.checkpointKey === checkpoint && s.relationSeq === null);
    if (!start) return;
    start.relationSeq = this.trace.emit({
      kind: "relation",
      from: { role: "ServerlessEndpoint", id: start.pool },
      to: this.connection.runner,
      type: "SameProcess",
      label: "Same process",
      actorId: start.actorId,
      runnerId: this.runnerId,
      cause: start.seq,
      payload: { startSeq: start.seq, envoyKey: this.connection.key },
    });
  }

  private wireState(actorId: string, generation: number, to: WireActorState, cause: number): void {
    noteWireState(this.trace, this.state, this.connection.socket, { actorId, generation, to, cause, runnerId: this.runnerId });
  }

  private closeFrame(direction: "up" | "down", code: number | null, reason: string): void {
    const label = `Close ${code ?? ""}${reason ? ` ${reason}` : ""}`.trim();
    if (direction === "up") this.toEngine("WebSocketClose", label, { payload: { code, reason } });
    else this.toRunner("WebSocketClose", label, { payload: { code, reason } });
  }

  private undecodable(direction: "up" | "down", data: Buffer, err: unknown): void {
    const payload = { bytes: data.length, head: data.subarray(0, 32).toString("hex"), error: err instanceof Error ? err.message : String(err) };
    if (direction === "up") this.toEngine("UndecodableFrame", "Frame that cannot be decoded", { housekeeping: true, payload });
    else this.toRunner("UndecodableFrame", "Frame that cannot be decoded", { housekeeping: true, payload });
  }
}
