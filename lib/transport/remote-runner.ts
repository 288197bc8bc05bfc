// A real runner on the other end of a WebSocket, as a participant of the engine (role Runner).
// The engine's messages to it are written as runner protocol v7 frames: commands with per-actor
// checkpoints, acks, pings, KV answers and tunnel messages. It also remembers what each frame
// answered, so the runner's replies are recorded with their causes.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { codec } from "./codec";
import type { MessageOf } from "../engine/messages";
import type { Delivered, OutsideParticipant, OutsidePort } from "../engine/core/module";
import type { WorldView } from "../engine/core/world-draft";
import type { ParticipantRef } from "../trace/types";
import { decodeBody, recordToHeaders, toArrayBuffer } from "./frames";
import type { RunnerKeyState, SentCommand } from "./runner-state";
import type { TunnelRegistry } from "./tunnels";

export interface FrameSink {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface ActorStartConfig {
  name: string;
  key: string | null;
  /** Epoch milliseconds. */
  createTs: number;
  /** Base64 input bytes. */
  input: string | null;
}

export interface CauseContext {
  cause: number | null;
  phase: number | null;
}

export class RemoteRunner implements OutsideParticipant {
  readonly ref: ParticipantRef;
  runnerId: string | null = null;
  /** Answers the KV store produced, waiting for the engine to send them (by the runner's request id). */
  readonly kvAnswers = new Map<number, protocol.KvResponseData>();
  private readonly commandCauses = new Map<string, CauseContext>();
  private lastPing: CauseContext = { cause: null, phase: null };

  constructor(
    processId: string,
    private readonly sink: FrameSink,
    private readonly state: RunnerKeyState,
    private readonly tunnels: TunnelRegistry,
    private readonly actorConfig: (actorId: string) => ActorStartConfig | null,
  ) {
    this.ref = { role: "Runner", id: processId };
  }

  /** What a runner event answers: the last command sent for that actor generation. */
  causeOfEvent(actorId: string, generation: number): CauseContext {
    return this.commandCauses.get(`${actorId}/${generation}`) ?? { cause: null, phase: null };
  }

  /** An actor generation stopped: none of its later events (there are none) answers a command. */
  forgetGeneration(actorId: string, generation: number): void {
    this.commandCauses.delete(`${actorId}/${generation}`);
  }

  get pingCause(): CauseContext {
    return this.lastPing;
  }

  receive(input: Delivered, ctx: OutsidePort): void {
    const msg = input.msg;
    const here: CauseContext = { cause: input.seq, phase: ctx.phase };
    switch (msg.type) {
      case "ToClientInit":
        this.runnerId = msg.runnerId;
        this.write({
          tag: "ToClientInit",
          val: {
            runnerId: msg.runnerId,
            metadata: {
              runnerLostThreshold: BigInt(msg.runnerLostThreshold),
              actorStopThreshold: BigInt(msg.actorStopThreshold),
              serverlessDrainGracePeriod: msg.serverlessDrainGracePeriod === null ? null : BigInt(msg.serverlessDrainGracePeriod),
            },
          },
        });
        if (this.state.connections > 1) this.resendCommands(ctx);
        return;
      case "CommandStartActor":
      case "CommandStopActor":
        return this.command(msg, here, ctx);
      case "ToClientAckEvents":
        this.write({
          tag: "ToClientAckEvents",
          val: { lastEventCheckpoints: msg.lastEventCheckpoints.map((c) => ({ actorId: c.actorId, generation: c.generation, index: BigInt(c.index) })) },
        });
        return;
      case "ToClientPing":
        this.lastPing = here;
        this.write({ tag: "ToClientPing", val: { ts: BigInt(Math.floor(msg.ts)) } });
        return;
      case "ToClientKvResponse": {
        const data = this.kvAnswers.get(msg.requestId) ?? { tag: "KvErrorResponse" as const, val: { message: "no answer" } };
        this.kvAnswers.delete(msg.requestId);
        this.write({ tag: "ToClientKvResponse", val: { requestId: msg.requestId, data } });
        return;
      }
      case "ToClientRequestStart":
        return this.requestStart(msg, here, ctx);
      case "ToClientRequestAbort": {
        const entry = this.tunnels.forRequest(msg.requestId);
        if (!entry) return;
        this.tunnel(entry.requestId, this.tunnels.takeIndex(entry), { tag: "ToClientRequestAbort", val: null });
        this.tunnels.close(entry);
        return;
      }
      case "ToClientWebSocketOpen": {
        const entry = this.tunnels.open(msg.requestId, msg.actorId, "ws", this.state, input.seq, ctx.phase);
        this.tunnel(entry.requestId, this.tunnels.takeIndex(entry), {
          tag: "ToClientWebSocketOpen",
          val: { actorId: msg.actorId, path: msg.path, headers: recordToHeaders(msg.headers) },
        });
        return;
      }
      case "ToClientWebSocketMessage": {
        const entry = this.tunnels.forRequest(msg.requestId);
        if (!entry) return;
        const data = decodeBody(msg.data, msg.binary ? "base64" : undefined) ?? new Uint8Array();
        this.tunnel(entry.requestId, this.tunnels.takeIndex(entry), { tag: "ToClientWebSocketMessage", val: { data: toArrayBuffer(data), binary: msg.binary } });
        return;
      }
      case "ToClientWebSocketClose": {
        const entry = this.tunnels.forRequest(msg.requestId);
        if (!entry) return;
        this.tunnel(entry.requestId, this.tunnels.takeIndex(entry), { tag: "ToClientWebSocketClose", val: { code: msg.code, reason: msg.reason } });
        this.tunnels.close(entry);
        return;
      }
      case "Evict":
        // The runner shuts down without reconnecting when it sees this reason.
        this.sink.close(1000, "ws.eviction");
        return;
      default:
        return;
    }
  }

