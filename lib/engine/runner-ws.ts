// The engine's end of one runner WebSocket (engine.md §4): handshake, runner id reuse, pings,
// relaying events to the runner workflow and commands / tunnel traffic to the runner, eviction.
import type { ParticipantRef } from "../trace/types";
import { assertNever, type Message } from "./messages";
import { GATEWAY, runnerWorkflow, type Ctx, type Input, type Participant } from "./participant";
import { RunnerWorkflow } from "./runner-workflow";
import type { RunnerRecord } from "./world";

export const RUNNER_PROTOCOL_VERSION = 7;

export class RunnerWs implements Participant {
  readonly ref: ParticipantRef;
  private runnerId: string | null = null;
  private closed = false;
  private pingTimer: number | null = null;
  private initTimer: number | null = null;
  /** Fires when no pong may have come for pongTimeout; re-armed from the last pong if one came. */
  private pongDeadline: number | null = null;
  private lastPongAt = 0;

  constructor(
    readonly connId: string,
    /** The runner process on the other end. */
    private readonly runner: ParticipantRef,
  ) {
    this.ref = { role: "RunnerWS", id: connId };
  }

  phaseBeforeInput(msg: Message): string | null {
    return msg.type === "ToServerInit" && this.runnerId === null ? "runner connection" : null;
  }

  handle(input: Input, ctx: Ctx): void {
    if (this.closed) return;
    switch (input.kind) {
      case "message":
        return this.onMessage(input.msg, input.seq, ctx);
      case "timer":
        return this.onTimer(input.name, ctx);
      case "continue":
        if (input.name === "start") this.start(ctx);
        if (input.name === "transport-closed") this.close(ctx, "ws.closed", false);
        return;
      default:
        return assertNever(input);
    }
  }

  /** Called when the connection opens: the first frame must be ToServerInit in time. */
  start(ctx: Ctx): void {
    this.initTimer = ctx.setTimer("init-timeout", ctx.config.timing.initTimeoutMs);
  }

  private onMessage(msg: Message, seq: number, ctx: Ctx): void {
    if (msg.type === "ToServerInit") return this.onInit(msg, ctx);
    if (this.runnerId === null) return this.close(ctx, "ws.init_required", false);
    const runner = ctx.world.runners.get(this.runnerId);
    switch (msg.type) {
      case "EventActorIntent":
      case "EventActorStateUpdate":
      case "EventActorSetAlarm": {
        ctx.send(runnerWorkflow(this.runnerId), msg, { relayOf: seq, label: eventLabel(msg) });
        ctx.send(this.runner, { type: "ToClientAckEvents", lastEventCheckpoints: [msg.checkpoint] }, { label: "ToClientAckEvents" });
        return;
      }
      case "ToServerPong":
        this.lastPongAt = ctx.now;
        if (runner) runner.lastPingAt = ctx.now;
        return;
      case "ToServerStopping":
        ctx.send(runnerWorkflow(this.runnerId), { type: "RunnerStopping", runnerId: this.runnerId }, { relayOf: seq, label: "Runner stopping" });
        return;
      case "ToServerAckCommands":
      case "ToServerKvRequest":
        return;
      case "ToServerResponseStart":
        ctx.send(GATEWAY, msg, { relayOf: seq, label: `ToServerResponseStart ${msg.status}` });
        return;
      case "CommandStartActor":
      case "CommandStopActor":
        // From the runner workflow: down the socket.
        ctx.send(this.runner, msg, { relayOf: seq, label: msg.type === "CommandStartActor" ? "ToClientCommands StartActor" : "ToClientCommands StopActor" });
        return;
      case "ToClientRequestStart":
      case "ToClientRequestAbort":
      case "ToClientWebSocketOpen":
      case "ToClientWebSocketMessage":
      case "ToClientWebSocketClose":
        ctx.send(this.runner, msg, { relayOf: seq, label: msg.type });
        return;
      case "ToServerWebSocketOpen":
      case "ToServerWebSocketMessage":
      case "ToServerWebSocketClose":
        ctx.send(GATEWAY, msg, { relayOf: seq, label: msg.type });
        return;
      case "Evict":
        ctx.send(this.runner, msg, { relayOf: seq, label: "Close ws.eviction" });
        return this.close(ctx, "ws.eviction", true);
      default:
        return;
    }
  }

