// The gateway of the live engine: the engine's Gateway for HTTP requests, plus WebSockets to
// actors. A WebSocket runs the same wake-and-wait (subscribe to the actor's topic, wake it,
// wait for Ready), then is tunnelled with ToClientWebSocketOpen / Message / Close; messages the
// user sends before the actor accepted the socket wait in order.
import { GATEWAY_ERRORS, Gateway, POOL_ERROR_CHECK_DELAY_MS, POOL_ERROR_CHECK_INTERVAL_MS, poolFailure } from "../engine/gateway";
import type { Message, MessageOf } from "../engine/messages";
import { GATEWAY, actorWorkflow, type Ctx, type Input, type Participant } from "../engine/participant";
import { subscribe, unsubscribe, type ActorRecord } from "../engine/world";
import type { ParticipantRef } from "../trace/types";

interface PendingSocket {
  open: MessageOf<"UserWebSocketOpen">;
  user: ParticipantRef;
  phase: number | null;
  stage: "waiting" | "opening" | "open" | "closed";
  wakeAttempts: number;
  readyTimer: number | null;
  /** The pool-error check of the current wait, as for HTTP requests. */
  poolCheckTimer: number | null;
  conn: ParticipantRef | null;
  /** User messages waiting for the actor to accept the socket. */
  queued: MessageOf<"UserWebSocketMessage">[];
}

const WS_TYPES: ReadonlySet<Message["type"]> = new Set([
  "UserWebSocketOpen",
  "UserWebSocketMessage",
  "UserWebSocketClose",
  "ToServerWebSocketOpen",
  "ToServerWebSocketMessage",
  "ToServerWebSocketClose",
]);
const TOPIC_TYPES: ReadonlySet<Message["type"]> = new Set(["Ready", "Stopped", "Failed", "DestroyStarted"]);

export class LiveGateway implements Participant {
  readonly ref = GATEWAY;
  private readonly http = new Gateway();
  private readonly sockets = new Map<string, PendingSocket>();

  phaseBeforeInput(msg: Message, ctx: Ctx): string | null {
    if (msg.type !== "UserWebSocketOpen") return this.http.phaseBeforeInput(msg, ctx);
    const actor = ctx.world.actors.get(msg.actorId);
    if (!actor || actor.state === "Destroyed") return null;
    if (isConnectable(actor)) return "websocket to running actor";
    return actor.state === "Sleeping" ? "websocket to sleeping actor" : "websocket to starting actor";
  }

  handle(input: Input, ctx: Ctx): void {
    if (input.kind === "timer" && input.name.startsWith("ws-")) return this.onTimer(input.name, input.data as string, ctx);
    if (input.kind !== "message") return this.http.handle(input, ctx);
    const { msg } = input;
    if (WS_TYPES.has(msg.type)) return this.onSocketMessage(msg, input.from, input.seq, ctx);
    if (TOPIC_TYPES.has(msg.type)) this.onTopic(msg, ctx);
    this.http.handle(input, ctx);
  }

