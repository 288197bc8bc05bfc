// The dashboard of a server reachable by others (a token, loopback not trusted as in front of a
// reverse proxy): strangers are sent to sign in; the token signs an owner in with an HttpOnly cookie;
// a share link makes its holder a viewer of exactly that run — no run list, no other run, no
// revocation — until the link is revoked.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "./server-process";

const TOKEN = "dashboard-token-for-tests";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-access-"));

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(server: ServerProcess, method: string, pathname: string, options: { cookie?: string; body?: string; type?: string; bearer?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.type) headers["content-type"] = options.type;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
    const req = http.request(`${server.url}${pathname}`, { method, headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The `name=value` part of a Set-Cookie answer. */
function cookieOf(answer: Answer, name: string): string {
  const line = (answer.headers["set-cookie"] ?? []).find((cookie) => cookie.startsWith(`${name}=`));
  expect(line, `${name} cookie`).toBeDefined();
  expect(line).toMatch(/HttpOnly/i);
  return line!.split(";")[0];
}

let server: ServerProcess;
let ownerCookie: string;
let runId: string;
let otherRunId: string;
beforeAll(async () => {
  server = await startServerProcess({ dbFile: path.join(dir, "access.db"), env: { WAKELINE_TOKEN: TOKEN, WAKELINE_TRUST_LOOPBACK: "0" } });
});
afterAll(async () => {
  server?.signalGroup("SIGINT");
  await server?.exited;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the dashboard's owners and viewers", () => {
  it("sends a stranger to sign in, and refuses its API calls", async () => {
    const home = await request(server, "GET", "/");
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe("/sign-in?next=%2F");
    const list = await request(server, "GET", "/api/runs");
    expect(list.status).toBe(401);
    expect(JSON.parse(list.body)).toMatchObject({ code: "sign_in_required" });
    expect((await request(server, "POST", "/api/runs", { type: "application/json", body: JSON.stringify({ scenario: "ideal" }) })).status).toBe(401);
    expect((await request(server, "GET", "/sign-in")).body).toContain('name="token"');
  });

  it("signs an owner in with the token (a wrong one is refused) and lets it do everything", async () => {
    const wrong = await request(server, "POST", "/sign-in", { type: "application/x-www-form-urlencoded", body: "token=nope&next=%2F" });
    expect(wrong.status).toBe(403);
    const right = await request(server, "POST", "/sign-in", { type: "application/x-www-form-urlencoded", body: `token=${TOKEN}&next=%2Fruns` });
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe("/runs");
    ownerCookie = cookieOf(right, "wakeline_owner");
    expect(ownerCookie).not.toContain(TOKEN);

    expect((await request(server, "GET", "/", { cookie: ownerCookie })).status).toBe(200);
    const made = await request(server, "POST", "/api/runs", { cookie: ownerCookie, type: "application/json", body: JSON.stringify({ scenario: "ideal" }) });
    expect(made.status).toBeLessThan(300);
    runId = (JSON.parse(made.body) as { run: { id: string } }).run.id;
    const other = await request(server, "POST", "/api/runs", { bearer: TOKEN, type: "application/json", body: JSON.stringify({ scenario: "two-actors" }) });
    otherRunId = (JSON.parse(other.body) as { run: { id: string } }).run.id;
    expect((await request(server, "GET", "/api/access", { cookie: ownerCookie })).body).toContain('"role":"owner"');
  });

  it("makes a share link's holder a viewer of that run only, until the link is revoked", async () => {
    const shared = await request(server, "POST", "/api/share", { cookie: ownerCookie, type: "application/json", body: JSON.stringify({ path: `/runs/${runId}` }) });
    expect(shared.status).toBe(201);
    const { token } = JSON.parse(shared.body) as { token: string };

    const opened = await request(server, "GET", `/s/${token}`);
    expect(opened.status).toBe(307);
    expect(opened.headers.location).toBe(`/runs/${runId}`);
    const viewer = cookieOf(opened, "wakeline_share");

    expect((await request(server, "GET", `/runs/${runId}`, { cookie: viewer })).status).toBe(200);
    expect((await request(server, "GET", `/api/runs/${runId}/events`, { cookie: viewer })).status).toBe(200);
    expect((await request(server, "GET", `/api/runs/${runId}/export`, { cookie: viewer })).status).toBe(200);
    expect(JSON.parse((await request(server, "GET", "/api/access", { cookie: viewer })).body)).toMatchObject({ role: "viewer", runId });
    for (const [method, pathname] of [
      ["GET", "/api/runs"],
      ["GET", "/"],
      ["GET", `/api/runs/${otherRunId}/events`],
      ["GET", `/runs/${otherRunId}`],
      ["DELETE", `/api/share/${token}`],
      ["POST", "/api/runs"],
    ] as const) {
      const answer = await request(server, method, pathname, { cookie: viewer, type: "application/json", body: method === "GET" ? undefined : "{}" });
      expect(answer.status, `${method} ${pathname}`).toBe(403);
    }

    expect((await request(server, "DELETE", `/api/share/${token}`, { cookie: ownerCookie })).status).toBe(200);
    expect((await request(server, "GET", `/api/runs/${runId}/events`, { cookie: viewer })).status).toBe(401);
  });
});
