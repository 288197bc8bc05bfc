// The gateway with WebSockets, for the live engine and for scenarios: the HTTP Gateway for
// requests, plus WebSockets to actors. A WebSocket runs the same wake-and-wait (subscribe to the
// actor's topic, wake it, wait for Ready), then is tunnelled with ToClientWebSocketOpen / Message /
// Close; messages the user sends before the actor accepted the socket wait in order. A socket the
// runner accepted with canHibernate outlives its actor's sleep (as the real engine's
// pegboard-gateway): it stays open to the client, is listed in the actor's next CommandStartActor,
// and a client message meanwhile wakes the actor; once it is Ready again (on any runner) the
// waiting messages follow, with no new open.
import { GATEWAY_ERRORS, Gateway, POOL_ERROR_CHECK_DELAY_MS, POOL_ERROR_CHECK_INTERVAL_MS, poolFailure } from "./gateway";
import type { Message, MessageOf } from "./messages";
import { GATEWAY, actorWorkflow, type Ctx, type Input, type Participant } from "./participant";
import { setHibernatable, subscribe, unsubscribe, type ActorRecord } from "./world";
import type { ParticipantRef } from "../trace/types";

interface PendingSocket {
  open: MessageOf<"UserWebSocketOpen">;
  user: ParticipantRef;
  phase: number | null;
  /** hibernating: open to the client while its actor sleeps (no runner holds it). */
  stage: "waiting" | "opening" | "open" | "hibernating" | "closed";
  /** The runner accepted it once: a later wait restores it rather than opening it again. */
  opened: boolean;
  canHibernate: boolean;
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

export class WebSocketGateway implements Participant {
  readonly ref = GATEWAY;
  private readonly http = new Gateway();
  private readonly sockets = new Map<string, PendingSocket>();

  /** `forgetTunnel`: a hibernating socket's client left, so no runner will ever close its tunnel. */
  constructor(private readonly forgetTunnel: (requestId: string) => void = () => {}) {}

  phaseBeforeInput(msg: Message, ctx: Ctx): string | null {
    if (msg.type === "UserWebSocketMessage") return this.sockets.get(msg.requestId)?.stage === "hibernating" ? "websocket message to hibernating actor" : null;
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
        if (socket.stage === "hibernating") return this.wakeHibernating(socket, msg, ctx);
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
        socket.opened = true;
        socket.canHibernate = msg.canHibernate;
        if (msg.canHibernate) setHibernatable(ctx.world, socket.open.actorId, msg.requestId, true);
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
    const socket: PendingSocket = { open, user, phase: ctx.openedPhase, stage: "waiting", opened: false, canHibernate: false, wakeAttempts: 0, readyTimer: null, poolCheckTimer: null, conn: null, queued: [] };
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

  /**
   * A client message to a hibernating socket: it waits, and wakes the actor (the real gateway leaves
   * hibernation on the client's next message and runs wake-and-wait again).
   */
  private wakeHibernating(socket: PendingSocket, msg: MessageOf<"UserWebSocketMessage">, ctx: Ctx): void {
    socket.queued.push(msg);
    socket.phase = ctx.openedPhase;
    socket.wakeAttempts = 0;
    const actor = ctx.world.actors.get(socket.open.actorId);
    if (actor && isConnectable(actor)) return this.restore(socket, actor.runnerId!, ctx);
    ctx.note("actor-sleeping", "Actor sleeping<br/>(WebSocket hibernating)", { actorId: socket.open.actorId });
    this.wake(socket, false, ctx);
  }

  /** The actor stopped under a hibernatable socket: the client keeps it, no runner holds it. */
  private hibernate(socket: PendingSocket, ctx: Ctx): void {
    socket.stage = "hibernating";
    socket.conn = null;
    ctx.note("websocket-hibernating", "WebSocket hibernating", { actorId: socket.open.actorId, payload: { requestId: socket.open.requestId } });
  }

  /**
   * The actor is Ready again with a socket it had accepted: no new open (its runner restored the
   * socket from the start command's hibernatingRequests); the waiting messages follow, their
   * indexes continuing the tunnel's.
   */
  private restore(socket: PendingSocket, runnerId: string, ctx: Ctx): void {
    ctx.cancelTimer(socket.readyTimer);
    ctx.cancelTimer(socket.poolCheckTimer);
    socket.readyTimer = socket.poolCheckTimer = null;
    const connId = ctx.world.runners.get(runnerId)?.connId;
    if (!connId) return this.wake(socket, true, ctx);
    socket.conn = { role: "RunnerWS", id: connId };
    socket.stage = "open";
    ctx.note("websocket-restored", "WebSocket restored", { actorId: socket.open.actorId, runnerId, payload: { requestId: socket.open.requestId, queued: socket.queued.length } });
    if (socket.phase !== null) ctx.phaseEnd(socket.phase);
    socket.phase = null;
    for (const queued of socket.queued.splice(0)) {
      ctx.send(socket.conn, { ...queued, type: "ToClientWebSocketMessage" }, { label: "ToClientWebSocketMessage" });
    }
  }

  /** The actor's topic: Ready opens waiting sockets; a stop retries them, or closes open ones. */
  private onTopic(msg: Message, ctx: Ctx): void {
    const actorId = "actorId" in msg ? msg.actorId : null;
    for (const socket of this.sockets.values()) {
      if (socket.open.actorId !== actorId || socket.stage === "closed") continue;
      ctx.usePhase(socket.phase);
      if (msg.type === "Ready") {
        if (socket.stage === "hibernating" || (socket.stage === "waiting" && socket.opened)) this.restore(socket, msg.runnerId, ctx);
        else if (socket.stage === "waiting") this.tunnel(socket, msg.runnerId, ctx);
      } else if (msg.type === "Stopped") {
        if (socket.stage === "waiting") {
          socket.wakeAttempts += 1;
          if (socket.wakeAttempts > ctx.config.timing.wakeRetryLimit) this.fail(socket, GATEWAY_ERRORS.wakeRetriesExceeded.code, "the actor kept stopping while waking", ctx);
          else this.wake(socket, true, ctx);
        } else if (socket.stage === "open" && socket.canHibernate) {
          this.hibernate(socket, ctx);
        } else if (socket.stage !== "hibernating") {
          // Not hibernatable (or not yet accepted): the actor stopped, so the socket closes.
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
    // A socket no runner holds (hibernating, or waiting to be restored) has nobody to close its tunnel.
    if (socket.opened && socket.conn === null) this.forgetTunnel(socket.open.requestId);
    if (socket.canHibernate) setHibernatable(ctx.world, socket.open.actorId, socket.open.requestId, false);
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
