// The per-actor workflow (engine.md §3): wake, allocation, sleep, loss, crash policies, destroy.
import { backoffMs } from "./config";
import { assertNever, type Checkpoint, type LostReason, type Message, type MessageOf } from "./messages";
import { GATEWAY, runnerWorkflow, serverless, actorWorkflow, type Ctx, type Input, type Participant } from "./participant";
import {
  adjustDesiredSlots,
  enqueuePending,
  hasSubscribers,
  hibernatableRequests,
  pickRunner,
  removePending,
  type ActorRecord,
  type ActorState,
  type World,
} from "./world";
export { newActorRecord } from "./world";

/** Signals one workflow step takes at most (the real actor workflow listens for 256 at once). */
const SIGNALS_PER_STEP = 256;

interface ActorWorkflowState {
  /** A wake arrived while the actor was stopping: allocate again once it has stopped. */
  rewake: { cause: number | null; phase: number | null } | null;
  /** Open "actor allocation" / "actor reallocation" phase, closed when the actor is ready. */
  allocationPhase: number | null;
  /** Open "actor sleep" phase (opened by the runner workflow when it forwards the intent). */
  sleepPhase: number | null;
  startDeadline: number | null;
  stopDeadline: number | null;
  backoffTimer: number | null;
  /** The actor's alarm (engine time), kept while it sleeps: it wakes the actor then. */
  alarmAt: number | null;
  alarmTimer: number | null;
  crashCount: number;
  lastCrashAt: number | null;
  /** Highest (generation, index) event seen, to de-duplicate re-sent events. */
  lastEventIndex: Map<number, number>;
  /**
   * Index of the last command sent for the current generation. The workflow numbers its own
   * commands, as the real one does (start 0, stop 1), so what is recorded is what the runner gets.
   */
  lastCommandIndex: number;
}

export class ActorWorkflow implements Participant {
  readonly ref;
  private readonly s: ActorWorkflowState = {
    rewake: null,
    allocationPhase: null,
    sleepPhase: null,
    startDeadline: null,
    stopDeadline: null,
    backoffTimer: null,
    alarmAt: null,
    alarmTimer: null,
    crashCount: 0,
    lastCrashAt: null,
    lastEventIndex: new Map(),
    lastCommandIndex: -1,
  };

  /** Like the real workflow's main loop, one step takes up to this many queued signals. */
  readonly stepBatch = SIGNALS_PER_STEP;

  /**
   * `restoredAlarmAt`: an alarm (engine time) an earlier life of the engine stored; a workflow
   * started with the `restore-alarm` step arms it again.
   */
  constructor(
    readonly actorId: string,
    restoredAlarmAt: number | null = null,
  ) {
    this.ref = actorWorkflow(actorId);
    this.s.alarmAt = restoredAlarmAt;
  }

  /** The actor's alarm (engine time), null when none: durable state the live engine stores. */
  get alarmAt(): number | null {
    return this.s.alarmAt;
  }

  /**
   * While Pending the workflow waits for its allocation only (or a destroy): wakes and anything
   * else that arrives meanwhile stay queued and do not delay the Allocate.
   */
  listensFor(input: Input, world: World): boolean {
    if (world.actors.get(this.actorId)?.state !== "Pending") return true;
    return input.kind !== "message" || input.msg.type === "Allocate" || input.msg.type === "DestroyActor";
  }

  handle(input: Input, ctx: Ctx): void {
    const actor = ctx.world.actors.get(this.actorId);
    if (!actor) return;
    // A destroyed actor still answers wakes (ignored, with a note) and gives back a slot that a
    // runner workflow reserved for it before the destroy.
    if (actor.state === "Destroyed" && !(input.kind === "message" && (input.msg.type === "Wake" || input.msg.type === "Allocate"))) return;
    this.trackPhases(ctx);
    switch (input.kind) {
      case "message":
        return this.onMessage(actor, input.msg, ctx);
      case "timer":
        return this.onTimer(actor, input.name, input.data, ctx);
      case "continue":
        return this.onContinue(actor, input.name, ctx);
      default:
        return assertNever(input);
    }
  }