  private onSocketMessage(msg: Message, from: ParticipantRef, seq: number, ctx: Ctx): void {
    switch (msg.type) {
      case "UserWebSocketOpen":
        return this.onOpen(msg, from, ctx);
      case "UserWebSocketMessage": {
        const socket = this.sockets.get(msg.requestId);
        if (!socket || socket.stage === "closed") return;
        if (socket.stage !== "open" || !socket.conn) {
          socket.queued.push(msg);
          return;
        }
        ctx.send(socket.conn, { ...msg, type: "ToClientWebSocketMessage" }, { relayOf: seq, label: "ToClientWebSocketMessage" });
        return;
      }
      case "UserWebSocketClose": {
        const socket = this.sockets.get(msg.requestId);
        if (!socket || socket.stage === "closed") return;
        if (socket.conn && (socket.stage === "open" || socket.stage === "opening")) {
          ctx.send(socket.conn, { type: "ToClientWebSocketClose", requestId: msg.requestId, actorId: socket.open.actorId, code: msg.code, reason: msg.reason }, { relayOf: seq, label: "ToClientWebSocketClose" });
        }
        return this.finish(socket, ctx);
      }
      case "ToServerWebSocketOpen": {
        const socket = this.sockets.get(msg.requestId);
        if (!socket || socket.stage !== "opening" || !socket.conn) return;
        socket.stage = "open";
        ctx.usePhase(socket.phase);
        ctx.send(socket.user, { type: "UserWebSocketOpened", requestId: msg.requestId, actorId: socket.open.actorId }, { relayOf: seq, label: "WebSocket open" });
        if (socket.phase !== null) ctx.phaseEnd(socket.phase);
        socket.phase = null;
        for (const queued of socket.queued.splice(0)) {
          ctx.send(socket.conn, { ...queued, type: "ToClientWebSocketMessage" }, { label: "ToClientWebSocketMessage" });
        }
        return;
      }
      case "ToServerWebSocketMessage": {
        const socket = this.sockets.get(msg.requestId);
        if (!socket || socket.stage !== "open") return;
        ctx.send(socket.user, { ...msg, type: "UserWebSocketMessage" }, { relayOf: seq, label: "" });
        return;
      }
      case "ToServerWebSocketClose": {
        const socket = this.sockets.get(msg.requestId);
        if (!socket || socket.stage === "closed") return;
        ctx.usePhase(socket.phase);
        ctx.send(socket.user, { type: "UserWebSocketClose", requestId: msg.requestId, actorId: socket.open.actorId, code: msg.code, reason: msg.reason }, { relayOf: seq, label: `Close ${msg.code ?? ""}`.trim() });
        return this.finish(socket, ctx);
      }
      default:
        return;
    }
  }

  private onOpen(open: MessageOf<"UserWebSocketOpen">, user: ParticipantRef, ctx: Ctx): void {
    const socket: PendingSocket = { open, user, phase: ctx.openedPhase, stage: "waiting", wakeAttempts: 0, readyTimer: null, poolCheckTimer: null, conn: null, queued: [] };
    this.sockets.set(open.requestId, socket);
    const actor = ctx.world.actors.get(open.actorId);
    if (!actor) return this.fail(socket, GATEWAY_ERRORS.actorNotFound.code, `no actor with id ${open.actorId}`, ctx);
    if (actor.state === "Destroyed") return this.fail(socket, GATEWAY_ERRORS.actorDestroyed.code, `actor ${open.actorId} was destroyed`, ctx);
    subscribe(ctx.world, actor.actorId, open.requestId);
    if (isConnectable(actor)) return this.tunnel(socket, actor.runnerId!, ctx);
    ctx.note(actor.state === "Sleeping" ? "actor-sleeping" : "actor-starting", actor.state === "Sleeping" ? "Actor sleeping" : "Actor starting", { actorId: actor.actorId });
    this.wake(socket, false, ctx);
  }

  private wake(socket: PendingSocket, retry: boolean, ctx: Ctx): void {
    const { actorId, requestId } = socket.open;
    socket.stage = "waiting";
    ctx.send(actorWorkflow(actorId), { type: "Wake", actorId, retry, attempt: socket.wakeAttempts, requestId }, { label: retry ? "Retry wake" : "Wake" });
    if (!retry) ctx.note("await-ready", "Await actor ready", { actorId });
    ctx.cancelTimer(socket.readyTimer);
    socket.readyTimer = ctx.setTimer("ws-ready-timeout", ctx.config.timing.actorReadyTimeoutMs, requestId);
    socket.poolCheckTimer ??= ctx.setTimer("ws-pool-error-check", POOL_ERROR_CHECK_DELAY_MS, requestId);
  }

  private tunnel(socket: PendingSocket, runnerId: string, ctx: Ctx): void {
    ctx.cancelTimer(socket.readyTimer);
    ctx.cancelTimer(socket.poolCheckTimer);
    socket.readyTimer = socket.poolCheckTimer = null;
    const connId = ctx.world.runners.get(runnerId)?.connId;
    if (!connId) return this.wake(socket, true, ctx);
    socket.conn = { role: "RunnerWS", id: connId };
    socket.stage = "opening";
    const { requestId, actorId, path, headers } = socket.open;
    ctx.send(socket.conn, { type: "ToClientWebSocketOpen", requestId, actorId, path, headers }, { label: `Tunnel ToClientWebSocketOpen<br/>${path}` });
  }