  private onInit(msg: Extract<Message, { type: "ToServerInit" }>, ctx: Ctx): void {
    if (this.runnerId !== null) return;
    ctx.cancelTimer(this.initTimer);
    const key = `${ctx.config.namespace}/${msg.name}/${msg.runnerKey}`;
    const existingId = ctx.world.runnerByKey.get(key);
    const existing = existingId ? ctx.world.runners.get(existingId) : undefined;
    let record: RunnerRecord;
    if (existing && existing.alive) {
      // A reconnect within the lost threshold keeps the runner id and its workflow.
      record = existing;
      record.connId = this.connId;
      record.processId = this.runner.id;
      record.disconnectedAt = null;
      record.lastPingAt = ctx.now;
      this.runnerId = record.runnerId;
      ctx.send(runnerWorkflow(record.runnerId), { type: "RunnerReconnected", runnerId: record.runnerId }, { label: "Runner reconnected" });
    } else {
      const runnerId = ctx.newId("runner");
      record = {
        runnerId,
        name: msg.name,
        runnerKey: msg.runnerKey,
        version: msg.version,
        totalSlots: msg.totalSlots,
        freeSlots: msg.totalSlots,
        lastPingAt: ctx.now,
        connId: this.connId,
        processId: this.runner.id,
        draining: false,
        alive: true,
        disconnectedAt: null,
        actorIds: new Set(),
      };
      ctx.world.runners.set(runnerId, record);
      ctx.world.runnerByKey.set(key, runnerId);
      this.runnerId = runnerId;
      ctx.spawn(new RunnerWorkflow(runnerId));
      ctx.send(
        runnerWorkflow(runnerId),
        { type: "CreateRunnerWorkflow", runnerId, name: msg.name, version: msg.version, totalSlots: msg.totalSlots, runnerKey: msg.runnerKey },
        { label: "Create runner workflow" },
      );
    }
    if (ctx.openedPhase !== null) ctx.phaseEnd(ctx.openedPhase);
    this.lastPongAt = ctx.now;
    ctx.send(
      this.runner,
      {
        type: "ToClientInit",
        runnerId: record.runnerId,
        runnerLostThreshold: ctx.config.timing.runnerLostThresholdMs,
        actorStopThreshold: ctx.config.timing.actorStopThresholdMs,
        serverlessDrainGracePeriod: null,
      },
      { label: `ToClientInit ${record.runnerId}` },
    );
    this.pingTimer = ctx.setTimer("ping", ctx.config.timing.pingIntervalMs);
    this.armPongDeadline(ctx);
  }

  /** Closing on time needs no timer per pong: the deadline is checked, and moved, when it fires. */
  private armPongDeadline(ctx: Ctx): void {
    ctx.cancelTimer(this.pongDeadline);
    this.pongDeadline = ctx.setTimer("pong-deadline", this.lastPongAt + ctx.config.timing.pongTimeoutMs - ctx.now);
  }

  private onTimer(name: string, ctx: Ctx): void {
    switch (name) {
      case "init-timeout":
        if (this.runnerId === null) this.close(ctx, "ws.init_timeout", false);
        return;
      case "pong-deadline":
        this.pongDeadline = null;
        ctx.useCause(null);
        if (ctx.now - this.lastPongAt >= ctx.config.timing.pongTimeoutMs) return this.close(ctx, "ws.ping_timeout", false);
        return this.armPongDeadline(ctx);
      case "ping":
        ctx.useCause(null);
        ctx.send(this.runner, { type: "ToClientPing", ts: ctx.now }, { label: "ToClientPing" });
        this.pingTimer = ctx.setTimer("ping", ctx.config.timing.pingIntervalMs);
        return;
      default:
        return;
    }
  }

  /** Close the socket: the runner leaves the index at once; its workflow decides when it is lost. */
  close(ctx: Ctx, reason: string, evicted: boolean): void {
    if (this.closed) return;
    this.closed = true;
    ctx.cancelTimer(this.pingTimer);
    ctx.cancelTimer(this.initTimer);
    ctx.cancelTimer(this.pongDeadline);
    ctx.close();
    if (this.runnerId === null) return;
    const runner = ctx.world.runners.get(this.runnerId);
    if (runner && runner.connId === this.connId) {
      runner.connId = null;
      runner.disconnectedAt = ctx.now;
    }
    ctx.send(runnerWorkflow(this.runnerId), { type: "RunnerDisconnected", runnerId: this.runnerId, evicted }, { label: `Disconnected (${reason})` });
  }
}

function eventLabel(msg: Extract<Message, { type: "EventActorIntent" | "EventActorStateUpdate" | "EventActorSetAlarm" }>): string {
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