  /** While the actor is being (re)allocated, everything it does belongs to that phase. */
  private trackPhases(ctx: Ctx): void {
    if (this.s.allocationPhase !== null && ctx.isPhaseOpen(this.s.allocationPhase)) ctx.usePhase(this.s.allocationPhase);
  }

  private onMessage(actor: ActorRecord, msg: Message, ctx: Ctx): void {
    switch (msg.type) {
      case "CreateActor":
        return this.allocate(actor, ctx, "actor allocation");
      case "Wake":
        return this.onWake(actor, msg, ctx);
      case "Allocate":
        return this.onAllocate(actor, msg, ctx);
      case "EventActorStateUpdate":
        if (!this.freshEvent(actor, msg)) return;
        if (msg.update.state === "Running") return this.onRunning(actor, ctx);
        // Already deallocated (a deadline expired, or the actor was lost first): nothing to free.
        if (actor.runnerId === null) return;
        return this.deallocate(actor, ctx, actor.state === "SleepIntent" || actor.state === "StopIntent" ? "stopped" : "crashed");
      case "EventActorIntent":
        if (!this.freshEvent(actor, msg)) return;
        return this.onIntent(actor, msg.intent, ctx);
      case "EventActorSetAlarm":
        // As the real engine: only from the runner the actor is allocated to.
        if (actor.runnerId === null || !this.freshEvent(actor, msg)) return;
        return this.setAlarm(actor, msg.alarmTs, ctx);
      case "Lost":
        if (msg.generation !== actor.generation || actor.runnerId === null) return;
        return this.onLost(actor, msg.reason, ctx);
      case "GoingAway":
        if (msg.generation !== actor.generation || actor.runnerId === null) return;
        this.setState(actor, "GoingAway", ctx);
        this.sendStop(actor, ctx);
        return;
      case "DestroyActor":
        return this.destroy(actor, ctx);
      default:
        return;
    }
  }

  private onWake(actor: ActorRecord, msg: MessageOf<"Wake">, ctx: Ctx): void {
    switch (actor.state) {
      case "Sleeping":
        return this.allocate(actor, ctx, "actor allocation");
      case "SleepIntent":
        if (!this.s.rewake) this.s.rewake = { cause: ctx.cause, phase: ctx.phase };
        ctx.note(
          "defer-wake",
          "Actor is currently marked<br/>as sleeping but has not stopped<br/>yet, defer wake after stop",
          { actorId: actor.actorId },
        );
        return;
      case "Starting":
      case "Running":
        ctx.note(
          "ignored-wake",
          msg.retry
            ? "Ignore retry wake (from before)<br/>because we are already allocated"
            : "Ignore wake because<br/>we are already allocated",
          { actorId: actor.actorId, payload: { state: actor.state, retry: msg.retry } },
        );
        return;
      default:
        ctx.note("ignored-wake", `Cannot wake an actor that<br/>is not sleeping (${actor.state})`, {
          actorId: actor.actorId,
          payload: { state: actor.state, retry: msg.retry },
        });
        return;
    }
  }

  /** Rule 1: take a free slot if there is one, else queue and bump the autoscaler. */
  private allocate(actor: ActorRecord, ctx: Ctx, phaseLabel: string): void {
    if (this.s.allocationPhase === null || !ctx.isPhaseOpen(this.s.allocationPhase)) {
      this.s.allocationPhase = ctx.phaseStart(phaseLabel);
    }
    ctx.note("allocate", "Allocate", { actorId: actor.actorId });
    adjustDesiredSlots(ctx.world, actor.pool, +1);
    const runner = pickRunner(ctx.world, actor.name, ctx.now, ctx.config.timing.pingFreshMs);
    if (runner) {
      runner.freeSlots -= 1;
      return this.place(actor, runner.runnerId, ctx);
    }
    ctx.note("no-runners-pending", "No runners available,<br/>Start pending", { actorId: actor.actorId });
    enqueuePending(ctx.world, actor.name, actor.actorId);
    this.setState(actor, "Pending", ctx);
    ctx.send(serverless(actor.pool), { type: "Bump", pool: actor.pool });
  }

