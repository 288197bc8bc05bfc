// The edge between HTTP and the services: parse input with zod, turn every failure into a JSON body
// `{code, message}` with a fitting status. A user never sees a stack trace; the server log does.
import "server-only";
import { ZodError, type z } from "zod";
import { ServiceError, toHttpError } from "@/lib/services/errors";

/** A request the API refuses before any service runs (malformed JSON and the like). */
export class BadRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "BadRequestError";
  }
}

function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ZodError) {
    return Response.json({ code: "invalid_request", message: describeZodError(error) }, { status: 400 });
  }
  if (error instanceof BadRequestError) {
    return Response.json({ code: error.code, message: error.message }, { status: 400 });
  }
  const { status, body } = toHttpError(error);
  if (status >= 500) console.error("[api] unexpected error", error);
  // The rest of an oversize body is not read: the connection goes with the answer.
  return Response.json({ code: body.code, message: body.message }, { status, headers: status === 413 ? { connection: "close" } : {} });
}

/** Runs a handler and maps whatever it throws to an error response. */
export async function respond(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return errorResponse(error);
  }
}

/** Largest JSON body a route takes unless it says otherwise. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * The request body as text, at most `limit` bytes (declared or sent); more is a 413
 * `request_body_too_large`, and what is left of the body is not read.
 */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of bodyChunks(request, limit)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** The body as it arrives, for a reader that handles it piece by piece; the same limit applies. */
export async function* bodyChunks(request: Request, limit: number): AsyncGenerator<Uint8Array> {
  const tooLarge = () => new ServiceError("request_body_too_large", 413, `The request body is larger than ${limit} bytes.`);
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return;
  const reader = request.body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > limit) throw tooLarge();
      yield value;
    }
  } finally {
    // Stopped early (too large, or the reader gave up on bad content): what is left is not read.
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Hands the body to `read` piece by piece. If `read` fails before the end (a bad bundle found
 * early), the rest of the body is still read and dropped before the answer goes out: a client
 * still sending would otherwise see its connection reset rather than the coded error. A body past
 * the limit is not read further (its 413 closes the connection).
 */
export async function readBodyWith<T>(request: Request, limit: number, read: (chunks: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
  const chunks = bodyChunks(request, limit);
  // Not closed when `read` stops early: the loop below takes up where it left off.
  const kept: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: () => chunks.next() }) };
  try {
    return await read(kept);
  } catch (err) {
    if (!(err instanceof ServiceError && err.status === 413)) {
      try {
        for await (const chunk of kept) void chunk;
      } catch {
        // Too large or cut off while dropping: the first error is the answer.
      }
    }
    throw err;
  }
}

/** A response body from text pieces, read from the generator as the client takes them. */
export function textStream(pieces: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await pieces.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}

/** Refuses an empty body before anything tries to parse it. */
export function requireBody(text: string): string {
  if (text.trim() === "") throw new BadRequestError("invalid_json", "The request body is empty; send a JSON object.");
  return text;
}

export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const text = requireBody(await readBodyText(request, limit));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError("invalid_json", "The request body is not valid JSON.");
  }
}

/** A `%` not followed by two hex digits. */
const MALFORMED_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** Refuses a request URL with a malformed percent-escape (400 `invalid_url`). */
export function checkRequestUrl(request: Request): URL {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new BadRequestError("invalid_url", "The request URL cannot be parsed.");
  }
  if (MALFORMED_ESCAPE.test(url.pathname) || MALFORMED_ESCAPE.test(url.search)) {
    throw new BadRequestError("invalid_url", "The request URL has a malformed percent-escape (% must be followed by two hex digits).");
  }
  return url;
}

/** Parses the URL's query string with `schema` (absent parameters are simply missing keys). */
export function parseSearchParams<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(checkRequestUrl(request).searchParams.entries());
  return schema.parse(params);
}

/** A run id as it appears in a URL: non-empty and of sane length. */
export function parseRunId(raw: string): string {
  if (raw.length === 0 || raw.length > 200) throw new BadRequestError("invalid_run_id", "The run id is not valid.");
  return raw;
}
