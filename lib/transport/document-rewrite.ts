// The HTML of a cycle page, rewritten on its way out so that the app's scripts wait for the page's
// first drawing (components/app-start.ts says why and how). Next.js writes the document in chunks;
// the head comes first, and is held here until it is complete, rewritten, then sent with the rest,
// which passes through as it comes. Next.js would compress the document itself, so it is asked for
// the plain text (its request loses Accept-Encoding) and the rewritten document is compressed here
// instead, flushed chunk by chunk so that it still streams.
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from "node:http";
import zlib from "node:zlib";
import { holdAppScripts } from "@/components/app-start";

/** A cycle page's path, `/runs/<run id>/cycles/<ordinal>` (both parts still encoded). */
export const CYCLE_PAGE_PATH = /^\/runs\/([^/]+)\/cycles\/([^/]+)$/;

/** The pages whose app scripts wait for their drawing: a cycle page, opened as a document. */
export function holdsAppScripts(req: IncomingMessage, pathname: string): boolean {
  if (req.method !== "GET" || req.headers.rsc !== undefined) return false;
  return CYCLE_PAGE_PATH.test(pathname) && String(req.headers.accept ?? "").includes("text/html");
}

const HEAD_END = Buffer.from("</head>");

/** A head larger than this is sent as it is (no app page has one). */
const MAX_HEAD_BYTES = 256 * 1024;

type Chunk = string | Buffer | Uint8Array;
type OutgoingHeaders = OutgoingHttpHeaders | OutgoingHttpHeader[];
type Callback = (error?: Error | null) => void;

/** Responses whose prelude went out (their `headersSent` says false to Next.js). */
const withPrelude = new WeakSet<ServerResponse>();

/** True once `res` has sent its status and headers, a prelude's included. */
export function responseStarted(res: ServerResponse): boolean {
  return res.headersSent || withPrelude.has(res);
}

/** The headers Next.js gives a cycle page, sent with a prelude before Next.js has rendered it. */
const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate",
  vary: "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch, Accept-Encoding",
};

/**
 * From now on, `res` rewrites the head of the HTML document written to it (holdAppScripts) and
 * compresses it when the client takes gzip. Any other response passes through as written.
 *
 * With a `prelude` (the start of the document, components/early-drawing-prelude.ts), the response
 * starts now: status 200, the page's headers and the prelude go out before Next.js has rendered
 * anything, and the document Next.js writes follows. The caller has made sure that the page exists
 * (app/_queries/cycle-document.ts). From then on Next.js' own status and headers are dropped, and it
 * is told that none have been sent, as it would otherwise not send its document at all. Resolves
 * once the prelude is on its way to the client.
 */