  /** The runner workflow placed a queued actor on its slot. */
  private onAllocate(actor: ActorRecord, msg: MessageOf<"Allocate">, ctx: Ctx): void {
    if (actor.state !== "Pending") {
      // The slot was reserved for us: give it back, to the next queued actor if there is one.
      const runner = ctx.world.runners.get(msg.runnerId);
      if (runner) {
        runner.freeSlots += 1;
        if (runner.alive && !runner.draining && runner.connId !== null) this.placeQueuedActor(actor.name, runner.runnerId, ctx);
      }
      return;
    }
    this.place(actor, msg.runnerId, ctx);
  }

  private place(actor: ActorRecord, runnerId: string, ctx: Ctx): void {
    actor.generation += 1;
    this.s.lastCommandIndex = -1;
    actor.runnerId = runnerId;
    ctx.world.runners.get(runnerId)?.actorIds.add(actor.actorId);
    this.setState(actor, "Starting", ctx);
    this.s.startDeadline = ctx.setTimer("start-deadline", ctx.config.timing.actorStartThresholdMs, actor.generation);
    const hibernating = hibernatableRequests(ctx.world, actor.actorId);
    ctx.send(
      runnerWorkflow(runnerId),
      {
        type: "CommandStartActor",
        runnerId,
        checkpoint: this.nextCommandCheckpoint(actor),
        config: { name: actor.name, key: actor.key, createTs: actor.createTs, input: actor.input },
        ...(hibernating.length > 0 ? { hibernatingRequests: hibernating } : {}),
      },
      { label: "Send StartActor" },
    );
  }

  /** Rule 5. */
  private onRunning(actor: ActorRecord, ctx: Ctx): void {
    if (actor.state !== "Starting") return;
    ctx.cancelTimer(this.s.startDeadline);
    this.s.startDeadline = null;
    actor.startTs ??= ctx.now;
    actor.connectableTs = ctx.now;
    this.setState(actor, "Running", ctx);
    ctx.note("publish-ready", "Publish Ready msg", { actorId: actor.actorId, runnerId: actor.runnerId });
    if (this.s.allocationPhase !== null) {
      ctx.phaseEnd(this.s.allocationPhase);
      this.s.allocationPhase = null;
    }
    this.publish(actor, { type: "Ready", actorId: actor.actorId, runnerId: actor.runnerId!, generation: actor.generation }, `Receive runner ID<br/>${actor.runnerId}`, ctx);
  }

  /** Rule 4 (and `Stop` intents: destroy or failed start). */
  private onIntent(actor: ActorRecord, intent: "Sleep" | "Stop", ctx: Ctx): void {
    if (actor.state === "SleepIntent" || actor.state === "StopIntent") {
      ctx.note("ignored-sleep-intent", "Ignored, already<br/>marked as sleeping", { actorId: actor.actorId });
      return;
    }
    if (actor.state !== "Running" && actor.state !== "Starting") return;
    this.s.sleepPhase = ctx.phase;
    actor.connectableTs = null;
    if (intent === "Sleep") {
      ctx.note("mark-sleeping", "Mark as sleeping", { actorId: actor.actorId });
      actor.sleepTs = ctx.now;
      this.setState(actor, "SleepIntent", ctx);
    } else {
      ctx.note("mark-stopping", "Mark as stopping", { actorId: actor.actorId });
      this.setState(actor, "StopIntent", ctx);
    }
    this.sendStop(actor, ctx);
  }

  private nextCommandCheckpoint(actor: ActorRecord): Checkpoint {
    this.s.lastCommandIndex += 1;
    return { actorId: actor.actorId, generation: actor.generation, index: this.s.lastCommandIndex };
  }

  private sendStop(actor: ActorRecord, ctx: Ctx): void {
    if (actor.runnerId === null) return;
    ctx.send(
      runnerWorkflow(actor.runnerId),
      { type: "CommandStopActor", runnerId: actor.runnerId, checkpoint: this.nextCommandCheckpoint(actor) },
      { label: "Send StopActor" },
    );
    ctx.cancelTimer(this.s.stopDeadline);
    this.s.stopDeadline = ctx.setTimer("stop-deadline", ctx.config.timing.actorStopThresholdMs, actor.generation);
  }

