// The runner WebSocket endpoint: `GET /runners/connect?protocol_version=7&namespace=…&runner_key=…`.
// Validates the query, speaks binary BARE frames only, and turns every frame into engine messages
// (recorded on arrival) through a Runner WS participant of the engine; refusals are recorded too.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Effect } from "../engine/core/effects";
import { outside } from "../engine/core/module";
import { runnerWorkflow } from "../engine/core/refs";
import { runnerWsInstance } from "../engine/runner-ws/runner-ws";
import type { RunnerGrant } from "../auth/runner-tokens";
import type { ParticipantRef } from "../trace/types";
import { RUNNER_PROTOCOL_VERSION } from "./frames";
import { isPongFrame, takeFrame } from "./runner-frames";
import type { EngineHost } from "./host";
import { RemoteRunner } from "./remote-runner";
import { RunnerKeyState } from "./runner-state";
import { refuseUpgrade, requestTargetError } from "./http-util";

/** Runners send responses of up to 20 MiB; a frame may carry a little more than its body. */
export const DEFAULT_MAX_FRAME_BYTES = 20 * 1024 * 1024 + 64 * 1024;

/** Events one ToServerEvents frame may carry (runners send a few; a reconnect re-sends its backlog). */
export const DEFAULT_MAX_EVENTS_PER_FRAME = 100_000;

export interface RunnerSocketOptions {
  maxFrameBytes?: number;
  maxEventsPerFrame?: number;
}

export class RunnerConnection {
  readonly rws: ParticipantRef;
  readonly remote: RemoteRunner;
  initSeen = false;
  private closed = false;
  /** Inbound work waiting for a large frame to be taken; null when none is in progress. */
  private backlog: (() => void | Promise<void>)[] | null = null;

  constructor(
    readonly host: EngineHost,
    readonly socket: WebSocket,
    readonly state: RunnerKeyState,
    readonly runnerKey: string,
    number: number,
    /** What the connection's token lets it announce itself as (null: anything). */
    readonly grant: RunnerGrant | null = null,
    readonly maxEventsPerFrame = DEFAULT_MAX_EVENTS_PER_FRAME,
  ) {
    this.rws = { role: "RunnerWS", id: `ws-${number}` };
    this.remote = new RemoteRunner(
      `runner-${number}`,
      {
        send: (frame) => {
          if (socket.readyState === socket.OPEN) socket.send(frame, { binary: true });
        },
        close: (code, reason) => this.closeSocket(code, reason),
      },
      state,
      host.tunnels,
      (actorId) => host.actorStartConfig(actorId),
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** What arrives on the socket (frames, errors, the close), handled in order: at once, unless a large frame is still being taken. */
  receive(work: () => void | Promise<void>): void {
    if (this.backlog) {
      this.backlog.push(work);
      return;
    }
    const pending = work();
    if (!pending) return;
    this.backlog = [];
    void pending.finally(() => this.drainBacklog());
  }

  private async drainBacklog(): Promise<void> {
    while (this.backlog && this.backlog.length > 0) {
      const work = this.backlog.shift()!;
      try {
        await work();
      } catch (err) {
        console.error("[wakeline] runner frame failed:", err);
      }
    }
    this.backlog = null;
  }

  /** Refuses the connection: recorded as a note over its Runner WS, then closed with a code. */
  refuse(code: number, reason: string, detail: string, payload: unknown = null): void {
    if (this.closed) return;
    this.host.driver.input(() => this.host.runtime.note(this.rws, { type: "connection-refused", label: `Close ${code} ${reason}<br/>(${detail})`, payload: { code, reason, detail, ...(payload as object) } }));
    this.closeSocket(code, reason);
  }

  /** Records a refusal that the socket library carries out itself, and marks the socket closed. */
  recordRefusal(code: number, reason: string, detail: string): void {
    if (this.closed) return;
    this.host.driver.input(() => this.host.runtime.note(this.rws, { type: "connection-refused", label: `Close ${code} ${reason}<br/>(${detail})`, payload: { code, reason, detail } }));
    this.closeSocket(code, reason);
  }

  /** Closes the socket and tells the engine the transport is gone. */
  closeSocket(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason);
    this.host.driver.input(() => {
      if (this.host.runtime.isOpen(this.rws)) this.host.runtime.command(this.rws, { command: "transport-closed" });
    });
  }

  /** The peer closed (or the socket failed). */
  onPeerClosed(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.host.driver.input(() => {
      this.host.runtime.note(this.rws, {
        type: "connection-closed",
        label: `Runner closed the connection<br/>(${code}${reason ? ` ${reason}` : ""})`,
        housekeeping: code === 1000 || code === 1001,
        payload: { code, reason },
      });
      if (this.host.runtime.isOpen(this.rws)) this.host.runtime.command(this.rws, { command: "transport-closed" });
    });
  }

  /** The engine's end closed itself (missing init, no pong): the socket follows. */
  engineClosed(): void {
    if (this.closed) return;
    this.closed = true;
    const reason = this.initSeen ? "ws.ping_timeout" : "ws.init_timeout";
    this.host.runtime.note(this.rws, { type: "connection-timeout", label: `Close 1008 ${reason}`, payload: { code: 1008, reason } });
    this.socket.close(1008, reason);
  }
}

/** A runner whose connection is over, remembered until it is gone for good. */
interface DepartedRunner {
  runnerId: string | null;
  runnerKey: string;
}

export class RunnerSocketServer {
  private readonly wss: WebSocketServer;
  private readonly keys = new Map<string, RunnerKeyState>();
  private readonly connections = new Set<RunnerConnection>();
  /** Connections by their Runner WS id, for the effects that name it. */
  private readonly byRws = new Map<string, RunnerConnection>();
  private departed: DepartedRunner[] = [];
  private count = 0;