  private command(msg: MessageOf<"CommandStartActor" | "CommandStopActor">, here: CauseContext, ctx: OutsidePort): void {
    // The index is the one the actor workflow gave the command (and the recording shows).
    const { actorId, generation, index } = msg.checkpoint;
    this.state.commandSent(actorId, generation);
    const checkpoint = { actorId, generation, index: BigInt(index) };
    let inner: protocol.Command;
    if (msg.type === "CommandStartActor") {
      ctx.note({ type: "start-actor", label: "Start actor", actorId, runnerId: msg.runnerId });
      const config = this.actorConfig(actorId) ?? { ...msg.config, createTs: msg.config.createTs };
      const input = config.input === null ? null : toArrayBuffer(new Uint8Array(Buffer.from(config.input, "base64")));
      const hibernatingRequests = this.takeHibernating(msg.hibernatingRequests ?? []);
      inner = { tag: "CommandStartActor", val: { config: { name: config.name, key: config.key, createTs: BigInt(Math.round(config.createTs)), input }, hibernatingRequests } };
    } else {
      ctx.note({ type: "stop-actor", label: "Stop actor", actorId, runnerId: msg.runnerId });
      inner = { tag: "CommandStopActor", val: null };
    }
    const wrapper: protocol.CommandWrapper = { checkpoint, inner };
    this.commandCauses.set(`${actorId}/${generation}`, here);
    this.state.sent({ actorId, generation, index, kind: msg.type === "CommandStartActor" ? "start" : "stop", wrapper });
    this.write({ tag: "ToClientCommands", val: [wrapper] });
  }

  /**
   * The actor's hibernating WebSockets, as the protocol names them (gateway id + request id). They
   * now belong to this runner: it restores them, and only its frames may answer them.
   */
  private takeHibernating(engineRequestIds: string[]): protocol.HibernatingRequest[] {
    const listed: protocol.HibernatingRequest[] = [];
    for (const engineRequestId of engineRequestIds) {
      const entry = this.tunnels.forRequest(engineRequestId);
      if (!entry?.canHibernate) continue;
      entry.runner = this.state;
      listed.push({ gatewayId: this.tunnels.gatewayId, requestId: entry.requestId });
    }
    return listed;
  }

  private requestStart(msg: MessageOf<"ToClientRequestStart">, here: CauseContext, ctx: OutsidePort): void {
    ctx.note({ type: "handle-request", label: `Handle request<br/>${msg.method} ${msg.path}`, actorId: msg.actorId, runnerId: this.runnerId, payload: { method: msg.method, path: msg.path } });
    const entry = this.tunnels.open(msg.requestId, msg.actorId, "http", this.state, here.cause ?? 0, here.phase);
    const body = decodeBody(msg.body, msg.bodyEncoding);
    this.tunnel(entry.requestId, this.tunnels.takeIndex(entry), {
      tag: "ToClientRequestStart",
      val: { actorId: msg.actorId, method: msg.method, path: msg.path, headers: recordToHeaders(msg.headers), body: body === null ? null : toArrayBuffer(body), stream: false },
    });
  }

  /** After a reconnect: commands written to the old socket and never acknowledged, still wanted. */
  private resendCommands(ctx: OutsidePort): void {
    const runnerId = this.runnerId;
    const wanted = this.state.pending().filter((command) => runnerId !== null && stillWanted(command, ctx.world, runnerId, this.state));
    this.state.forget(this.state.pending().filter((command) => !wanted.includes(command)));
    if (wanted.length === 0) return;
    ctx.note({
      type: "resend-commands",
      label: `Re-send ${wanted.length} unacknowledged<br/>command(s)`,
      housekeeping: true,
      runnerId,
      payload: { commands: wanted.map((c) => ({ actorId: c.actorId, generation: c.generation, index: c.index, kind: c.kind })) },
    });
    this.write({ tag: "ToClientCommands", val: wanted.map((c) => c.wrapper) });
  }

  private tunnel(requestId: ArrayBuffer, messageIndex: number, messageKind: protocol.ToClientTunnelMessageKind): void {
    this.write({ tag: "ToClientTunnelMessage", val: { messageId: { gatewayId: this.tunnels.gatewayId, requestId, messageIndex }, messageKind } });
  }

  private write(frame: protocol.ToClient): void {
    this.sink.send(codec().encodeToClient(frame));
  }
}

/** A command is worth re-sending only while the engine still waits for what it asks. */
function stillWanted(command: SentCommand, world: WorldView, runnerId: string, state: RunnerKeyState): boolean {
  const actor = world.actor(command.actorId);
  if (!actor || actor.runnerId !== runnerId || actor.generation !== command.generation) return false;
  if (command.kind === "start") return actor.state === "Starting" && !state.hasEvents(command.actorId, command.generation);
  return actor.state === "SleepIntent" || actor.state === "StopIntent" || actor.state === "GoingAway";
}

