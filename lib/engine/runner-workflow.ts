// The per-runner workflow (engine.md §4): slots and allocation index entry, pending placement,
// forwarding events and commands, drain, loss.
import type { ParticipantRef } from "../trace/types";
import { assertNever, type Message } from "./messages";
import { actorWorkflow, runnerWorkflow, serverless, type Ctx, type Input, type Participant } from "./participant";

const ORDINALS = ["", "", "Second", "Third", "Fourth", "Fifth"];

export class RunnerWorkflow implements Participant {
  readonly ref: ParticipantRef;
  private lostTimer: number | null = null;
  private ended = false;
  /** Sleep intents forwarded per actor generation, to name repeated ones. */
  private readonly intentsForwarded = new Map<string, number>();
  /** Commands waiting for a connection, re-sent on reconnect. */
  private readonly unacked: Message[] = [];

  constructor(readonly runnerId: string) {
    this.ref = runnerWorkflow(runnerId);
  }

  private connRef(ctx: Ctx): ParticipantRef | null {
    const connId = ctx.world.runners.get(this.runnerId)?.connId;
    return connId ? { role: "RunnerWS", id: connId } : null;
  }

  handle(input: Input, ctx: Ctx): void {
    if (this.ended) {
      if (input.kind === "message" && input.msg.type === "CommandStartActor") this.answerLost(input.msg.checkpoint.actorId, input.msg.checkpoint.generation, ctx);
      return;
    }
    switch (input.kind) {
      case "message":
        return this.onMessage(input.msg, input.seq, ctx);
      case "timer":
        if (input.name === "lost-threshold") return this.lose(ctx, "RunnerLost");
        return;
      case "continue":
        return;
      default:
        return assertNever(input);
    }
  }

  private onMessage(msg: Message, seq: number, ctx: Ctx): void {
    const runner = ctx.world.runners.get(this.runnerId);
    if (!runner) return;
    switch (msg.type) {
      case "CreateRunnerWorkflow":
        return this.allocatePending(ctx);
      case "RunnerReconnected":
        ctx.cancelTimer(this.lostTimer);
        this.lostTimer = null;
        for (const command of this.unacked.splice(0)) this.forwardCommand(command, null, ctx);
        return this.allocatePending(ctx);
      case "RunnerDisconnected":
        if (runner.draining) return this.lose(ctx, msg.evicted ? "RunnerEvicted" : "RunnerDraining");
        // Wait for a reconnect within the lost threshold before giving its actors up.
        ctx.cancelTimer(this.lostTimer);
        this.lostTimer = ctx.setTimer("lost-threshold", ctx.config.timing.runnerLostThresholdMs);
        return;
      case "Stop":
        return this.drain(ctx);
      case "RunnerStopping":
        for (const actorId of runner.actorIds) {
          const actor = ctx.world.actors.get(actorId);
          if (actor) ctx.send(actorWorkflow(actorId), { type: "GoingAway", actorId, generation: actor.generation }, { label: "Going away" });
        }
        return;
      case "CommandStartActor":
        if (runner.draining) return this.answerLost(msg.checkpoint.actorId, msg.checkpoint.generation, ctx);
        return this.forwardCommand(msg, seq, ctx);
      case "CommandStopActor":
        return this.forwardCommand(msg, seq, ctx);
      case "EventActorIntent": {
        const key = `${msg.checkpoint.actorId}/${msg.checkpoint.generation}`;
        const count = (this.intentsForwarded.get(key) ?? 0) + 1;
        this.intentsForwarded.set(key, count);
        if (msg.intent === "Sleep" && count === 1) ctx.usePhase(ctx.phaseStart("actor sleep"));
        const prefix = count > 1 ? `${ORDINALS[count] ?? `#${count}`} actor` : "Actor";
        ctx.send(actorWorkflow(msg.checkpoint.actorId), msg, { relayOf: seq, label: `${prefix} intent: ${msg.intent}` });
        return;
      }
      case "EventActorStateUpdate":
        if (msg.update.state === "Stopped") runner.actorIds.delete(msg.checkpoint.actorId);
        ctx.send(actorWorkflow(msg.checkpoint.actorId), msg, { relayOf: seq, label: `Actor state update: ${msg.update.state}` });
        return;
      case "EventActorSetAlarm":
        ctx.send(actorWorkflow(msg.checkpoint.actorId), msg, { relayOf: seq, label: msg.alarmTs === null ? "Actor clear alarm" : "Actor set alarm" });
        return;
      default:
        return;
    }
  }

