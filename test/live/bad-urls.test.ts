// Bad input on the wire gets a coded answer, never an exception or a socket left open: malformed
// URLs and percent-escapes on every endpoint (HTTP and WebSocket upgrades), request lines the HTTP
// parser refuses, oversize bodies (413, then the connection goes), unsupported methods (405).
// Raw sockets, so that what is sent is exactly what is written here. Nothing recorded is lost.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type TestEngine } from "./helpers";

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  // Parsed JSON, read by assertions only.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Resolves when the server has closed the socket. */
  closed: Promise<void>;
  socket: net.Socket;
}

const UPGRADE = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: rivet\r\n";

/** Writes `head` (and then `feed`, over and over, while the socket is open) and reads one answer. */
function raw(engine: TestEngine, head: string, feed?: Buffer): Promise<RawAnswer> {
  const { port } = new URL(engine.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    let closedResolve!: () => void;
    const closed = new Promise<void>((done) => (closedResolve = done));
    let open = true;
    socket.on("close", () => {
      open = false;
      closedResolve();
    });
    socket.on("error", () => undefined); // a reset while still sending is expected after a 413
    let data = Buffer.alloc(0);
    let answered = false;
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf("\r\n\r\n");
      if (answered || end < 0) return;
      const [statusLine, ...lines] = data.subarray(0, end).toString("latin1").split("\r\n");
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      const length = Number(headers["content-length"] ?? 0);
      if (data.length < end + 4 + length) return;
      answered = true;
      const text = data.subarray(end + 4, end + 4 + length).toString("utf8");
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: text ? JSON.parse(text) : null, closed, socket });
    });
    socket.once("close", () => {
      if (!answered) reject(new Error(`the socket closed without an answer: ${JSON.stringify(data.toString("latin1"))}`));
    });
    socket.write(head);
    if (feed) {
      const pump = () => {
        // Keep sending as fast as the socket takes it, until the server closes it.
        while (open && socket.write(feed));
        if (open) socket.once("drain", pump);
      };
      pump();
    }
  });
}

const get = (path: string, extra = "") => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;

describe("malformed URLs and escapes", () => {
  let engine: TestEngine;
  let recorded: number;

  beforeAll(async () => {
    engine = await startEngine({ engine: { demoActor: false } });
    recorded = (await engine.events()).length;
  });
  afterAll(async () => engine?.stop());

  it("gateway paths, their @token form and the x-rivet-target header form: 400 guard.invalid_url", async () => {
    for (const path of ["/gateway/%zz/", "/gateway/actor-1@%E0%A4%A/x", "/gateway/%FF/", "/gateway/actor-1@%FF/", "/gateway/actor-1/%g0?q=1"]) {
      const answer = await raw(engine, get(path));
      expect(answer.status, path).toBe(400);
      expect(answer.headers["x-rivet-error"], path).toBe("guard.invalid_url");
      expect(answer.body, path).toEqual({ group: "guard", code: "invalid_url", message: expect.any(String) });
    }
    const header = await raw(engine, get("/anything/%zz", "x-rivet-target: actor\r\nx-rivet-actor: actor-1\r\n"));
    expect(header).toMatchObject({ status: 400, body: { code: "invalid_url" } });
    expect((await engine.events()).length).toBe(recorded);
  });

  it("the engine API: 400 {group, code: invalid_url, message}, on the path, a segment or the query", async () => {
    const requests = [
      get("/actors?name=%zz"),
      get("/metadata?x=%"),
      get("/datacenters%2"),
      "DELETE /actors/%FF HTTP/1.1\r\nHost: localhost\r\n\r\n",
      "DELETE /actors/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\n\r\n",
      "PUT /runner-configs/%FF HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}",
      get("//"),
      get("//["),
    ];
    for (const request of requests) {
      const answer = await raw(engine, request);
      expect(answer.status, request).toBe(400);
      expect(answer.body, request).toEqual({ group: "guard", code: "invalid_url", message: expect.any(String) });
    }
    expect((await engine.events()).length).toBe(recorded);
  });

  it("dashboard paths (route handlers and share links) get the same coded 400, before the app", async () => {
    for (const path of ["/api/runs/%zz", "/api/runs?name=%", "/s/%E0%A4%A"]) {
      expect(await raw(engine, get(path)), path).toMatchObject({ status: 400, body: { code: "invalid_url", message: expect.any(String) } });
    }
  });

  it("WebSocket upgrades that cannot be served: an HTTP error, then the socket is closed", async () => {
    const cases: [string, number, string][] = [
      ["/gateway/%zz/", 400, "invalid_url"],
      ["/gateway/actor-1@%FF/", 400, "invalid_url"],
      ["/runners/connect?protocol_version=7&namespace=%zz&runner_key=k", 400, "invalid_url"],
      ["//", 400, "invalid_url"],
      ["/nowhere", 404, "not_found"],
    ];
    for (const [path, status, code] of cases) {
      const answer = await raw(engine, get(path, UPGRADE));
      expect(answer.status, path).toBe(status);
      expect(answer.body, path).toMatchObject({ code, message: expect.any(String) });
      expect(answer.headers.connection, path).toBe("close");
      await answer.closed;
    }
    // The engine is still up, and nothing it recorded went missing.
    expect((await engine.api("GET", "/metadata")).status).toBe(200);
    expect((await engine.events()).length).toBe(recorded);
  });

  it("answers request lines the HTTP parser refuses with a coded 400 and closes", async () => {
    for (const head of ["GET /a b c HTTP/1.1\r\nHost: localhost\r\n\r\n", "GET /\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n", "NOT HTTP AT ALL\r\n\r\n"]) {
      const answer = await raw(engine, head);
      expect(answer.status, head).toBe(400);
      expect(answer.body, head).toMatchObject({ code: "malformed_request" });
      await answer.closed;
    }
    expect((await engine.api("GET", "/metadata")).status).toBe(200);
    const events = await engine.events();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.length).toBe(recorded);
  });
});