  private readonly maxEventsPerFrame: number;

  constructor(
    private readonly host: EngineHost,
    options: RunnerSocketOptions = {},
  ) {
    this.maxEventsPerFrame = options.maxEventsPerFrame ?? DEFAULT_MAX_EVENTS_PER_FRAME;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      handleProtocols: (offered) => (offered.has("rivet") ? "rivet" : false),
    });
    host.runtime.observe((effects) => this.onEffects(effects));
  }

  /** A connection whose engine end closed is over; its socket closes too if still open. */
  private onEffects(effects: readonly Effect[]): void {
    for (const effect of effects) {
      if (effect.kind !== "close" || effect.self.role !== "RunnerWS") continue;
      const connection = this.byRws.get(effect.self.id);
      if (!connection) continue;
      connection.engineClosed();
      this.release(connection);
    }
    if (this.departed.length > 0) this.forgetGoneRunners();
  }

  /** Both ends of a connection are closed: its runner participant goes (its Runner WS went when it closed). */
  private release(connection: RunnerConnection): void {
    this.connections.delete(connection);
    this.byRws.delete(connection.rws.id);
    this.host.runtime.retire(connection.remote.ref);
    this.departed.push({ runnerId: connection.remote.runnerId, runnerKey: connection.runnerKey });
  }

  /**
   * A runner whose workflow ended and that no actor is placed on any more is gone for good: its
   * workflow, its record and what was kept for its runner key (when no connection uses that key)
   * are forgotten. Until then (it may reconnect within the lost threshold, its actors are being
   * told) it is kept. The live engine has no hop latency, so after a step nothing is in transit
   * to its workflow; a runner that reconnects with the same key later is a new runner either way.
   */
  private forgetGoneRunners(): void {
    const { view: world, config } = this.host.runtime;
    let placed: Set<string | null> | null = null;
    const waiting: DepartedRunner[] = [];
    const settled: DepartedRunner[] = [];
    for (const departed of this.departed) {
      const record = departed.runnerId === null ? undefined : world.runner(departed.runnerId);
      if (record?.alive && record.connId === null) {
        waiting.push(departed);
        continue;
      }
      if (record && !record.alive) {
        placed ??= new Set([...world.actors()].map((actor) => actor.runnerId));
        if (placed.has(record.runnerId)) {
          waiting.push(departed);
          continue;
        }
        this.host.runtime.retire(runnerWorkflow(record.runnerId));
        this.host.runtime.applyWorld([{ op: "remove-runner", runnerId: record.runnerId, key: `${config.namespace}/${record.name}/${record.runnerKey}` }]);
      }
      // Gone, never initialised, or reconnected (its new connection reports it when it closes).
      settled.push(departed);
    }
    this.departed = waiting;
    for (const { runnerKey } of settled) {
      const used = waiting.some((d) => d.runnerKey === runnerKey) || [...this.connections].some((c) => c.runnerKey === runnerKey);
      if (used) continue;
      const state = this.keys.get(runnerKey);
      if (state) this.host.tunnels.dropRunner(state);
      this.keys.delete(runnerKey);
    }
  }

  /** `grant`: the runner name (and versions) the connection's token allows; null for any. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, grant: RunnerGrant | null = null): void {
    const bad = requestTargetError(req);
    if (bad) return refuseUpgrade(socket, bad.status, bad.body);
    const url = new URL(req.url ?? "/", "http://engine");
    const version = url.searchParams.get("protocol_version");
    const namespace = url.searchParams.get("namespace");
    const runnerKey = url.searchParams.get("runner_key");
    const refusal =
      version !== String(RUNNER_PROTOCOL_VERSION)
        ? { status: 400, code: "unsupported_protocol_version", message: `protocol_version must be ${RUNNER_PROTOCOL_VERSION}, got ${JSON.stringify(version)}` }
        : !namespace
          ? { status: 400, code: "namespace_required", message: "the namespace query parameter is required" }
          : namespace !== this.host.namespace
            ? { status: 404, code: "namespace_not_found", message: `no namespace named ${JSON.stringify(namespace)}` }
            : !runnerKey
              ? { status: 400, code: "runner_key_required", message: "the runner_key query parameter is required" }
              : null;
    if (refusal) {
      this.host.driver.input(() =>
        this.host.runtime.note({ role: "RunnerWS", id: "refused" }, {
          type: "connection-refused",
          label: `Refused runner connection<br/>(${refusal.code})`,
          payload: { ...refusal, url: req.url ?? "" },
        }),
      );
      refuseUpgrade(socket, refusal.status, { group: "runner", code: refusal.code, message: refusal.message });
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, runnerKey!, grant));
  }

  private accept(ws: WebSocket, runnerKey: string, grant: RunnerGrant | null): void {
    let state = this.keys.get(runnerKey);
    if (!state) {
      state = new RunnerKeyState();
      this.keys.set(runnerKey, state);
    }
    const connection = new RunnerConnection(this.host, ws, state, runnerKey, ++this.count, grant, this.maxEventsPerFrame);
    this.connections.add(connection);
    this.byRws.set(connection.rws.id, connection);
    this.host.driver.input(() => {
      this.host.runtime.add(outside(connection.remote));
      this.host.runtime.add(runnerWsInstance(connection.rws.id, connection.remote.ref), { command: "start" });
    });
    // In arrival order: a large frame taken in slices holds back what came after it, but pongs.
    ws.on("message", (data: RawData, isBinary: boolean) => {
      const bytes = toBytes(data);
      const work = () => {
        if (connection.isClosed) return;
        if (!isBinary) return connection.refuse(1003, "ws.text_frame_unsupported", "runner frames must be binary");
        return takeFrame(connection, bytes);
      };
      if (isBinary && isPongFrame(bytes)) work();
      else connection.receive(work);
    });
    ws.on("error", (err: Error & { code?: string }) => {
      // ws refuses an oversize frame itself (close 1009); record the refusal as what it was.
      if (err.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") connection.receive(() => connection.recordRefusal(1009, "ws.message_too_big", err.message));
    });
    ws.on("close", (code: number, reason: Buffer) => connection.receive(() => connection.onPeerClosed(code, reason.toString())));
  }

  /** Closes every runner socket (server shutdown). */
  closeAll(): void {
    for (const connection of this.connections) connection.socket.terminate();
    this.connections.clear();
    this.wss.close();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