  private forwardCommand(msg: Message, seq: number | null, ctx: Ctx): void {
    const conn = this.connRef(ctx);
    if (!conn) {
      this.unacked.push(msg);
      return;
    }
    const name = msg.type === "CommandStartActor" ? "StartActor" : "StopActor";
    ctx.send(conn, msg, { relayOf: seq, label: `Proxy ${name}` });
  }

  /** Place queued actors FIFO on the free slots, each told with Allocate. */
  private allocatePending(ctx: Ctx): void {
    const runner = ctx.world.runners.get(this.runnerId)!;
    ctx.note("allocate-pending", "Allocate pending actors", { runnerId: this.runnerId });
    const queue = ctx.world.pending.get(runner.name) ?? [];
    while (runner.freeSlots > 0 && queue.length > 0 && !runner.draining) {
      const actorId = queue.shift()!;
      runner.freeSlots -= 1;
      ctx.send(actorWorkflow(actorId), { type: "Allocate", actorId, runnerId: this.runnerId }, { label: "Allocate" });
    }
  }

  /** `Stop` from the autoscaler: once, leave the allocation index; actors keep running. */
  private drain(ctx: Ctx): void {
    const runner = ctx.world.runners.get(this.runnerId)!;
    if (runner.draining) return;
    runner.draining = true;
    ctx.note("remove-from-index", "Remove from alloc idx", { runnerId: this.runnerId });
    if (ctx.config.goingAwayOnDrain) {
      for (const actorId of runner.actorIds) {
        const actor = ctx.world.actors.get(actorId);
        if (actor) ctx.send(actorWorkflow(actorId), { type: "GoingAway", actorId, generation: actor.generation }, { label: "Going away" });
      }
    }
    if (runner.connId === null) this.lose(ctx, "RunnerDraining");
  }

  /** The runner is gone: the workflow ends and every actor still on it is lost. */
  private lose(ctx: Ctx, reason: "RunnerLost" | "RunnerDraining" | "RunnerEvicted"): void {
    const runner = ctx.world.runners.get(this.runnerId)!;
    ctx.cancelTimer(this.lostTimer);
    this.lostTimer = null;
    if (!runner.draining) {
      runner.draining = true;
      ctx.note("remove-from-index", "Remove from alloc idx", { runnerId: this.runnerId });
    }
    runner.alive = false;
    this.ended = true;
    if (runner.actorIds.size > 0) {
      ctx.note("evict-running-actors", "Evict running actors", { runnerId: this.runnerId, payload: { reason } });
    }
    for (const actorId of [...runner.actorIds]) {
      const actor = ctx.world.actors.get(actorId);
      if (actor && actor.runnerId === this.runnerId) {
        ctx.send(actorWorkflow(actorId), { type: "Lost", actorId, generation: actor.generation, reason }, { label: "Actor lost" });
      }
    }
    runner.actorIds.clear();
    // A runner the autoscaler did not drain went missing: its pool must count it out and may have
    // to start another one (the real engine's /start stream ends and is started again).
    const pool = ctx.config.pools.find((p) => p.name === runner.name);
    if (reason === "RunnerLost" && pool) ctx.send(serverless(pool.name), { type: "Bump", pool: pool.name }, { label: "Bump (runner lost)" });
  }

  private answerLost(actorId: string, generation: number, ctx: Ctx): void {
    ctx.send(actorWorkflow(actorId), { type: "Lost", actorId, generation, reason: "RunnerDraining" }, { label: "Actor lost<br/>(runner draining)" });
  }
}