describe("oversize bodies and unsupported methods", () => {
  let engine: TestEngine;
  let recorded: number;
  const chunk = Buffer.alloc(64 * 1024, "x");

  beforeAll(async () => {
    engine = await startEngine({ engine: { demoActor: false } });
    recorded = (await engine.events()).length;
  });
  afterAll(async () => engine?.stop());

  it("closes the connection after a 413, though the client keeps sending (declared length)", async () => {
    const api = await raw(engine, "POST /actors HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n", chunk);
    expect(api).toMatchObject({ status: 413, headers: { connection: "close" }, body: { group: "guard", code: "request_body_too_large" } });
    await api.closed;
    const gateway = await raw(engine, "POST /gateway/actor-1/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50000000\r\n\r\n", chunk);
    // Gateway errors carry the dotted code, as the engine's gateway does.
    expect(gateway).toMatchObject({ status: 413, headers: { connection: "close", "x-rivet-error": "guard.request_body_too_large" }, body: { group: "guard", code: "request_body_too_large" } });
    await gateway.closed;
  });

  it("closes the connection after a 413 on a chunked body that grows past the limit", async () => {
    const piece = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    const answer = await raw(engine, "PUT /runner-configs/pool HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n", piece);
    expect(answer).toMatchObject({ status: 413, headers: { connection: "close" }, body: { code: "request_body_too_large" } });
    await answer.closed;
    expect((await engine.events()).length).toBe(recorded);
  });

  it("answers unsupported methods on engine endpoints with 405, a code and Allow", async () => {
    const cases: [string, string, string][] = [
      ["PATCH", "/actors", "GET, HEAD, POST, PUT"],
      ["DELETE", "/metadata", "GET, HEAD"],
      ["POST", "/datacenters", "GET, HEAD"],
      ["GET", "/actors/some-actor", "DELETE"],
      ["DELETE", "/runner-configs/pool", "PUT"],
      ["POST", "/runner-configs", "GET, HEAD"],
      ["POST", "/api/serverless/start", "GET"],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await engine.api(method, path);
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(answer.body, `${method} ${path}`).toMatchObject({ group: "api", code: "method_not_allowed", message: expect.stringContaining(method) });
    }
    const plain = await engine.api("GET", "/runners/connect?protocol_version=7&namespace=default&runner_key=k");
    expect(plain).toMatchObject({ status: 426, body: { group: "runner", code: "upgrade_required" } });
    expect((await engine.api("HEAD", "/metadata")).status).toBe(200);
    expect((await engine.events()).length).toBe(recorded);
  });
});
