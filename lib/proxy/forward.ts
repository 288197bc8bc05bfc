// Forwarding without changing what passes: HTTP requests and responses are streamed through
// (headers as sent, minus the hop-by-hop ones a proxy must not pass on), WebSocket upgrades are
// handed to the upstream as raw bytes and the two sockets are then spliced. Taps only read copies.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";

/** RFC 9110 §7.6.1: meaningful for one connection only. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);

export interface Upstream {
  url: URL;
  agent: http.Agent;
}

export function upstreamFor(target: string): Upstream {
  const url = new URL(target);
  const Agent = url.protocol === "https:" ? https.Agent : http.Agent;
  return { url, agent: new Agent({ keepAlive: true, maxSockets: 256 }) };
}

/** Raw header pairs without hop-by-hop headers (and those the Connection header names). */
export function forwardableHeaders(raw: readonly string[], drop: readonly string[] = []): string[] {
  const named = new Set<string>(drop.map((h) => h.toLowerCase()));
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() === "connection") for (const token of raw[i + 1].split(",")) named.add(token.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    out.push(raw[i], raw[i + 1]);
  }
  return out;
}

export function setHeader(raw: string[], name: string, value: string | null): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() !== name.toLowerCase()) out.push(raw[i], raw[i + 1]);
  if (value !== null) out.push(name, value);
  return out;
}

export function rawToRecord(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    out[name] = out[name] === undefined ? raw[i + 1] : `${out[name]}, ${raw[i + 1]}`;
  }
  return out;
}

export interface ForwardTaps {
  /** The request as it goes out (after any rewrite); body bytes come through onRequestData. */
  onRequestData?(chunk: Buffer): void;
  onRequestEnd?(): void;
  onResponse?(response: IncomingMessage): void;
  onResponseData?(chunk: Buffer): void;
  onResponseEnd?(aborted: boolean): void;
  onError?(err: Error): void;
}

export interface ForwardOptions {
  upstream: Upstream;
  /** Path (with query) on the upstream; default: the request's. */
  path?: string;
  headers?: string[];
  /** A replacement body (the request's body is then read and dropped). */
  body?: Buffer;
  /** Rewrites a buffered response body (only for small JSON answers). */
  rewriteResponse?: (body: Buffer, response: IncomingMessage) => Buffer;
  taps?: ForwardTaps;
}

/** Streams one request to the upstream and its answer back. */
export function forwardHttp(req: IncomingMessage, res: ServerResponse, options: ForwardOptions): void {
  const { upstream, taps = {} } = options;
  const base = upstream.url;
  const basePath = base.pathname.replace(/\/$/, "");
  const path = `${basePath}${options.path ?? req.url ?? "/"}`;
  let headers = options.headers ?? forwardableHeaders(req.rawHeaders);
  if (options.body) headers = setHeader(headers, "content-length", String(options.body.length));
  const client = base.protocol === "https:" ? https : http;
  const outgoing = client.request({
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port || (base.protocol === "https:" ? 443 : 80),
    method: req.method,
    path,
    headers: headers as unknown as http.OutgoingHttpHeaders,
    agent: upstream.agent,
    setHost: false,
  });
  outgoing.setNoDelay?.(true);
  let finished = false;
  const fail = (err: Error) => {
    if (finished) return;
    finished = true;
    taps.onError?.(err);
    if (!res.headersSent) {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ group: "wakeline", code: "upstream_unreachable", message: `the recording proxy could not reach ${base.origin}: ${err.message}` }));
    } else res.destroy(err);
  };
  outgoing.on("error", fail);
  outgoing.on("response", (response) => {
    taps.onResponse?.(response);
    const responseHeaders = forwardableHeaders(response.rawHeaders);
    if (options.rewriteResponse) {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const body = options.rewriteResponse!(Buffer.concat(chunks), response);
        taps.onResponseData?.(body);
        res.writeHead(response.statusCode ?? 502, response.statusMessage, setHeader(responseHeaders, "content-length", String(body.length)));
        res.end(body);
        finished = true;
        taps.onResponseEnd?.(false);
      });
      response.on("error", fail);
      return;
    }
    res.writeHead(response.statusCode ?? 502, response.statusMessage, responseHeaders);
    // Server-sent events and other streams must reach the client chunk by chunk.
    res.flushHeaders();
    response.on("data", (chunk: Buffer) => {
      res.write(chunk);
      taps.onResponseData?.(chunk);
    });
    response.on("end", () => {
      finished = true;
      res.end();
      taps.onResponseEnd?.(false);
    });
    response.on("aborted", () => {
      if (finished) return;
      finished = true;
      res.destroy();
      taps.onResponseEnd?.(true);
    });
    response.on("error", () => {
      if (finished) return;
      finished = true;
      res.destroy();
      taps.onResponseEnd?.(true);
    });
  });
  // The client went away: stop the upstream request too (an SSE stream the engine aborts, …).
  res.on("close", () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  if (options.body) {
    req.resume();
    taps.onRequestData?.(options.body);
    outgoing.end(options.body);
    taps.onRequestEnd?.();
    return;
  }
  req.on("data", (chunk: Buffer) => {
    taps.onRequestData?.(chunk);
    if (!outgoing.write(chunk)) {
      req.pause();
      outgoing.once("drain", () => req.resume());
    }
  });
  req.on("end", () => {
    outgoing.end();
    taps.onRequestEnd?.();
  });
  req.on("aborted", () => outgoing.destroy());
}

