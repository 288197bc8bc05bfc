// The serverless autoscaler of one runner pool (engine.md §5): desired runners from the desired-slot
// counter, outbound `/start` requests with a lifespan, drain with grace, eviction, endpoint backoff.
import type { ParticipantRef } from "../trace/types";
import { backoffMs, desiredRunners, type PoolConfig } from "./config";
import { assertNever, type Message } from "./messages";
import { endpoint, runnerWorkflow, serverless, type Ctx, type Input, type Participant } from "./participant";

interface StartRequest {
  startId: string;
  startedAt: number;
  runnerId: string | null;
  /** Drained (Stop sent, or aborted before its runner connected): no longer counts as capacity. */
  draining: boolean;
  lifespanTimer: number | null;
  /**
   * Failures of this start so far and when it last retried: as the real engine's count, a success
   * does not reset it, a retry more than backoffResetMs after the previous one does.
   */
  failures: number;
  lastRetryAt: number | null;
  /** Backing off after a failure: it still counts as a runner being started. */
  retryTimer: number | null;
}

export class Serverless implements Participant {
  readonly ref: ParticipantRef;
  private readonly requests = new Map<string, StartRequest>();

  constructor(private readonly pool: PoolConfig) {
    this.ref = serverless(pool.name);
  }

  handle(input: Input, ctx: Ctx): void {
    switch (input.kind) {
      case "message":
        return this.onMessage(input.msg, ctx);
      case "timer":
        return this.onTimer(input.name, input.data, ctx);
      case "continue":
        return this.onOperator(input.name, input.data as string, ctx);
      default:
        return assertNever(input);
    }
  }

  /** Operator faults from a scenario: drain a runner now, or evict its socket without grace. */
  private onOperator(name: string, runnerId: string, ctx: Ctx): void {
    const request = [...this.requests.values()].find((r) => r.runnerId === runnerId);
    if (name === "drain-runner" && request) return this.drain(request, ctx);
    if (name === "evict-runner") {
      if (request) {
        ctx.cancelTimer(request.lifespanTimer);
        this.requests.delete(request.startId);
      }
      const runner = ctx.world.runners.get(runnerId);
      if (runner?.connId) ctx.send({ role: "RunnerWS", id: runner.connId }, { type: "Evict", runnerId, reason: "ws.eviction" }, { label: "Evict WS" });
    }
  }