  private onLost(actor: ActorRecord, reason: LostReason, ctx: Ctx): void {
    this.deallocate(actor, ctx, "lost", reason);
  }

  /**
   * Rule 6: free the slot, hand it to a queued actor or bump the autoscaler, decide what comes next,
   * and always publish Stopped.
   */
  private deallocate(actor: ActorRecord, ctx: Ctx, why: "stopped" | "crashed" | "lost", reason?: LostReason): void {
    const runnerId = actor.runnerId;
    const wasState = actor.state;
    ctx.cancelTimer(this.s.startDeadline);
    ctx.cancelTimer(this.s.stopDeadline);
    this.s.startDeadline = this.s.stopDeadline = null;
    ctx.note("deallocate", "Deallocate", { actorId: actor.actorId, runnerId, payload: { runnerId, generation: actor.generation, why, reason: reason ?? null } });
    actor.runnerId = null;
    actor.connectableTs = null;
    adjustDesiredSlots(ctx.world, actor.pool, -1);
    const runner = runnerId ? ctx.world.runners.get(runnerId) : undefined;
    if (runner) {
      runner.actorIds.delete(actor.actorId);
      runner.freeSlots += 1;
      const slotBackInIndex = runner.alive && !runner.draining && runner.connId !== null;
      if (slotBackInIndex && !this.placeQueuedActor(actor.name, runner.runnerId, ctx)) {
        ctx.send(serverless(actor.pool), { type: "Bump", pool: actor.pool });
      }
    }
    const next = this.nextAfterStop(actor, wasState, why);
    ctx.note("send-stopped", "Send Stopped msg", { actorId: actor.actorId });
    if (this.s.sleepPhase !== null) {
      ctx.phaseEnd(this.s.sleepPhase);
      this.s.sleepPhase = null;
    }
    this.publish(actor, { type: "Stopped", actorId: actor.actorId, generation: actor.generation }, "Receive Stopped msg", ctx);
    this.enter(actor, next, ctx);
  }

  private nextAfterStop(actor: ActorRecord, wasState: ActorState, why: "stopped" | "crashed" | "lost"): "rewake" | "sleep" | "destroy" | "restart" {
    if (wasState === "SleepIntent") return this.s.rewake ? "rewake" : "sleep";
    if (wasState === "StopIntent") return "destroy";
    if (why === "stopped") return "sleep";
    switch (actor.crashPolicy) {
      case "sleep":
        return "sleep";
      case "destroy":
        return "destroy";
      case "restart":
        return "restart";
      default:
        return assertNever(actor.crashPolicy);
    }
  }

  private enter(actor: ActorRecord, next: "rewake" | "sleep" | "destroy" | "restart", ctx: Ctx): void {
    switch (next) {
      case "rewake":
        // The next workflow step, after this one commits.
        ctx.continueWith("deferred-wake");
        return;
      case "sleep":
        // Asleep without having asked (its runner was drained or lost, or it crashed): it went to
        // sleep now. An actor that asked keeps the time of its intent.
        if (actor.state !== "SleepIntent") actor.sleepTs = ctx.now;
        this.setState(actor, "Sleeping", ctx);
        // Nobody waits for this actor any more: its allocation attempt is over. (A gateway still
        // waiting will retry the wake, and that wake continues the same allocation phase.)
        if (this.s.allocationPhase !== null && !hasSubscribers(ctx.world, actor.actorId)) {
          ctx.phaseEnd(this.s.allocationPhase);
          this.s.allocationPhase = null;
        }
        return;
      case "destroy":
        return this.finishDestroy(actor, ctx);
      case "restart": {
        if (this.s.lastCrashAt !== null && ctx.now - this.s.lastCrashAt > ctx.config.timing.backoffResetMs) this.s.crashCount = 0;
        this.s.lastCrashAt = ctx.now;
        const delay = backoffMs(this.s.crashCount, ctx.config.timing, () => ctx.random());
        this.s.crashCount += 1;
        this.setState(actor, "Backoff", ctx);
        ctx.note("backoff", `Reallocate in ${delay} ms<br/>(attempt ${this.s.crashCount})`, { actorId: actor.actorId, payload: { delayMs: delay, attempt: this.s.crashCount } });
        this.s.backoffTimer = ctx.setTimer("backoff", delay);
        return;
      }
      default:
        return assertNever(next);
    }
  }

