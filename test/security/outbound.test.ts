// The engine calls the URLs of runner configs: a config cannot make it fetch metadata, link-local
// or private addresses (a server-side request forgery) or anything but http(s), and a /start that
// answers with a redirect is not followed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboundError, OutboundGuard } from "@/lib/auth/outbound";
import { startEngine, waitFor, type TestEngine } from "../live/helpers";

const pool = (url: string) => ({ datacenters: { default: { serverless: { url, headers: {}, request_lifespan: 300, slots_per_runner: 1, min_runners: 0, max_runners: 1, runners_margin: 0 } } } });

describe("the outbound guard", () => {
  it("refuses metadata, link-local and private addresses unless allowed, and what is not http(s)", () => {
    const guard = new OutboundGuard();
    for (const address of ["169.254.169.254", "10.1.2.3", "172.16.0.1", "192.168.1.1", "fe80::1", "fd00:ec2::254", "0.0.0.0"]) {
      expect(guard.permits(address), address).toBe(false);
    }
    for (const address of ["127.0.0.1", "::1", "93.184.216.34"]) expect(guard.permits(address), address).toBe(true);
    expect(new OutboundGuard({ deny: ["10.0.0.0/8"], allow: ["10.1.0.0/16"] }).permits("10.1.2.3")).toBe(true);
    expect(() => guard.checkUrl("file:///etc/passwd")).toThrow(OutboundError);
    expect(() => guard.checkUrl("http://user:pw@127.0.0.1/")).toThrow(OutboundError);
    expect(() => guard.checkUrl("http://[fe80::1]/api")).toThrow(/does not connect/);
  });

  it("checks the address a name resolves to, when the connection is made", async () => {
    const lookup = new OutboundGuard({ deny: ["127.0.0.0/8", "::1/128"], allow: [] }).lookup();
    const error = await new Promise<Error | null>((resolve) => lookup("localhost", {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(OutboundError);
  });
});

describe("runner configs through the engine API", () => {
  let engine: TestEngine;
  let redirectTarget: http.Server;
  let targetHits = 0;
  let redirecting: http.Server;
  let redirectingUrl: string;
  beforeAll(async () => {
    engine = await startEngine({ engine: { defaultPool: null } });
    redirectTarget = http.createServer((_req, res) => {
      targetHits++;
      res.writeHead(200, { "content-type": "text/event-stream" }).end();
    });
    await new Promise<void>((resolve) => redirectTarget.listen(0, "127.0.0.1", resolve));
    const target = `http://127.0.0.1:${(redirectTarget.address() as AddressInfo).port}`;
    redirecting = http.createServer((req, res) => res.writeHead(302, { location: `${target}${req.url}` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    redirectingUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/api`;
  });
  afterAll(async () => {
    await engine?.stop();
    redirectTarget?.close();
    redirecting?.close();
  });

  it("refuses a config pointing at the metadata service, a private address or a non-http URL", async () => {
    for (const url of ["http://169.254.169.254/latest", "http://10.0.0.5:8080/api", "ftp://127.0.0.1/api"]) {
      const answer = await engine.api("PUT", "/runner-configs/evil?namespace=default", pool(url));
      expect(answer.status, url).toBe(400);
      expect(String(answer.body.code), url).toMatch(/^(endpoint_address_not_allowed|invalid_endpoint_url|invalid_body)$/);
    }
    expect((await engine.api("GET", "/runner-configs?namespace=default")).body.runner_configs).toEqual({});
  });

  it("does not follow a redirect from /start", async () => {
    expect((await engine.api("PUT", "/runner-configs/default?namespace=default", pool(redirectingUrl))).status).toBe(200);
    const created = await engine.api("POST", "/actors?namespace=default", { name: "r", key: "k", runner_name_selector: "default", crash_policy: "sleep" });
    void fetch(`${engine.url}/gateway/${created.body.actor.actor_id as string}/`).catch(() => undefined);
    await waitFor("the start to fail on the redirect", async () => (await engine.events()).some((event) => event.type === "StartFailed" && (event.payload as { status: number }).status === 302));
    expect(targetHits).toBe(0);
  });
});
