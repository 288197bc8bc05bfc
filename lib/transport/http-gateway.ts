// The HTTP gateway: `/gateway/{actorId}[@token]/{path}` (or any path with `x-rivet-target: actor`
// and `x-rivet-actor: {id}`). Each client request is a UserRequest from its own User participant;
// the HTTP response is held until the engine answers that user (UserResponse or UserError).
// WebSockets to actors are accepted at once and tunnelled through the live gateway.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { outside } from "../engine/core/module";
import { GATEWAY } from "../engine/core/refs";
import { decodeBody, encodeBody } from "./frames";
import type { EngineHost } from "./host";
import { HttpError, decodeComponent, invalidUrlBody, readBody, refuseUpgrade, requestTargetError, sendJson, type ApiErrorBody } from "./http-util";
import { UserClient } from "./users";

export const DEFAULT_MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** Headers that describe one hop, not the request, plus the gateway's own routing headers. */
const HOP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length", "proxy-connection", "te", "trailer", "x-rivet-target", "x-rivet-actor", "x-rivet-token"]);
const WS_HANDSHAKE_HEADERS = new Set(["sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions"]);

export interface GatewayTarget {
  actorId: string;
  /** Path and query as the actor sees them. */
  path: string;
  /** Why the request cannot be routed (a malformed URL or escape): it is answered with a 400. */
  error?: ApiErrorBody;
}

/** Where a request goes, or null when it is not for an actor. Never throws: a bad URL is `error`. */
export function gatewayTarget(req: IncomingMessage): GatewayTarget | null {
  const url = req.url ?? "/";
  const target = req.headers["x-rivet-target"];
  const actorHeader = req.headers["x-rivet-actor"];
  const bad = requestTargetError(req)?.body;
  if (target === "actor" && typeof actorHeader === "string" && actorHeader !== "") return { actorId: actorHeader, path: url, ...(bad ? { error: bad } : {}) };
  const match = /^\/gateway\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) return null;
  const path = `${match[2] ?? "/"}${match[3] ?? ""}`;
  // `{actorId}@{token}`: both parts must decode, though only the id routes.
  const [rawId, ...token] = match[1].split("@");
  const actorId = decodeComponent(rawId);
  if (actorId === null || decodeComponent(token.join("@")) === null) {
    return { actorId: actorId ?? "", path, error: invalidUrlBody(`the ${actorId === null ? "actor id" : "token"} in the gateway path has a malformed percent-escape`) };
  }
  return { actorId, path, ...(bad ? { error: bad } : {}) };
}

function forwardedHeaders(req: IncomingMessage, drop: ReadonlySet<string> = new Set()): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_HEADERS.has(name) || drop.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

