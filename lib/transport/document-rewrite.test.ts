// A cycle page's document on its way out: the head is rewritten whatever the chunks, the rest goes
// as written, and compression still happens when the client takes it (a real HTTP server here).
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { APP_START_GLOBAL } from "@/components/app-start";
import { holdsAppScripts, rewriteDocumentHead } from "./document-rewrite";

const HEAD =
  '<!DOCTYPE html><html><head><meta charSet="utf-8"/><title>Cycle 1 · run ü</title>' +
  '<script src="/_next/static/chunks/aa11.js" async=""></script><script src="/_next/static/chunks/turbopack-bb22.js" async=""></script>' +
  '<script src="/vendor/mermaid/12.3.0/mermaid.esm.min.mjs" type="module" async=""></script></head>';
const BODY = '<body><p>Ünïcode · body</p><script src="/_next/static/chunks/cc33.js" async=""></script></body></html>';

let server: http.Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A server that writes `chunks` as Next.js does (headers, then the chunks, then end), through the rewrite. */
async function serve(chunks: (string | Buffer)[], { status = 200, type = "text/html; charset=utf-8" } = {}): Promise<string> {
  server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    rewriteDocumentHead(req, res);
    res.setHeader("content-type", type);
    res.statusCode = status;
    res.flushHeaders();
    for (const chunk of chunks) res.write(chunk);
    res.end();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/runs/r/cycles/1`;
}

/** The body as the client got it, unzipped by hand (fetch would unzip silently), and its encoding. */
function get(url: string, acceptEncoding: string): Promise<{ body: string; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { accept: "text/html", "accept-encoding": acceptEncoding } }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => {
        const raw = Buffer.concat(parts);
        const encoding = res.headers["content-encoding"];
        resolve({ body: (encoding === "gzip" ? zlib.gunzipSync(raw) : raw).toString("utf8"), encoding });
      });
    }).on("error", reject);
  });
}

describe("rewriteDocumentHead", () => {
  it("holds the head's app scripts, leaves Mermaid and the body alone, and still compresses", async () => {
    const url = await serve([HEAD, BODY]);
    for (const acceptEncoding of ["gzip, deflate, br", "identity"]) {
      const { body, encoding } = await get(url, acceptEncoding);
      expect(encoding).toBe(acceptEncoding === "identity" ? undefined : "gzip");
      const head = body.slice(0, body.indexOf("</head>"));
      expect(head).not.toMatch(/<script src="\/_next/);
      expect(head).toContain(`window.${APP_START_GLOBAL} = start;`);
      expect(head).toContain('["/_next/static/chunks/aa11.js","/_next/static/chunks/turbopack-bb22.js"]');
      expect(head).toContain('<script src="/vendor/mermaid/12.3.0/mermaid.esm.min.mjs" type="module" async=""></script>');
      expect(head).toContain("<title>Cycle 1 · run ü</title>");
      expect(body.slice(body.indexOf("</head>"))).toBe(`</head>${BODY}`);
    }
  });

  it("finds the head's end across chunks, even with a character cut in two", async () => {
    const whole = Buffer.from(HEAD + BODY, "utf8");
    const title = whole.indexOf(Buffer.from("ü"));
    const end = whole.indexOf(Buffer.from("</head>"));
    // Cut inside "ü" (two bytes), inside "</head>", and byte by byte around it.
    const cuts = [0, title + 1, end + 3, ...Array.from({ length: 12 }, (_, i) => end + 4 + i), whole.length];
    const chunks = cuts.slice(1).map((to, i) => whole.subarray(cuts[i], to));
    expect(Buffer.concat(chunks)).toEqual(whole);
    const { body } = await get(await serve(chunks), "gzip");
    expect(body).toContain("<title>Cycle 1 · run ü</title>");
    expect(body).toContain(`window.${APP_START_GLOBAL} = start;`);
    expect(body.slice(body.indexOf("</head>"))).toBe(`</head>${BODY}`);
  });

  it("passes any other answer through as written, compressed when asked", async () => {
    const notFound = "<!DOCTYPE html><html><head></head><body>404</body></html>".replace("<head>", HEAD.slice(HEAD.indexOf("<head>"), -"</head>".length));
    const { body, encoding } = await get(await serve([notFound], { status: 404 }), "gzip");
    expect(encoding).toBe("gzip");
    expect(body).toBe(notFound);
  });
});

describe("rewriteDocumentHead with a prelude", () => {
  const PRELUDE = "<!DOCTYPE html><html><head><script>window.early = 1</script>";

  /**
   * A server whose response starts with PRELUDE; "Next.js" writes its document only once the test
   * has seen the prelude arrive (`release`), as the page would still be rendering then.
   */
  async function servePrelude(): Promise<{ url: string; release: () => void; nextSaw: Promise<{ headersSent: boolean }> }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let saw!: (value: { headersSent: boolean }) => void;
    const nextSaw = new Promise<{ headersSent: boolean }>((resolve) => (saw = resolve));
    server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
      void rewriteDocumentHead(req, res, PRELUDE)
        .then(() => released)
        .then(() => {
          // What Next.js does first: look whether headers went out, then set its own and its status.
          saw({ headersSent: res.headersSent });
          res.statusCode = 200;
          res.setHeader("content-type", "text/html; charset=utf-8");
          res.setHeader("x-powered-by", "Next.js");
          res.writeHead(200, { vary: "rsc" });
          res.flushHeaders();
          res.write(HEAD);
          res.end(BODY);
        });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/runs/r/cycles/1`, release, nextSaw };
  }

  it("sends status, headers and the prelude before the page is written; the page follows, its head rewritten", async () => {
    for (const acceptEncoding of ["gzip", "identity"]) {
      const { url, release, nextSaw } = await servePrelude();
      const got = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; first: string; body: string }>((resolve, reject) => {
        http.get(url, { headers: { accept: "text/html", "accept-encoding": acceptEncoding } }, (res) => {
          const unzip = res.headers["content-encoding"] === "gzip" ? res.pipe(zlib.createGunzip()) : res;
          const parts: Buffer[] = [];
          unzip.on("data", (part: Buffer) => {
            // The prelude arrived with nothing of the page written yet: now the page may render.
            if (parts.length === 0) release();
            parts.push(part);
          });
          unzip.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, first: parts[0].toString("utf8"), body: Buffer.concat(parts).toString("utf8") }));
        }).on("error", reject);
      });
      expect(got.status).toBe(200);
      expect(got.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(got.headers["content-encoding"]).toBe(acceptEncoding === "gzip" ? "gzip" : undefined);
      // Next.js' headers came too late, and it was not told (it would have sent nothing).
      expect(got.headers["x-powered-by"]).toBeUndefined();
      expect(await nextSaw).toEqual({ headersSent: false });
      expect(got.first).toBe(PRELUDE);
      expect(got.body.startsWith(PRELUDE + HEAD.slice(0, HEAD.indexOf("<script")))).toBe(true);
      expect(got.body).toContain(`window.${APP_START_GLOBAL} = start;`);
      expect(got.body.slice(0, got.body.indexOf("</head>"))).not.toMatch(/<script src="\/_next/);
      expect(got.body.endsWith(`</head>${BODY}`)).toBe(true);
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
    }
  });
});

describe("holdsAppScripts", () => {
  const request = (headers: Record<string, string>, method = "GET") => ({ method, headers }) as unknown as IncomingMessage;
  const page = { accept: "text/html,application/xhtml+xml" };
  it("takes a cycle page opened as a document, nothing else", () => {
    expect(holdsAppScripts(request(page), "/runs/r1/cycles/2")).toBe(true);
    // Next.js' own fetch of the page's data during a client navigation.
    expect(holdsAppScripts(request({ ...page, rsc: "1" }), "/runs/r1/cycles/2")).toBe(false);
    expect(holdsAppScripts(request(page, "POST"), "/runs/r1/cycles/2")).toBe(false);
    expect(holdsAppScripts(request(page), "/runs/r1")).toBe(false);
    expect(holdsAppScripts(request({ accept: "application/json" }), "/runs/r1/cycles/2")).toBe(false);
  });
});