  private onContinue(actor: ActorRecord, name: string, ctx: Ctx): void {
    if (name === "restore-alarm") return this.restoreAlarm(actor, ctx);
    if (name !== "deferred-wake" || !this.s.rewake) return;
    const rewake = this.s.rewake;
    this.s.rewake = null;
    // The re-allocation happens because of the wake that was deferred.
    ctx.useCause(rewake.cause);
    ctx.usePhase(rewake.phase);
    this.s.allocationPhase = ctx.phaseStart("actor reallocation");
    ctx.note("deferred-wake", "Deferred wake", { actorId: actor.actorId });
    this.allocate(actor, ctx, "actor reallocation");
  }

  /** A restarted engine arms the stored alarm again; one already due fires at once. */
  private restoreAlarm(actor: ActorRecord, ctx: Ctx): void {
    if (this.s.alarmAt === null || this.s.alarmTimer !== null) return;
    ctx.note("alarm-restored", `Alarm restored for ${this.s.alarmAt} ms`, { actorId: actor.actorId, housekeeping: true, payload: { alarmAt: this.s.alarmAt } });
    this.s.alarmTimer = ctx.setTimer("alarm", Math.max(0, this.s.alarmAt - ctx.now), this.s.alarmAt);
  }

  /** The runner sets (epoch ms) or clears (null) the actor's alarm; the last one wins. */
  private setAlarm(actor: ActorRecord, alarmTs: number | null, ctx: Ctx): void {
    ctx.cancelTimer(this.s.alarmTimer);
    this.s.alarmTimer = null;
    this.s.alarmAt = alarmTs === null ? null : alarmTs - ctx.config.epochMs;
    if (this.s.alarmAt === null) {
      ctx.note("alarm-cleared", "Alarm cleared", { actorId: actor.actorId, housekeeping: true });
      return;
    }
    ctx.note("alarm-set", `Alarm set for ${this.s.alarmAt} ms`, { actorId: actor.actorId, housekeeping: true, payload: { alarmAt: this.s.alarmAt } });
    this.s.alarmTimer = ctx.setTimer("alarm", this.s.alarmAt - ctx.now, this.s.alarmAt);
  }

  /**
   * The alarm is due. As in the real engine it acts as a wake and is cleared by it: a sleeping actor
   * is allocated, one that is stopping wakes once it has stopped, an awake one is left alone (its
   * runner runs the scheduled work itself).
   */
  private onAlarm(actor: ActorRecord, ctx: Ctx): void {
    this.s.alarmAt = null;
    this.s.alarmTimer = null;
    ctx.useCause(null);
    switch (actor.state) {
      case "Sleeping":
        ctx.note("alarm-wake", "Alarm due, wake", { actorId: actor.actorId });
        return this.allocate(actor, ctx, "actor allocation");
      case "SleepIntent":
        ctx.note("alarm-wake", "Alarm due, wake<br/>after stop", { actorId: actor.actorId });
        if (!this.s.rewake) this.s.rewake = { cause: ctx.cause, phase: ctx.phase };
        return;
      default:
        // Recorded so the live engine stores the cleared alarm (a restart must not wake it again).
        ctx.note("alarm-due", "Alarm due,<br/>actor awake", { actorId: actor.actorId, housekeeping: true });
        return;
    }
  }