  /** The actor's topic: Ready opens waiting sockets; a stop retries them, or closes open ones. */
  private onTopic(msg: Message, ctx: Ctx): void {
    const actorId = "actorId" in msg ? msg.actorId : null;
    for (const socket of this.sockets.values()) {
      if (socket.open.actorId !== actorId || socket.stage === "closed") continue;
      ctx.usePhase(socket.phase);
      if (msg.type === "Ready" && socket.stage === "waiting") this.tunnel(socket, msg.runnerId, ctx);
      else if (msg.type === "Stopped") {
        if (socket.stage === "waiting") {
          socket.wakeAttempts += 1;
          if (socket.wakeAttempts > ctx.config.timing.wakeRetryLimit) this.fail(socket, GATEWAY_ERRORS.wakeRetriesExceeded.code, "the actor kept stopping while waking", ctx);
          else this.wake(socket, true, ctx);
        } else {
          // No hibernation here: the actor stopped, so its sockets close.
          this.fail(socket, "actor.stopped", "the actor stopped", ctx);
        }
      } else if (msg.type === "Failed" || msg.type === "DestroyStarted") {
        this.fail(socket, msg.type === "Failed" ? GATEWAY_ERRORS.actorFailed.code : GATEWAY_ERRORS.actorDestroyed.code, msg.type === "Failed" ? msg.message : "the actor is being destroyed", ctx);
      }
    }
  }

  private onTimer(name: string, requestId: string, ctx: Ctx): void {
    const socket = this.sockets.get(requestId);
    if (!socket || socket.stage !== "waiting") return;
    ctx.usePhase(socket.phase);
    if (name === "ws-pool-error-check") {
      socket.poolCheckTimer = null;
      const failure = poolFailure(ctx, socket.open.actorId);
      if (failure) return this.fail(socket, GATEWAY_ERRORS.runnerFailed.code, failure, ctx);
      socket.poolCheckTimer = ctx.setTimer("ws-pool-error-check", POOL_ERROR_CHECK_INTERVAL_MS, requestId);
      return;
    }
    if (name !== "ws-ready-timeout") return;
    this.fail(socket, GATEWAY_ERRORS.readyTimeout.code, `actor did not become ready in ${ctx.config.timing.actorReadyTimeoutMs} ms`, ctx);
  }

  /** Closes the user's socket with a coded reason (1011), and the tunnel if it was opening or open. */
  private fail(socket: PendingSocket, code: string, message: string, ctx: Ctx): void {
    const { requestId } = socket.open;
    if (socket.conn && (socket.stage === "open" || socket.stage === "opening")) {
      ctx.send(socket.conn, { type: "ToClientWebSocketClose", requestId, actorId: socket.open.actorId, code: 1011, reason: code }, { label: "ToClientWebSocketClose" });
    }
    ctx.note("websocket-failed", message, { actorId: socket.open.actorId, payload: { code } });
    ctx.send(socket.user, { type: "UserWebSocketClose", requestId, actorId: socket.open.actorId, code: 1011, reason: code }, { label: `Close 1011 ${code}` });
    this.finish(socket, ctx);
  }

  private finish(socket: PendingSocket, ctx: Ctx): void {
    socket.stage = "closed";
    ctx.cancelTimer(socket.readyTimer);
    ctx.cancelTimer(socket.poolCheckTimer);
    unsubscribe(ctx.world, socket.open.actorId, socket.open.requestId);
    this.sockets.delete(socket.open.requestId);
    if (socket.phase !== null) ctx.phaseEnd(socket.phase);
  }
}

function isConnectable(actor: ActorRecord): boolean {
  return actor.state === "Running" && actor.connectableTs !== null && actor.runnerId !== null;
}
