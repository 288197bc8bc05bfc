// The serverless endpoint of a pool as the live engine sees it (role ServerlessEndpoint): the
// autoscaler's StartRequest becomes a real `GET {url}/start` whose server-sent-event stream is read
// (base64 ToServerlessServerInit, then pings). A failure, a hang past the start timeout or garbage
// is a StartFailed, which the autoscaler retries with backoff. Draining the runner aborts the stream.
import type { OutboundGuard } from "../auth/outbound";
import type { PoolConfig } from "../engine/config";
import type { Message, MessageOf } from "../engine/messages";
import type { Effect } from "../engine/core/effects";
import type { Delivered, OutsideParticipant, OutsidePort } from "../engine/core/module";
import { endpoint, serverless } from "../engine/core/refs";
import type { ParticipantRef } from "../trace/types";
import type { EngineHost } from "./host";
import type { CauseContext } from "./remote-runner";
import { outboundGet } from "./outbound-request";
import { SseParser, decodeServerlessInit } from "./sse";

interface StartStream {
  startId: string;
  cause: number;
  phase: number | null;
  abort: AbortController;
  runner: ParticipantRef | null;
  runnerId: string | null;
  relationSeq: number | null;
  done: boolean;
  /** Why the engine aborted it (drain, shutdown), if it did. */
  abortedFor: "drain" | "timeout" | "shutdown" | null;
}

export interface ServerlessClientOptions {
  /** The engine URL runners must connect to (sent as x-rivet-endpoint). */
  engineUrl: string;
  /** How long a `/start` may take to deliver the runner's init. */
  startTimeoutMs: number;
  /** The engine's access token, sent as x-rivet-token (the endpoint's runner connects with it). */
  token?: string | null;
  /** Where the request may go (link-local, metadata and private addresses are refused). */
  outbound?: OutboundGuard;
}

export class ServerlessStartClient implements OutsideParticipant {
  readonly ref: ParticipantRef;
  private readonly streams = new Map<string, StartStream>();

  constructor(
    private readonly pool: PoolConfig,
    private readonly host: EngineHost,
    private readonly options: ServerlessClientOptions,
  ) {
    this.ref = endpoint(pool.name);
  }

  receive(input: Delivered, port: OutsidePort): void {
    if (input.msg.type === "StartRequest") this.start(input.msg, input.seq, port);
  }

  /** A runner of this pool connected for the first time: it is the oldest start still waiting for one. */
  claim(runner: ParticipantRef): CauseContext | null {
    const stream = [...this.streams.values()].find((s) => !s.done && s.runner === null);
    if (!stream) return null;
    stream.runner = runner;
    stream.relationSeq = this.host.runtime.relation(this.ref, runner, "SameProcess", "Same process", stream.cause, stream.phase);
    return { cause: stream.relationSeq, phase: stream.phase };
  }

  /** The engine drained or lost the runner of a stream: the stream is aborted. */
  onEffects(effects: readonly Effect[]): void {
    for (const effect of effects) {
      if (effect.kind !== "world" || effect.op.op !== "update-runner") continue;
      const { runnerId, set } = effect.op;
      if (set.draining !== true && set.alive !== false) continue;
      for (const stream of this.streams.values()) {
        if (!stream.done && stream.runnerId === runnerId) this.abort(stream, "drain");
      }
    }
  }

  closeAll(): void {
    for (const stream of this.streams.values()) this.abort(stream, "shutdown");
  }

  private abort(stream: StartStream, why: NonNullable<StartStream["abortedFor"]>): void {
    if (stream.done || stream.abortedFor) return;
    stream.abortedFor = why;
    stream.abort.abort();
  }

  private start(msg: MessageOf<"StartRequest">, seq: number, ctx: OutsidePort): void {
    const stream: StartStream = {
      startId: msg.startId,
      cause: seq,
      phase: ctx.phase,
      abort: new AbortController(),
      runner: null,
      runnerId: null,
      relationSeq: null,
      done: false,
      abortedFor: null,
    };
    this.streams.set(msg.startId, stream);
    // The request itself runs outside the engine step; its outcome comes back as injected messages.
    queueMicrotask(() => void this.run(stream, msg));
  }

  private report(stream: StartStream, msg: Message, label: string): void {
    this.host.driver.input(() => this.host.runtime.inject(this.ref, serverless(this.pool.name), msg, label, { cause: stream.cause, phase: stream.phase }));
  }

  private fail(stream: StartStream, status: number, reason: string): void {
    if (stream.done) return;
    stream.done = true;
    this.streams.delete(stream.startId);
    stream.abort.abort();
    this.report(stream, { type: "StartFailed", startId: stream.startId, status, reason }, `GET /start failed ${status}<br/>(${reason.slice(0, 80)})`);
  }

  private closed(stream: StartStream): void {
    if (stream.done) return;
    stream.done = true;
    this.streams.delete(stream.startId);
    this.report(stream, { type: "StartStreamClosed", startId: stream.startId }, "/start stream closed");
  }

  private async run(stream: StartStream, msg: MessageOf<"StartRequest">): Promise<void> {
    const timer = setTimeout(() => this.abort(stream, "timeout"), this.options.startTimeoutMs);
    timer.unref?.();
    try {
      const headers: Record<string, string> = { accept: "text/event-stream", ...msg.headers, "x-rivet-endpoint": this.options.engineUrl };
      if (this.options.token) headers["x-rivet-token"] = this.options.token;
      const response = await outboundGet(msg.url, headers, stream.abort.signal, this.options.outbound);
      if (response.status < 200 || response.status >= 300) {
        // Redirects are not followed: an endpoint answers /start itself.
        const text = await response.text(200).catch(() => "");
        return this.fail(stream, response.status, `endpoint answered ${response.status}${text ? `: ${text}` : ""}`);
      }
      const type = response.contentType;
      if (!type.includes("text/event-stream")) {
        response.body.destroy();
        return this.fail(stream, 502, `endpoint did not answer with an event stream (content-type ${JSON.stringify(type)})`);
      }
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (event.event === "message" && stream.runnerId === null) {
            const init = decodeServerlessInit(event.data);
            stream.runnerId = init.runnerId;
            clearTimeout(timer);
            this.report(stream, { type: "ToServerlessServerInit", startId: stream.startId, ...init }, `ToServerlessServerInit ${init.runnerId}`);
          } else if (event.event === "ping" && stream.runnerId !== null) {
            this.report(stream, { type: "EndpointPing", startId: stream.startId }, "ping");
          }
        }
      }
      if (stream.runnerId === null) return this.fail(stream, 502, "the event stream ended before the runner's init");
      this.closed(stream);
    } catch (err) {
      if (stream.abortedFor === "timeout" && stream.runnerId === null) {
        return this.fail(stream, 504, `no runner init within ${this.options.startTimeoutMs} ms`);
      }
      if (stream.abortedFor !== null) return this.closed(stream);
      const reason = err instanceof Error ? err.message : String(err);
      this.fail(stream, 502, stream.runnerId === null ? reason : `stream failed: ${reason}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