/** Reads a whole (small) request body. */
export function readBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export interface UpgradeTaps {
  /** The upstream's answer to the upgrade (101, or an error status). */
  onResponse?(status: number, headers: Record<string, string>): void;
  /** Bytes from the client to the upstream, and back. */
  onClientData?(chunk: Buffer): void;
  onUpstreamData?(chunk: Buffer): void;
  onClose?(): void;
  onError?(err: Error): void;
}

/**
 * Forwards a WebSocket upgrade: the request goes out with its headers as sent (subprotocols,
 * keys, extensions), the upstream's 101 goes back byte for byte, then the two sockets are spliced.
 */
export function forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, upstream: Upstream, taps: UpgradeTaps = {}, headers: readonly string[] = req.rawHeaders): void {
  const base = upstream.url;
  const client = base.protocol === "https:" ? https : http;
  const basePath = base.pathname.replace(/\/$/, "");
  const outgoing = client.request({
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port || (base.protocol === "https:" ? 443 : 80),
    method: req.method,
    path: `${basePath}${req.url ?? "/"}`,
    headers: headers as unknown as http.OutgoingHttpHeaders,
    setHost: false,
    agent: false,
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    taps.onClose?.();
  };
  socket.on("error", () => socket.destroy());
  outgoing.on("error", (err) => {
    taps.onError?.(err);
    if (!socket.destroyed) socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n" + JSON.stringify({ group: "wakeline", code: "upstream_unreachable", message: err.message }));
    close();
  });
  outgoing.on("response", (response) => {
    // The upstream refused the upgrade: pass its answer on as it is.
    taps.onResponse?.(response.statusCode ?? 502, rawToRecord(response.rawHeaders));
    socket.write(statusLine(response) + headerLines(response.rawHeaders) + "\r\n");
    response.on("data", (chunk: Buffer) => socket.write(chunk));
    response.on("end", () => {
      socket.end();
      close();
    });
  });
  outgoing.on("upgrade", (response, upSocket: Duplex, upHead: Buffer) => {
    taps.onResponse?.(response.statusCode ?? 101, rawToRecord(response.rawHeaders));
    (upSocket as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
    (socket as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
    socket.write(statusLine(response) + headerLines(response.rawHeaders) + "\r\n");
    if (upHead.length > 0) {
      socket.write(upHead);
      taps.onUpstreamData?.(upHead);
    }
    if (head.length > 0) {
      upSocket.write(head);
      taps.onClientData?.(head);
    }
    upSocket.on("data", (chunk: Buffer) => {
      if (!socket.write(chunk)) {
        upSocket.pause();
        socket.once("drain", () => upSocket.resume());
      }
      taps.onUpstreamData?.(chunk);
    });
    socket.on("data", (chunk: Buffer) => {
      if (!upSocket.write(chunk)) {
        socket.pause();
        upSocket.once("drain", () => socket.resume());
      }
      taps.onClientData?.(chunk);
    });
    upSocket.on("end", () => socket.end());
    socket.on("end", () => upSocket.end());
    upSocket.on("close", () => {
      socket.destroy();
      close();
    });
    socket.on("close", () => {
      upSocket.destroy();
      close();
    });
    upSocket.on("error", () => upSocket.destroy());
  });
  outgoing.end();
}

function statusLine(response: IncomingMessage): string {
  return `HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage ?? ""}\r\n`;
}

function headerLines(raw: readonly string[]): string {
  let out = "";
  for (let i = 0; i < raw.length; i += 2) out += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return out;
}