  private onTimer(actor: ActorRecord, name: string, data: unknown, ctx: Ctx): void {
    switch (name) {
      case "alarm":
        if (data !== this.s.alarmAt) return;
        return this.onAlarm(actor, ctx);
      case "start-deadline":
      case "stop-deadline":
        if (data !== actor.generation || actor.runnerId === null) return;
        ctx.note("deadline-expired", name === "start-deadline" ? "Start deadline expired,<br/>treat as lost" : "Stop deadline expired,<br/>treat as lost", {
          actorId: actor.actorId,
          payload: { generation: actor.generation },
        });
        return this.onLost(actor, "RunnerNoResponse", ctx);
      case "backoff":
        this.s.backoffTimer = null;
        if (actor.state !== "Backoff") return;
        if (this.s.allocationPhase === null || !ctx.isPhaseOpen(this.s.allocationPhase)) {
          this.s.allocationPhase = ctx.phaseStart("actor reallocation");
        }
        return this.allocate(actor, ctx, "actor reallocation");
      default:
        return;
    }
  }

  /** Rule 8. */
  private destroy(actor: ActorRecord, ctx: Ctx): void {
    // Already stopping to be destroyed: its Stopped finishes the destroy (and frees the slot).
    if (actor.state === "StopIntent") return;
    if (actor.state === "Pending") {
      removePending(ctx.world, actor.name, actor.actorId);
      adjustDesiredSlots(ctx.world, actor.pool, -1);
      // As the real engine: the pool is bumped so that it scales down (and gives up a start that
      // is still backing off for this actor).
      ctx.send(serverless(actor.pool), { type: "Bump", pool: actor.pool });
    }
    ctx.cancelTimer(this.s.backoffTimer);
    ctx.cancelTimer(this.s.alarmTimer);
    this.s.alarmTimer = this.s.alarmAt = null;
    this.publish(actor, { type: "DestroyStarted", actorId: actor.actorId }, "Destroy started", ctx);
    if (actor.runnerId !== null && (actor.state === "Starting" || actor.state === "Running" || actor.state === "GoingAway")) {
      this.setState(actor, "StopIntent", ctx);
      this.sendStop(actor, ctx);
      return;
    }
    if (actor.state === "SleepIntent") {
      this.setState(actor, "StopIntent", ctx);
      return;
    }
    this.finishDestroy(actor, ctx);
  }

  private finishDestroy(actor: ActorRecord, ctx: Ctx): void {
    actor.destroyTs = ctx.now;
    this.setState(actor, "Destroyed", ctx);
    ctx.note("destroyed", "Destroyed", { actorId: actor.actorId });
    if (this.s.allocationPhase !== null) ctx.phaseEnd(this.s.allocationPhase);
    this.s.allocationPhase = null;
  }

  /** Hand a freed slot to the first queued actor of that runner name. */
  private placeQueuedActor(name: string, runnerId: string, ctx: Ctx): boolean {
    const queue = ctx.world.pending.get(name) ?? [];
    const next = queue.shift();
    if (!next) return false;
    const runner = ctx.world.runners.get(runnerId)!;
    runner.freeSlots -= 1;
    ctx.send(actorWorkflow(next), { type: "Allocate", actorId: next, runnerId }, { label: "Allocate" });
    return true;
  }

  /** Broadcast on the actor's topic: only a gateway waiting on it receives a message. */
  private publish(actor: ActorRecord, msg: Message, label: string, ctx: Ctx): void {
    if (hasSubscribers(ctx.world, actor.actorId)) ctx.send(GATEWAY, msg, { label });
  }

  private freshEvent(actor: ActorRecord, msg: MessageOf<"EventActorStateUpdate" | "EventActorIntent" | "EventActorSetAlarm">): boolean {
    const { generation, index } = msg.checkpoint;
    if (generation !== actor.generation) return false;
    const last = this.s.lastEventIndex.get(generation) ?? -1;
    if (index <= last) return false;
    this.s.lastEventIndex.set(generation, index);
    return true;
  }

  private setState(actor: ActorRecord, to: ActorState, ctx: Ctx): void {
    const from = actor.state;
    actor.state = to;
    ctx.note("state", `${from} → ${to}`, {
      actorId: actor.actorId,
      runnerId: actor.runnerId,
      housekeeping: true,
      payload: { from, to, generation: actor.generation, runnerId: actor.runnerId },
    });
  }
}
