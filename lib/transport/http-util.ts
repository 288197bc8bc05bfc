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
    /** Extra response headers (`Allow` on a 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = "HttpError";
  }
}

/**
 * After a 413 the rest of the body is not read: the connection is closed (`Connection: close`, then
 * the socket ends once the answer is written), so a client that keeps sending cannot hold it.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const closing = status === 413;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers, ...(closing ? { connection: "close" } : {}) });
  res.end(text);
  if (closing) closeAfterAnswer(res);
}

/** Ends the socket once the answer is flushed, and destroys it if the peer does not let go. */
function closeAfterAnswer(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  const close = () => {
    socket.end();
    // A peer still sending never finishes the close handshake: give it a moment, then drop it.
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  };
  if (res.writableFinished) close();
  else res.once("finish", close);
}

/** How long a closing socket may linger after its last answer before it is destroyed. */
const CLOSE_GRACE_MS = 1_000;

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, error.body, { ...error.headers, "x-rivet-error": `${error.body.group}.${error.body.code}` });
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  413: "Payload Too Large",
  421: "Misdirected Request",
  426: "Upgrade Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Answers an upgrade request with an HTTP error instead of a WebSocket, then drops the socket. */
export function refuseUpgrade(socket: Duplex, status: number, body: ApiErrorBody): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nx-rivet-error: ${body.group}.${body.code}\r\nconnection: close\r\n\r\n${text}`,
  );
  // The peer may never read or close: the socket goes either way.
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

/** A `%` not followed by two hex digits. */
const MALFORMED_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** The body of a 400 for a request target that cannot be parsed. */
export function invalidUrlBody(message: string): ApiErrorBody {
  return { group: "guard", code: "invalid_url", message };
}

/**
 * Why a request target cannot be routed (a malformed percent-escape, or no URL at all), or null
 * when it parses. After null, `new URL(req.url, base)` does not throw.
 */
export function requestTargetError(req: IncomingMessage): HttpError | null {
  const target = req.url ?? "/";
  if (MALFORMED_ESCAPE.test(target)) return new HttpError(400, invalidUrlBody("the request URL has a malformed percent-escape (% must be followed by two hex digits)"));
  let url: URL;
  try {
    url = new URL(target, "http://engine");
  } catch {
    return new HttpError(400, invalidUrlBody("the request URL cannot be parsed"));
  }
  // Path segments are decoded to route (actor ids, names, tokens): their escapes must be UTF-8.
  if (decodeComponent(url.pathname) === null) return new HttpError(400, invalidUrlBody("the request path has a percent-escape that is not UTF-8"));
  return null;
}

/** The request's URL, or an HttpError (400 invalid_url) when it cannot be parsed. */
export function requestUrl(req: IncomingMessage): URL {
  const error = requestTargetError(req);
  if (error) throw error;
  return new URL(req.url ?? "/", "http://engine");
}

/** decodeURIComponent that answers null instead of throwing (malformed escapes, invalid UTF-8). */
export function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * Answers what the HTTP parser refused (a malformed request line or header, headers too large)
 * with a coded JSON error and closes the connection, instead of Node's bare 400.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const [status, code, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "request_headers_too_large", "the request headers are too large"]
      : err.code === "HPE_CHUNK_EXTENSIONS_OVERFLOW"
        ? [413, "request_body_too_large", "the chunk extensions are too large"]
        : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "request_timeout", "the request took too long to arrive"]
          : [400, "malformed_request", "the request could not be parsed as HTTP"];
  refuseUpgrade(socket, status, { group: "api", code, message });
}

/**
 * Reads a request body up to `limit` bytes; more (declared or sent) is a 413 with a code. The rest
 * of an oversize body is left unread and dropped: the 413 is sent with `Connection: close`
 * (sendJson), so the socket stays up just long enough to carry it.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, { group: "guard", code: "request_body_too_large", message: `request body is larger than ${limit} bytes` });
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  // Already read to its end: 'end' will not come again.
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      done();
      chunks.length = 0;
      reject(tooLarge());
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => {
      done();
      reject(new HttpError(400, { group: "guard", code: "request_aborted", message: "the client closed the connection before the body was sent" }));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