  private onMessage(msg: Message, ctx: Ctx): void {
    switch (msg.type) {
      case "Bump":
        return this.reconcile(ctx);
      case "ToServerlessServerInit": {
        const request = this.requests.get(msg.startId);
        if (!request) return;
        request.runnerId = msg.runnerId;
        ctx.world.poolErrors.set(this.pool.name, null);
        return;
      }
      case "StartFailed": {
        const request = this.requests.get(msg.startId);
        if (!request) return;
        return this.backOff(request, msg.status, msg.reason, ctx);
      }
      case "StartStreamClosed": {
        const request = this.requests.get(msg.startId);
        if (request) {
          ctx.cancelTimer(request.lifespanTimer);
          this.requests.delete(msg.startId);
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * On every bump: start `/start` requests up to the desired count, drain the surplus oldest first.
   * As the real engine's pool: it drains the runners it started first, whether or not they host
   * actors (it has no preference for idle runners yet).
   */
  private reconcile(ctx: Ctx): void {
    this.forgetLostRunners(ctx);
    const slots = ctx.world.desiredSlots.get(this.pool.name) ?? 0;
    const desired = desiredRunners(this.pool, slots);
    const active = [...this.requests.values()].filter((r) => !r.draining);
    if (desired > active.length) {
      ctx.note("desired", `Desired: ${desired}`, { payload: { desiredSlots: slots, desiredRunners: desired, active: active.length } });
      for (let i = active.length; i < desired; i++) this.startRunner(ctx);
    } else if (desired < active.length) {
      const surplus = active.sort((a, b) => a.startedAt - b.startedAt).slice(0, active.length - desired);
      for (const request of surplus) this.drain(request, ctx);
    }
  }

  /**
   * A request whose runner workflow has ended (lost: silent, or gone without its stream closing)
   * no longer brings capacity, so it must not count against the desired runners.
   */
  private forgetLostRunners(ctx: Ctx): void {
    for (const request of [...this.requests.values()]) {
      if (request.runnerId === null) continue;
      if (ctx.world.runners.get(request.runnerId)?.alive) continue;
      ctx.cancelTimer(request.lifespanTimer);
      this.requests.delete(request.startId);
      ctx.note("runner-lost", "Runner lost,<br/>no longer counted", { runnerId: request.runnerId, housekeeping: true });
    }
  }

  private startRunner(ctx: Ctx): void {
    const request: StartRequest = { startId: "", startedAt: ctx.now, runnerId: null, draining: false, lifespanTimer: null, failures: 0, lastRetryAt: null, retryTimer: null };
    this.send(request, ctx);
  }

  /** One attempt of a start: a new `/start` request, living its lifespan from now. */
  private send(request: StartRequest, ctx: Ctx): void {
    const startId = ctx.newId("start");
    const lifespanMs = Math.max(0, (this.pool.requestLifespan - this.pool.drainGracePeriod) * 1000);
    request.startId = startId;
    request.lifespanTimer = ctx.setTimer("lifespan", lifespanMs, startId);
    this.requests.set(startId, request);
    const headers: Record<string, string> = {
      ...this.pool.headers,
      "x-rivet-endpoint": "engine",
      "x-rivet-total-slots": String(this.pool.slotsPerRunner),
      "x-rivet-runner-name": this.pool.name,
      "x-rivet-namespace-name": ctx.config.namespace,
    };
    ctx.send(endpoint(this.pool.name), { type: "StartRequest", startId, url: `${this.pool.url}/start`, headers }, { label: "GET /start" });
  }

  /**
   * A failed `/start` is retried by itself, as the real engine's connection workflow does: after
   * 2 s × 2^n (+ up to 0.5 s, n = its failures before this one, capped), n reset once it has not had
   * to retry for a quiet while. Meanwhile it keeps its place: the pool neither starts another
   * runner in its stead nor stops starting runners for other demand.
   */
  private backOff(request: StartRequest, status: number, reason: string, ctx: Ctx): void {
    ctx.cancelTimer(request.lifespanTimer);
    request.lifespanTimer = null;
    if (request.lastRetryAt !== null && ctx.now - request.lastRetryAt > ctx.config.timing.backoffResetMs) request.failures = 0;
    const delay = backoffMs(request.failures + 1, ctx.config.timing, () => ctx.random());
    request.failures += 1;
    request.lastRetryAt = ctx.now;
    const error = `serverless endpoint failed: ${status} ${reason}`;
    ctx.world.poolErrors.set(this.pool.name, error);
    ctx.note("endpoint-failed", `Endpoint failed (${status}),<br/>retry in ${delay} ms`, { payload: { status, reason, delayMs: delay, failures: request.failures } });
    request.retryTimer = ctx.setTimer("retry", delay, request.startId);
  }

  /** Stop the runner workflow, then evict the socket once the grace period is over. */
  private drain(request: StartRequest, ctx: Ctx): void {
    if (request.draining) return;
    request.draining = true;
    ctx.cancelTimer(request.lifespanTimer);
    request.lifespanTimer = null;
    ctx.cancelTimer(request.retryTimer);
    request.retryTimer = null;
    if (request.runnerId === null) {
      this.requests.delete(request.startId);
      return;
    }
    ctx.send(runnerWorkflow(request.runnerId), { type: "Stop", runnerId: request.runnerId }, { label: "Stop" });
    ctx.setTimer("grace", this.pool.drainGracePeriod * 1000, request.startId);
  }

  private onTimer(name: string, data: unknown, ctx: Ctx): void {
    switch (name) {
      case "lifespan": {
        const request = this.requests.get(data as string);
        if (request) this.drain(request, ctx);
        return;
      }
      case "grace": {
        const request = this.requests.get(data as string);
        if (!request || request.runnerId === null) return;
        this.requests.delete(request.startId);
        ctx.note("after-grace", "After grace", { runnerId: request.runnerId });
        const runner = ctx.world.runners.get(request.runnerId);
        if (runner?.connId) {
          ctx.send({ role: "RunnerWS", id: runner.connId }, { type: "Evict", runnerId: request.runnerId, reason: "ws.eviction" }, { label: "Evict WS" });
        }
        return;
      }
      case "retry": {
        const request = this.requests.get(data as string);
        if (!request || request.draining) return;
        this.requests.delete(request.startId);
        request.retryTimer = null;
        return this.send(request, ctx);
      }
      default:
        return;
    }
  }
}
