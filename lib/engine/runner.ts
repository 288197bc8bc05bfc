// The built-in runner process and its demo actor (engine.md §7). It speaks the same messages a real
// runner sends over the WebSocket, so a real runner can take its place without engine changes.
import type { ParticipantRef } from "../trace/types";
import { assertNever, type Checkpoint, type Message, type MessageOf } from "./messages";
import type { Ctx, Input, Participant } from "./participant";

/**
 * The demo actor accepts a WebSocket whose path starts with this as hibernatable: the socket
 * outlives the actor's sleep (the actor keeps it in its state, as rivetkit does) and is restored
 * when a start command lists it. Other sockets close when the actor stops.
 */
export const HIBERNATABLE_SOCKET_PATH = "/hibernatable";

/** A WebSocket to one of this runner's actors (the demo actor echoes every message). */
interface HostedSocket {
  actorId: string;
  canHibernate: boolean;
}

interface HostedActor {
  generation: number;
  eventIndex: number;
  idleTimer: number | null;
  stopping: boolean;
}

export interface RunnerProcessOptions {
  processId: string;
  name: string;
  runnerKey: string;
  totalSlots: number;
  version: number;
  /** Called when the engine answered the handshake (the serverless endpoint reports it). */
  onInit?: (runnerId: string, ctx: Ctx) => void;
  /** Called when the runner shuts down for good. */
  onExit?: (ctx: Ctx) => void;
}

export class RunnerProcess implements Participant {
  readonly ref: ParticipantRef;
  runnerId: string | null = null;
  private conn: ParticipantRef | null = null;
  private connCount = 0;
  private exited = false;
  /** Hung: its socket stays open but it answers nothing and sends nothing. */
  private silent = false;
  private readonly actors = new Map<string, HostedActor>();
  /** By gateway request id. */
  private readonly sockets = new Map<string, HostedSocket>();

  constructor(
    private readonly options: RunnerProcessOptions,
    /** Opens a new connection to the engine and returns its Runner WS. */
    private readonly connect: (ctx: Ctx, runner: RunnerProcess, connId: string) => ParticipantRef,
  ) {
    this.ref = { role: "Runner", id: options.processId };
  }

  /** Connect and send the handshake. */
  start(ctx: Ctx): void {
    this.connCount += 1;
    const connId = `${this.options.processId}/ws-${this.connCount}`;
    this.conn = this.connect(ctx, this, connId);
    ctx.send(
      this.conn,
      { type: "ToServerInit", name: this.options.name, version: this.options.version, totalSlots: this.options.totalSlots, runnerKey: this.options.runnerKey, connId },
      { label: `Connect<br/>(ToServerInit ${this.options.name})` },
    );
  }

  handle(input: Input, ctx: Ctx): void {
    if (this.exited || this.silent) return;
    switch (input.kind) {
      case "message":
        return this.onMessage(input.msg, ctx);
      case "timer":
        return this.onTimer(input.name, input.data, ctx);
      case "continue":
        return this.onOperator(input.name, input.data, ctx);
      default:
        return assertNever(input);
    }
  }

  /** Scenario faults acting on the process itself. */
  private onOperator(name: string, data: unknown, ctx: Ctx): void {
    switch (name) {
      case "start":
        return this.start(ctx);
      case "kill":
        ctx.note("process-killed", "Process killed", { runnerId: this.runnerId });
        return this.exit(ctx);
      case "fall-silent":
        ctx.note("process-silent", "Process stops answering<br/>(socket left open)", { runnerId: this.runnerId });
        this.silent = true;
        return;
      case "connection-lost":
        this.conn = null;
        return this.connectionLost(ctx);
      case "crash-actor": {
        const actorId = data as string;
        const actor = this.actors.get(actorId);
        if (!actor) return;
        ctx.note("actor-crashed", "Actor crashed", { actorId, runnerId: this.runnerId });
        ctx.cancelTimer(actor.idleTimer);
        this.actors.delete(actorId);
        this.dropSockets(actorId);
        this.emit(ctx, actorId, actor, { state: "Stopped", code: "Error", message: "actor crashed" });
        return;
      }
      default:
        return;
    }
  }