export function rewriteDocumentHead(req: IncomingMessage, res: ServerResponse, prelude?: string): Promise<void> {
  const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  delete req.headers["accept-encoding"];
  const write = res.write.bind(res) as (chunk: Chunk, callback?: Callback) => boolean;
  const end = res.end.bind(res) as (callback?: () => void) => ServerResponse;
  let mode: "undecided" | "head" | "body" = "undecided";
  // Bytes, not text: a character may be cut between two chunks. "</head>" is plain ASCII, so the
  // bytes before it are whole characters.
  let head = Buffer.alloc(0);
  let zip: zlib.Gzip | null = null;

  const send = (chunk: Chunk) => {
    if (zip) zip.write(chunk);
    else write(chunk);
  };
  const decide = () => {
    if (mode !== "undecided") return;
    const html = res.statusCode === 200 && String(res.getHeader("content-type") ?? "").startsWith("text/html");
    if (!res.headersSent) {
      if (html) res.removeHeader("content-length");
      if (gzip) {
        res.removeHeader("content-length");
        res.setHeader("content-encoding", "gzip");
        zip = zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH });
        zip.on("data", (compressed: Buffer) => write(compressed));
      }
    }
    // Headers already out with a length: the body must stay as long as it was.
    mode = html && !(res.headersSent && res.getHeader("content-length") !== undefined) ? "head" : "body";
  };
  function startWithPrelude(start: string): Promise<void> {
    for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
    res.statusCode = 200;
    decide();
    writeHead(200);
    withPrelude.add(res);
    // Compressed on the thread pool, it would reach the socket only when the event loop next
    // turns, and rendering the page keeps it busy: the prelude would leave with the page.
    const out = new Promise<void>((resolve) => (zip ? zip.write(start, () => resolve()) : (write(start), resolve())));
    // Next.js' headers come too late now; it must not learn that (it would send nothing).
    res.setHeader = (() => res) as ServerResponse["setHeader"];
    res.appendHeader = (() => res) as ServerResponse["appendHeader"];
    res.removeHeader = () => undefined;
    Object.defineProperty(res, "headersSent", { configurable: true, get: () => false });
    return out;
  }
  const releaseHead = (upTo: number) => {
    mode = "body";
    send(holdAppScripts(head.subarray(0, upTo).toString("utf8")));
    if (upTo < head.length) send(head.subarray(upTo));
    head = Buffer.alloc(0);
  };

  // Next.js sends its headers itself (writeHead, or flushHeaders through it): the decision is made
  // there, while they can still change.
  const writeHead = res.writeHead.bind(res) as (status: number, reason?: string) => ServerResponse;
  res.writeHead = ((status: number, reasonOrHeaders?: string | OutgoingHeaders, maybeHeaders?: OutgoingHeaders): ServerResponse => {
    if (prelude !== undefined) return res;
    const reason = typeof reasonOrHeaders === "string" ? reasonOrHeaders : undefined;
    const headers = typeof reasonOrHeaders === "string" ? maybeHeaders : reasonOrHeaders;
    for (const [name, value] of headerPairs(headers)) res.setHeader(name, value);
    res.statusCode = status;
    decide();
    return writeHead(status, reason);
  }) as ServerResponse["writeHead"];

  res.write = ((chunk: Chunk, encoding?: BufferEncoding | Callback, callback?: Callback): boolean => {
    decide();
    const done = typeof encoding === "function" ? encoding : callback;
    const data = typeof chunk === "string" && typeof encoding === "string" ? Buffer.from(chunk, encoding) : chunk;
    if (mode === "head") {
      head = Buffer.concat([head, typeof data === "string" ? Buffer.from(data, "utf8") : data]);
      const close = head.indexOf(HEAD_END);
      if (close >= 0) releaseHead(close);
      else if (head.length > MAX_HEAD_BYTES) releaseHead(0);
    } else {
      send(data);
    }
    done?.();
    // What was written is buffered at most one chunk deep here; the document is bounded.
    return true;
  }) as ServerResponse["write"];

  res.end = ((chunk?: Chunk | (() => void), encoding?: BufferEncoding | (() => void), callback?: () => void): ServerResponse => {
    const done = typeof chunk === "function" ? chunk : typeof encoding === "function" ? encoding : callback;
    if (chunk !== undefined && typeof chunk !== "function") res.write(chunk, typeof encoding === "string" ? encoding : "utf8");
    decide();
    // A document that ended inside its head goes as it was.
    if (mode === "head") releaseHead(0);
    const compressor = zip as zlib.Gzip | null;
    if (!compressor) return end(done);
    compressor.once("end", () => end(done));
    compressor.end();
    return res;
  }) as ServerResponse["end"];
  return prelude === undefined ? Promise.resolve() : startWithPrelude(prelude);
}

/** writeHead's headers as name/value pairs: an object, or a flat [name, value, …] list. */
function headerPairs(headers: OutgoingHeaders | undefined): [string, OutgoingHttpHeader][] {
  if (!headers) return [];
  if (!Array.isArray(headers)) return Object.entries(headers).filter((pair): pair is [string, OutgoingHttpHeader] => pair[1] !== undefined);
  const pairs: [string, OutgoingHttpHeader][] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), headers[i + 1]]);
  return pairs;
}
