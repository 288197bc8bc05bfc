// A web page the user visits must not drive the engine: requests naming a host this server is not
// (DNS rebinding) are refused, and so are cross-site writes and cross-site WebSockets to the runner
// endpoint. Non-browser clients (no Origin) and the server's own pages are unaffected.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startEngine, type TestEngine } from "../live/helpers";

/** A raw request, so that Host and Origin are exactly what an attacker's browser would send. */
function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? "GET", headers: options.headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("requests a hostile web page can make", () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(() => engine?.stop());

  it("refuses a Host that is not this server (DNS rebinding) with 421, on every route", async () => {
    for (const path of ["/actors?name=demo", "/gateway/demo/", "/api/runs"]) {
      const answer = await rawRequest(`${engine.url}${path}`, { headers: { host: "attacker.example:3000" } });
      expect(answer.status, path).toBe(421);
      expect(JSON.parse(answer.body)).toMatchObject({ code: "host_not_allowed" });
    }
  });

  it("refuses cross-site writes: a text/plain form post from another origin, or Sec-Fetch-Site cross-site", async () => {
    const body = JSON.stringify({ name: "x", key: "k", runner_name_selector: "default" });
    const fromOrigin = await rawRequest(`${engine.url}/actors?namespace=default`, { method: "POST", headers: { origin: "http://attacker.example", "content-type": "text/plain" }, body });
    expect(fromOrigin.status).toBe(403);
    expect(JSON.parse(fromOrigin.body)).toMatchObject({ code: "cross_site_request" });
    const bySite = await rawRequest(`${engine.url}/runner-configs/default?namespace=default`, { method: "PUT", headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" }, body: "{}" });
    expect(bySite.status).toBe(403);
    const dashboard = await rawRequest(`${engine.url}/api/runs`, { method: "POST", headers: { origin: "http://attacker.example", "content-type": "text/plain" }, body: "{}" });
    expect(dashboard.status).toBe(403);
    // Nothing was created.
    const actors = await engine.api("GET", "/actors?namespace=default&name=x");
    expect(actors.body.actors).toEqual([]);
  });

  it("lets the server's own pages and clients without an Origin write", async () => {
    const own = new URL(engine.url).host;
    const body = JSON.stringify({ name: "ok", key: "k", runner_name_selector: "default" });
    const sameOrigin = await rawRequest(`${engine.url}/actors?namespace=default`, { method: "POST", headers: { origin: `http://${own}`, "sec-fetch-site": "same-origin", "content-type": "application/json" }, body });
    expect(sameOrigin.status).toBe(200);
    const noOrigin = await rawRequest(`${engine.url}/actors?namespace=default`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "ok2", key: "k", runner_name_selector: "default" }) });
    expect(noOrigin.status).toBe(200);
  });

  it("refuses a cross-site WebSocket to the runner endpoint (a page posing as a runner)", async () => {
    const url = `${engine.url.replace("http", "ws")}/runners/connect?protocol_version=7&namespace=default&runner_key=k9`;
    const status = await new Promise<number | "open">((resolve) => {
      const socket = new WebSocket(url, ["rivet"], { origin: "http://attacker.example" });
      socket.on("open", () => (socket.close(), resolve("open")));
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("error", () => undefined);
    });
    expect(status).toBe(403);
  });
});