  private onMessage(msg: Message, ctx: Ctx): void {
    switch (msg.type) {
      case "ToClientInit":
        this.runnerId = msg.runnerId;
        this.options.onInit?.(msg.runnerId, ctx);
        return;
      case "ToClientPing":
        this.send(ctx, { type: "ToServerPong", ts: msg.ts }, "ToServerPong");
        return;
      case "ToClientAckEvents":
        return;
      case "CommandStartActor":
        return this.startActor(msg, ctx);
      case "CommandStopActor":
        return this.stopActor(msg.checkpoint, ctx);
      case "ToClientRequestStart":
        return this.handleRequest(msg, ctx);
      case "ToClientWebSocketOpen":
        return this.openSocket(msg, ctx);
      case "ToClientWebSocketMessage":
        return this.echo(msg, ctx);
      case "ToClientWebSocketClose":
        this.sockets.delete(msg.requestId);
        return;
      case "Evict":
        // ws.eviction: shut down without reconnecting.
        return this.exit(ctx);
      default:
        return;
    }
  }

  private startActor(msg: MessageOf<"CommandStartActor">, ctx: Ctx): void {
    const { actorId, generation } = msg.checkpoint;
    ctx.note("start-actor", "Start actor", { actorId, runnerId: this.runnerId });
    this.actors.set(actorId, { generation, eventIndex: 0, idleTimer: null, stopping: false });
    const restored = msg.hibernatingRequests ?? [];
    for (const requestId of restored) this.sockets.set(requestId, { actorId, canHibernate: true });
    if (restored.length > 0) ctx.note("restore-websockets", `Restore ${restored.length} hibernating<br/>WebSocket(s)`, { actorId, runnerId: this.runnerId, payload: { requestIds: restored } });
    this.send(ctx, { type: "ToServerAckCommands", lastCommandCheckpoints: [msg.checkpoint] }, "ToServerAckCommands");
    ctx.setTimer("actor-started", ctx.config.timing.actorStartMs, { actorId, generation });
  }

  private stopActor(checkpoint: Checkpoint, ctx: Ctx): void {
    const actor = this.actors.get(checkpoint.actorId);
    // A stop for another generation is ignored, as real runners do.
    if (!actor || actor.generation !== checkpoint.generation) return;
    ctx.note("stop-actor", "Stop actor", { actorId: checkpoint.actorId, runnerId: this.runnerId });
    this.send(ctx, { type: "ToServerAckCommands", lastCommandCheckpoints: [checkpoint] }, "ToServerAckCommands");
    ctx.cancelTimer(actor.idleTimer);
    this.actors.delete(checkpoint.actorId);
    this.dropSockets(checkpoint.actorId);
    // Pending requests of the actor are dropped without telling the engine, as real runners do.
    this.emit(ctx, checkpoint.actorId, actor, { state: "Stopped", code: "Ok", message: null });
  }

  private handleRequest(msg: MessageOf<"ToClientRequestStart">, ctx: Ctx): void {
    const actor = this.actors.get(msg.actorId);
    if (!actor) {
      this.send(
        ctx,
        { type: "ToServerResponseStart", requestId: msg.requestId, status: 503, headers: { "x-rivet-error": "runner.actor_not_found" }, body: null },
        "ToServerResponseStart 503",
      );
      return;
    }
    ctx.note("handle-request", `Handle request<br/>${msg.method} ${msg.path}`, { actorId: msg.actorId, runnerId: this.runnerId, payload: { method: msg.method, path: msg.path } });
    ctx.cancelTimer(actor.idleTimer);
    const [path, query = ""] = msg.path.split("?");
    if (path === "/sleep") this.emitIntent(ctx, msg.actorId, actor, "Sleep");
    if (path === "/schedule") this.schedule(ctx, msg.actorId, actor, new URLSearchParams(query));
    ctx.setTimer("respond", ctx.config.timing.requestHandlingMs, { request: msg, generation: actor.generation });
  }

  private openSocket(msg: MessageOf<"ToClientWebSocketOpen">, ctx: Ctx): void {
    const { requestId, actorId } = msg;
    const actor = this.actors.get(actorId);
    if (!actor) {
      this.send(ctx, { type: "ToServerWebSocketClose", requestId, actorId, code: 1011, reason: "Actor not found" }, "ToServerWebSocketClose 1011");
      return;
    }
    const canHibernate = msg.path.startsWith(HIBERNATABLE_SOCKET_PATH);
    this.sockets.set(requestId, { actorId, canHibernate });
    this.send(ctx, { type: "ToServerWebSocketOpen", requestId, actorId, canHibernate }, "ToServerWebSocketOpen");
    this.armIdle(ctx, actorId, actor);
  }

  private echo(msg: MessageOf<"ToClientWebSocketMessage">, ctx: Ctx): void {
    const socket = this.sockets.get(msg.requestId);
    const actor = socket ? this.actors.get(socket.actorId) : undefined;
    // A message for a socket the actor does not hold (it stopped meanwhile) is dropped, as real runners do.
    if (!socket || !actor) return;
    this.send(ctx, { type: "ToServerWebSocketMessage", requestId: msg.requestId, actorId: socket.actorId, data: msg.data, binary: msg.binary }, "ToServerWebSocketMessage");
    this.armIdle(ctx, socket.actorId, actor);
  }

