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
}

export class Serverless implements Participant {
  readonly ref: ParticipantRef;
  private readonly requests = new Map<string, StartRequest>();
  private failures = 0;
  private retryTimer: number | null = null;

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
        this.failures = 0;
        ctx.world.poolErrors.set(this.pool.name, null);
        return;
      }
      case "StartFailed": {
        const request = this.requests.get(msg.startId);
        if (!request) return;
        ctx.cancelTimer(request.lifespanTimer);
        this.requests.delete(msg.startId);
        this.failures += 1;
        const error = `serverless endpoint failed: ${msg.status} ${msg.reason}`;
        ctx.world.poolErrors.set(this.pool.name, error);
        const delay = backoffMs(this.failures, ctx.config.timing, () => ctx.random());
        ctx.note("endpoint-failed", `Endpoint failed (${msg.status}),<br/>retry in ${delay} ms`, { payload: { status: msg.status, reason: msg.reason, delayMs: delay, failures: this.failures } });
        ctx.cancelTimer(this.retryTimer);
        this.retryTimer = ctx.setTimer("retry", delay);
        return;
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

  /** On every bump: start `/start` requests up to the desired count, drain the surplus, newest first. */
  private reconcile(ctx: Ctx): void {
    if (this.retryTimer !== null) return; // backing off after a failure: the retry will reconcile
    const slots = ctx.world.desiredSlots.get(this.pool.name) ?? 0;
    const desired = desiredRunners(this.pool, slots);
    const active = [...this.requests.values()].filter((r) => !r.draining);
    if (desired > active.length) {
      ctx.note("desired", `Desired: ${desired}`, { payload: { desiredSlots: slots, desiredRunners: desired, active: active.length } });
      for (let i = active.length; i < desired; i++) this.startRunner(ctx);
    } else if (desired < active.length) {
      const surplus = active.sort((a, b) => b.startedAt - a.startedAt).slice(0, active.length - desired);
      for (const request of surplus) this.drain(request, ctx);
    }
  }

  private startRunner(ctx: Ctx): void {
    const startId = ctx.newId("start");
    const lifespanMs = Math.max(0, (this.pool.requestLifespan - this.pool.drainGracePeriod) * 1000);
    const request: StartRequest = { startId, startedAt: ctx.now, runnerId: null, draining: false, lifespanTimer: null };
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

  /** Stop the runner workflow, then evict the socket once the grace period is over. */
  private drain(request: StartRequest, ctx: Ctx): void {
    if (request.draining) return;
    request.draining = true;
    ctx.cancelTimer(request.lifespanTimer);
    request.lifespanTimer = null;
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
      case "retry":
        this.retryTimer = null;
        return this.reconcile(ctx);
      default:
        return;
    }
  }
}
