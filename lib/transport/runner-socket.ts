// The runner WebSocket endpoint: `GET /runners/connect?protocol_version=7&namespace=…&runner_key=…`.
// Validates the query, speaks binary BARE frames only, and turns every frame into engine messages
// (recorded on arrival) through a Runner WS participant of the engine; refusals are recorded too.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { codec } from "./codec";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { RunnerWs } from "../engine/runner-ws";
import type { ParticipantRef } from "../trace/types";
import { RUNNER_PROTOCOL_VERSION, framePreview } from "./frames";
import { handleFrame } from "./runner-frames";
import type { EngineHost } from "./host";
import { RemoteRunner } from "./remote-runner";
import { RunnerKeyState } from "./runner-state";
import { refuseUpgrade } from "./http-util";

/** Runners send responses of up to 20 MiB; a frame may carry a little more than its body. */
export const DEFAULT_MAX_FRAME_BYTES = 20 * 1024 * 1024 + 64 * 1024;

export interface RunnerSocketOptions {
  maxFrameBytes?: number;
}

export class RunnerConnection {
  readonly rws: ParticipantRef;
  readonly remote: RemoteRunner;
  initSeen = false;
  private closed = false;

  constructor(
    readonly host: EngineHost,
    readonly socket: WebSocket,
    readonly state: RunnerKeyState,
    readonly runnerKey: string,
    number: number,
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

  /** Refuses the connection: recorded as a note over its Runner WS, then closed with a code. */
  refuse(code: number, reason: string, detail: string, payload: unknown = null): void {
    if (this.closed) return;
    this.host.driver.input(() => this.host.runtime.note(this.rws, "connection-refused", `Close ${code} ${reason}<br/>(${detail})`, { payload: { code, reason, detail, ...(payload as object) } }));
    this.closeSocket(code, reason);
  }

  /** Records a refusal that the socket library carries out itself, and marks the socket closed. */
  recordRefusal(code: number, reason: string, detail: string): void {
    if (this.closed) return;
    this.host.driver.input(() => this.host.runtime.note(this.rws, "connection-refused", `Close ${code} ${reason}<br/>(${detail})`, { payload: { code, reason, detail } }));
    this.closeSocket(code, reason);
  }

  /** Closes the socket and tells the engine the transport is gone. */
  closeSocket(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason);
    this.host.driver.input(() => {
      if (this.host.runtime.isOpen(this.rws)) this.host.runtime.command(this.rws, "transport-closed", null);
    });
  }

  /** The peer closed (or the socket failed). */
  onPeerClosed(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.host.driver.input(() => {
      this.host.runtime.note(this.rws, "connection-closed", `Runner closed the connection<br/>(${code}${reason ? ` ${reason}` : ""})`, {
        housekeeping: code === 1000 || code === 1001,
        payload: { code, reason },
      });
      if (this.host.runtime.isOpen(this.rws)) this.host.runtime.command(this.rws, "transport-closed", null);
    });
  }

  /** After every engine step: the engine's end may have closed itself (missing init, no pong). */
  afterStep(): void {
    if (this.closed || this.host.runtime.isOpen(this.rws)) return;
    this.closed = true;
    const reason = this.initSeen ? "ws.ping_timeout" : "ws.init_timeout";
    this.host.runtime.note(this.rws, "connection-timeout", `Close 1008 ${reason}`, { payload: { code: 1008, reason } });
    this.socket.close(1008, reason);
  }
}

export class RunnerSocketServer {
  private readonly wss: WebSocketServer;
  private readonly keys = new Map<string, RunnerKeyState>();
  private readonly connections = new Set<RunnerConnection>();
  private count = 0;

  constructor(
    private readonly host: EngineHost,
    options: RunnerSocketOptions = {},
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      handleProtocols: (offered) => (offered.has("rivet") ? "rivet" : false),
    });
    host.driver.onAfterStep(() => {
      for (const connection of this.connections) {
        connection.afterStep();
        if (connection.isClosed) this.connections.delete(connection);
      }
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
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
        this.host.runtime.note({ role: "RunnerWS", id: "refused" }, "connection-refused", `Refused runner connection<br/>(${refusal.code})`, {
          payload: { ...refusal, url: req.url ?? "" },
        }),
      );
      refuseUpgrade(socket, refusal.status, { group: "runner", code: refusal.code, message: refusal.message });
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, runnerKey!));
  }

  private accept(ws: WebSocket, runnerKey: string): void {
    let state = this.keys.get(runnerKey);
    if (!state) {
      state = new RunnerKeyState();
      this.keys.set(runnerKey, state);
    }
    const connection = new RunnerConnection(this.host, ws, state, runnerKey, ++this.count);
    this.connections.add(connection);
    this.host.driver.input(() => {
      this.host.runtime.add(connection.remote);
      this.host.runtime.add(new RunnerWs(connection.rws.id, connection.remote.ref), "start");
    });
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (connection.isClosed) return;
      if (!isBinary) return connection.refuse(1003, "ws.text_frame_unsupported", "runner frames must be binary");
      const bytes = toBytes(data);
      let frame: protocol.ToServer;
      try {
        frame = codec().decodeToServer(bytes);
      } catch (err) {
        return connection.refuse(1007, "ws.invalid_frame", `cannot decode ${bytes.length} bytes: ${err instanceof Error ? err.message : String(err)}`, {
          bytes: bytes.length,
          preview: framePreview(bytes),
        });
      }
      try {
        handleFrame(connection, frame);
      } catch (err) {
        connection.refuse(1011, "ws.internal_error", err instanceof Error ? err.message : String(err));
      }
    });
    ws.on("error", (err: Error & { code?: string }) => {
      // ws refuses an oversize frame itself (close 1009); record the refusal as what it was.
      if (err.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") connection.recordRefusal(1009, "ws.message_too_big", err.message);
    });
    ws.on("close", (code: number, reason: Buffer) => connection.onPeerClosed(code, reason.toString()));
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