export class HttpGateway {
  private count = 0;
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has("rivet") ? "rivet" : ([...offered][0] ?? false)),
  });

  constructor(
    private readonly host: EngineHost,
    private readonly maxBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES,
  ) {}

  async handleRequest(req: IncomingMessage, res: ServerResponse, target: GatewayTarget): Promise<void> {
    let body: Buffer;
    try {
      if (target.error) throw new HttpError(400, target.error);
      body = await readBody(req, this.maxBodyBytes);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // As the real engine's guard answers: `{group, code, message}` with the bare code, and the
      // dotted `group.code` in x-rivet-error.
      return sendJson(res, err.status, { group: err.body.group, code: err.body.code, message: err.body.message }, { ...err.headers, "x-rivet-error": `${err.body.group}.${err.body.code}` });
    }
    const { host } = this;
    const number = ++this.count;
    const requestId = `req-${number}`;
    const method = req.method ?? "GET";
    const answer = new Promise<void>((resolve) => {
      const user = new UserClient(`user-${number}`, (msg) => {
        if (msg.type === "UserResponse") {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(msg.headers)) if (!HOP_HEADERS.has(name.toLowerCase())) headers[name] = value;
          const bytes = decodeBody(msg.body, msg.bodyEncoding) ?? new Uint8Array();
          if (!res.headersSent && !res.destroyed) {
            res.writeHead(msg.status, { ...headers, "content-length": bytes.length });
            res.end(bytes);
          }
          resolve();
          return true;
        }
        if (msg.type === "UserError") {
          if (!res.headersSent && !res.destroyed) {
            // The engine's coded errors are dotted (`guard.actor_ready_timeout`); clients (rivetkit)
            // read the bare code from the body and the dotted one from x-rivet-error.
            const dot = msg.code.indexOf(".");
            const body = { group: msg.code.slice(0, dot), code: msg.code.slice(dot + 1), message: msg.message };
            sendJson(res, msg.status, body, { "x-rivet-error": msg.code });
          }
          resolve();
          return true;
        }
        return false;
      });
      // A client gone before its answer leaves nothing to answer: its user is released at once
      // (the engine's answer is still recorded when sent). After an answer this does nothing.
      res.once("close", () => {
        host.runtime.retire(user.ref);
        resolve();
      });
      host.driver.input(() => {
        host.runtime.add(outside(user));
        host.runtime.inject(
          user.ref,
          GATEWAY,
          { type: "UserRequest", requestId, actorId: target.actorId, method, path: target.path, headers: forwardedHeaders(req), ...encodeBody(body.length > 0 ? body : null) },
          `${method} ${target.path}<br/>(request to actor endpoint)`,
        );
      });
    });
    await answer;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: GatewayTarget): void {
    if (target.error) return refuseUpgrade(socket, 400, target.error);
    if (!target.actorId) return refuseUpgrade(socket, 400, { group: "guard", code: "actor_id_required", message: "no actor id in the gateway path" });
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req, target));
  }

  private accept(ws: WebSocket, req: IncomingMessage, target: GatewayTarget): void {
    const { host } = this;
    const number = ++this.count;
    const requestId = `ws-req-${number}`;
    let closed = false;
    const user = new UserClient(`user-${number}`, (msg) => {
      if (msg.type === "UserWebSocketMessage") {
        if (ws.readyState === ws.OPEN) ws.send(msg.binary ? Buffer.from(msg.data, "base64") : msg.data, { binary: msg.binary });
        return false;
      }
      if (msg.type === "UserWebSocketClose") {
        closed = true;
        if (ws.readyState === ws.OPEN) ws.close(closeCode(msg.code), (msg.reason ?? "").slice(0, 120));
        return true;
      }
      return false;
    });
    host.driver.input(() => {
      host.runtime.add(outside(user));
      host.runtime.inject(
        user.ref,
        GATEWAY,
        { type: "UserWebSocketOpen", requestId, actorId: target.actorId, path: target.path, headers: forwardedHeaders(req, WS_HANDSHAKE_HEADERS) },
        `WebSocket ${target.path}<br/>(to actor endpoint)`,
      );
    });
    ws.on("message", (data: RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const payload = isBinary ? bytes.toString("base64") : bytes.toString("utf8");
      host.driver.input(() =>
        host.runtime.inject(user.ref, GATEWAY, { type: "UserWebSocketMessage", requestId, actorId: target.actorId, data: payload, binary: isBinary }, isBinary ? `WebSocket message (${bytes.length} bytes)` : "WebSocket message"),
      );
    });
    ws.on("close", (code: number, reason: Buffer) => {
      if (closed) return;
      closed = true;
      host.driver.input(() => {
        host.runtime.inject(user.ref, GATEWAY, { type: "UserWebSocketClose", requestId, actorId: target.actorId, code, reason: reason.toString() }, `Close ${code}`);
        // The client is gone: nothing the engine still sends can reach it.
        host.runtime.retire(user.ref);
      });
    });
    ws.on("error", () => {
      // Followed by close.
    });
  }

  closeAll(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}

/** Codes a server may send in a close frame (1005, 1006 and 1015 are reserved for reporting). */
function closeCode(code: number | null): number {
  if (code === null || code === 1005 || code === 1006 || code === 1015 || code < 1000 || code > 4999) return 1000;
  return code;
}
