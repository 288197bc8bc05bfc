// Small HTTP helpers shared by the engine endpoints: JSON answers, coded errors, bounded bodies.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** An engine API error body, as rivetkit clients read it. */
export interface ApiErrorBody {
  group: string;
  code: string;
  message: string;
  metadata?: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = "HttpError";
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, error.body, { "x-rivet-error": `${error.body.group}.${error.body.code}` });
}

/** Answers an upgrade request with an HTTP error instead of a WebSocket, then drops the socket. */
export function refuseUpgrade(socket: Duplex, status: number, body: ApiErrorBody): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? "Not Found" : status === 503 ? "Service Unavailable" : "Bad Request"}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nx-rivet-error: ${body.group}.${body.code}\r\nconnection: close\r\n\r\n${text}`,
  );
}

/** Reads a request body up to `limit` bytes; more is a 413 with a code. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      throw new HttpError(413, { group: "guard", code: "request_body_too_large", message: `request body is larger than ${limit} bytes` });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