  /**
   * The actor stopped: its sockets go with it. The hibernatable ones live on in the engine, which
   * lists them in the actor's next start command (on whichever runner).
   */
  private dropSockets(actorId: string): void {
    for (const [requestId, socket] of this.sockets) if (socket.actorId === actorId) this.sockets.delete(requestId);
  }

  /**
   * `GET /schedule?after=MS` sets the actor's alarm MS from now (rivetkit's `c.schedule.after`);
   * `GET /schedule?cancel` clears it. Either way the engine keeps the alarm while the actor sleeps.
   */
  private schedule(ctx: Ctx, actorId: string, actor: HostedActor, query: URLSearchParams): void {
    const after = Number(query.get("after"));
    const alarmTs = query.has("cancel") || !Number.isFinite(after) || after < 0 ? null : ctx.config.epochMs + ctx.now + after;
    this.send(
      ctx,
      { type: "EventActorSetAlarm", checkpoint: { actorId, generation: actor.generation, index: actor.eventIndex++ }, alarmTs },
      alarmTs === null ? "Actor clear alarm" : "Actor set alarm",
    );
  }

  private onTimer(name: string, data: unknown, ctx: Ctx): void {
    switch (name) {
      case "actor-started": {
        const { actorId, generation } = data as { actorId: string; generation: number };
        const actor = this.actors.get(actorId);
        if (!actor || actor.generation !== generation) return;
        this.emit(ctx, actorId, actor, { state: "Running" });
        this.armIdle(ctx, actorId, actor);
        return;
      }
      case "respond": {
        const { request, generation } = data as { request: MessageOf<"ToClientRequestStart">; generation: number };
        const actor = this.actors.get(request.actorId);
        // The actor stopped meanwhile: the request is dropped silently.
        if (!actor || actor.generation !== generation) return;
        const body = JSON.stringify({ actorId: request.actorId, generation, path: request.path });
        this.send(
          ctx,
          { type: "ToServerResponseStart", requestId: request.requestId, status: 200, headers: { "content-type": "application/json" }, body },
          "ToServerResponseStart 200",
        );
        this.armIdle(ctx, request.actorId, actor);
        return;
      }
      case "idle": {
        const { actorId, generation } = data as { actorId: string; generation: number };
        const actor = this.actors.get(actorId);
        if (!actor || actor.generation !== generation) return;
        this.emitIntent(ctx, actorId, actor, "Sleep");
        return;
      }
      case "reconnect":
        if (!this.exited) this.start(ctx);
        return;
      default:
        return;
    }
  }

  private armIdle(ctx: Ctx, actorId: string, actor: HostedActor): void {
    ctx.cancelTimer(actor.idleTimer);
    actor.idleTimer = ctx.setTimer("idle", ctx.config.timing.sleepTimeoutMs, { actorId, generation: actor.generation });
  }

  private emitIntent(ctx: Ctx, actorId: string, actor: HostedActor, intent: "Sleep" | "Stop"): void {
    this.send(
      ctx,
      { type: "EventActorIntent", checkpoint: { actorId, generation: actor.generation, index: actor.eventIndex++ }, intent },
      `Actor intent: ${intent}`,
    );
  }

  private emit(ctx: Ctx, actorId: string, actor: HostedActor, update: MessageOf<"EventActorStateUpdate">["update"]): void {
    this.send(
      ctx,
      { type: "EventActorStateUpdate", checkpoint: { actorId, generation: actor.generation, index: actor.eventIndex++ }, update },
      `Actor state update: ${update.state}`,
    );
  }

  private send(ctx: Ctx, msg: Message, label: string): void {
    if (this.conn && ctx.isOpen(this.conn)) ctx.send(this.conn, msg, { label });
  }

  /** The process ends: its actors die with it. */
  exit(ctx: Ctx): void {
    if (this.exited) return;
    this.exited = true;
    for (const actor of this.actors.values()) ctx.cancelTimer(actor.idleTimer);
    this.actors.clear();
    this.sockets.clear();
    ctx.close();
    this.options.onExit?.(ctx);
  }

  /** The connection dropped (not an eviction): reconnect with backoff, keeping the runner key. */
  connectionLost(ctx: Ctx): void {
    if (this.exited) return;
    const attempt = Math.min(this.connCount, 5);
    ctx.setTimer("reconnect", Math.min(ctx.config.timing.reconnectBaseMs * 2 ** (attempt - 1), 30_000));
  }

  get connection(): ParticipantRef | null {
    return this.conn;
  }
}
