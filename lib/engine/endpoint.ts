// The built-in serverless endpoint (engine.md §5, §7): answers `GET /start` by starting a runner in its
// own process and streaming its init and pings back to the autoscaler.
import type { ParticipantRef } from "../trace/types";
import type { PoolConfig } from "./config";
import { assertNever, type Message } from "./messages";
import { endpoint, serverless, type Ctx, type Input, type Participant } from "./participant";
import { RunnerProcess } from "./runner";
import { RunnerWs } from "./runner-ws";

interface Stream {
  startId: string;
  runner: RunnerProcess;
  runnerId: string | null;
  open: boolean;
}

export interface EndpointFaults {
  /** How many `/start` requests still fail, and how. */
  failuresLeft: number;
  failureStatus: number;
}

export class ServerlessEndpoint implements Participant {
  readonly ref: ParticipantRef;
  private readonly streams = new Map<string, Stream>();
  private runnerCount = 0;

  constructor(
    private readonly pool: PoolConfig,
    readonly faults: EndpointFaults = { failuresLeft: 0, failureStatus: 500 },
    /** Shared across pools so runner process names stay unique in a run. */
    private readonly nextRunnerNumber: () => number = () => ++this.runnerCount,
  ) {
    this.ref = endpoint(pool.name);
  }

  handle(input: Input, ctx: Ctx): void {
    switch (input.kind) {
      case "message":
        return this.onMessage(input.msg, ctx);
      case "timer":
        return this.onTimer(input.name, input.data, ctx);
      case "continue":
        return;
      default:
        return assertNever(input);
    }
  }

  private onMessage(msg: Message, ctx: Ctx): void {
    if (msg.type !== "StartRequest") return;
    if (this.faults.failuresLeft > 0) {
      this.faults.failuresLeft -= 1;
      ctx.send(serverless(this.pool.name), { type: "StartFailed", startId: msg.startId, status: this.faults.failureStatus, reason: "endpoint error" }, { label: `GET /start failed ${this.faults.failureStatus}` });
      return;
    }
    const number = this.nextRunnerNumber();
    const stream: Stream = { startId: msg.startId, runner: null as unknown as RunnerProcess, runnerId: null, open: true };
    const runner = new RunnerProcess(
      {
        processId: `runner-${number}`,
        name: msg.headers["x-rivet-runner-name"] ?? this.pool.name,
        runnerKey: ctx.newId("key"),
        totalSlots: Number(msg.headers["x-rivet-total-slots"] ?? this.pool.slotsPerRunner),
        version: 1,
        onInit: (runnerId, runnerCtx) => {
          // The stream stays silent until the runner got its init; then one message, then pings.
          if (stream.runnerId !== null) return;
          stream.runnerId = runnerId;
          runnerCtx.sendAs(this.ref, serverless(this.pool.name), { type: "ToServerlessServerInit", startId: stream.startId, runnerId, runnerProtocolVersion: 7 }, { label: `ToServerlessServerInit ${runnerId}` });
        },
        onExit: (runnerCtx) => {
          stream.open = false;
          runnerCtx.sendAs(this.ref, serverless(this.pool.name), { type: "StartStreamClosed", startId: stream.startId }, { label: "/start stream closed" });
        },
      },
      (runnerCtx, runnerProcess, connId) => {
        const ws = new RunnerWs(connId, runnerProcess.ref);
        runnerCtx.spawn(ws, "start");
        return ws.ref;
      },
    );
    stream.runner = runner;
    this.streams.set(msg.startId, stream);
    ctx.relation(runner.ref, "SameProcess", "Same process");
    ctx.spawn(runner, "start");
    ctx.setTimer("ping", ctx.config.timing.endpointPingMs, msg.startId);
  }

  private onTimer(name: string, data: unknown, ctx: Ctx): void {
    if (name !== "ping") return;
    const stream = this.streams.get(data as string);
    if (!stream?.open) return;
    ctx.useCause(null);
    if (stream.runnerId !== null) ctx.send(serverless(this.pool.name), { type: "EndpointPing", startId: stream.startId }, { label: "ping" });
    ctx.setTimer("ping", ctx.config.timing.endpointPingMs, stream.startId);
  }
}
