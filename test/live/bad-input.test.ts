// Bad input and faults: each gets a clear close code or a 4xx with a code, is recorded as what it
// was, and the engine keeps running with nothing recorded lost.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codec, loadRunnerPackages } from "@/lib/transport/codec";
import { ofType, startEngine, startRunner, waitFor, type TestEngine } from "./helpers";

const INIT = { tag: "ToServerInit" as const, val: { name: "raw", version: 1, totalSlots: 1, prepopulateActorNames: null, metadata: null } };

function connect(engine: TestEngine, query = "protocol_version=7&namespace=default&runner_key=raw-key"): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }>; frames: Uint8Array[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${engine.url.replace("http", "ws")}/runners/connect?${query}`, ["rivet"]);
    const frames: Uint8Array[] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on("close", (code, reason) => done({ code, reason: reason.toString() })));
    ws.on("message", (data) => frames.push(new Uint8Array(data as Buffer)));
    ws.once("open", () => resolve({ ws, closed, frames }));
    ws.once("error", reject);
  });
}

/** The HTTP answer to a refused WebSocket upgrade. */
function refusedUpgrade(engine: TestEngine, query: string): Promise<{ status: number; body: Record<string, unknown>; error: string | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${engine.url.replace("http", "ws")}/runners/connect?${query}`, ["rivet"]);
    ws.once("open", () => reject(new Error("the upgrade was accepted")));
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), error: res.headers["x-rivet-error"] as string | undefined }));
    });
    ws.once("error", () => undefined);
  });
}

describe("bad runner connections and frames", () => {
  let engine: TestEngine;

  beforeAll(async () => {
    await loadRunnerPackages();
    engine = await startEngine({ maxFrameBytes: 4096, engine: { demoActor: false, timing: { initTimeoutMs: 300 } } });
  });
  afterAll(async () => engine?.stop());

  it("refuses an unknown protocol version, a missing runner key and an unknown namespace with a coded 4xx", async () => {
    expect(await refusedUpgrade(engine, "protocol_version=6&namespace=default&runner_key=k")).toMatchObject({
      status: 400,
      body: { group: "runner", code: "unsupported_protocol_version" },
      error: "runner.unsupported_protocol_version",
    });
    expect(await refusedUpgrade(engine, "protocol_version=7&namespace=default")).toMatchObject({ status: 400, body: { code: "runner_key_required" } });
    expect(await refusedUpgrade(engine, "protocol_version=7&namespace=elsewhere&runner_key=k")).toMatchObject({ status: 404, body: { code: "namespace_not_found" } });
    const refusals = ofType(await engine.events(), "connection-refused").map((e) => (e.payload as { code: string }).code);
    expect(refusals).toEqual(["unsupported_protocol_version", "runner_key_required", "namespace_not_found"]);
  });

  it("closes on a text frame (1003), a malformed frame and a truncated frame (1007)", async () => {
    const text = await connect(engine);
    text.ws.send("hello");
    expect(await text.closed).toEqual({ code: 1003, reason: "ws.text_frame_unsupported" });

    const garbage = await connect(engine);
    garbage.ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(await garbage.closed).toEqual({ code: 1007, reason: "ws.invalid_frame" });

    const truncated = await connect(engine);
    const whole = codec().encodeToServer(INIT);
    truncated.ws.send(whole.subarray(0, whole.length - 3));
    expect(await truncated.closed).toEqual({ code: 1007, reason: "ws.invalid_frame" });

    const refused = ofType(await engine.events(), "connection-refused").map((e) => (e.payload as { reason: string }).reason);
    expect(refused).toEqual(expect.arrayContaining(["ws.text_frame_unsupported", "ws.invalid_frame"]));
    expect(refused.filter((r) => r === "ws.invalid_frame")).toHaveLength(2);
  });

  it("closes when the first frame is not ToServerInit, or when none comes in time (1008)", async () => {
    const wrong = await connect(engine);
    wrong.ws.send(codec().encodeToServer({ tag: "ToServerPong", val: { ts: 1n } }));
    expect(await wrong.closed).toEqual({ code: 1008, reason: "ws.init_required" });

    const silent = await connect(engine);
    expect(await silent.closed).toEqual({ code: 1008, reason: "ws.init_timeout" });
    expect(ofType(await engine.events(), "connection-timeout")).toHaveLength(1);
  });

  it("closes on an oversize frame (1009)", async () => {
    const big = await connect(engine);
    big.ws.send(codec().encodeToServer(INIT));
    await waitFor("the init answer", () => big.frames.length > 0);
    expect(codec().decodeToClient(big.frames[0]).tag).toBe("ToClientInit");
    big.ws.send(new Uint8Array(5000));
    expect((await big.closed).code).toBe(1009);
    await waitFor("the refusal to be recorded", async () => ofType(await engine.events(), "connection-refused").some((e) => (e.payload as { code: number }).code === 1009));
  });

  it("keeps running: a real runner still connects afterwards, and every event is stored in order", async () => {
    const test = await startRunner(engine.url);
    await test.connected;
    await test.runner.shutdown(true);
    // The engine records the runner's going as its socket closes, after the shutdown resolves:
    // read once it has, so no event is still on its way to the database.
    const events = await waitFor("every recorded event to be stored", async () => {
      const stored = await engine.events();
      return stored.length === engine.session.recorder.lastSeq ? stored : null;
    });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.length).toBe(engine.session.recorder.lastSeq);
  });
});

describe("bad requests to the gateway and the API", () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startEngine({ engine: { demoActor: false } });
  });
  afterAll(async () => engine?.stop());

  it("answers an unknown actor with 404, a JSON code and x-rivet-error, recorded", async () => {
    const response = await fetch(`${engine.url}/gateway/nobody/x`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-rivet-error")).toBe("actor.not_found");
    expect(await response.json()).toMatchObject({ group: "actor", code: "not_found" });
    expect(ofType(await engine.events(), "UserError")[0].payload).toMatchObject({ status: 404, code: "actor.not_found" });
  });

  it("refuses bad API bodies and unknown routes with {group, code, message}", async () => {
    const missing = await engine.api("POST", "/actors", { key: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ group: "api", code: "invalid_body" });
    expect(missing.body.message).toMatch(/name/);
    expect((await engine.api("POST", "/actors", "{not json")).body).toMatchObject({ code: "invalid_body", message: "the body is not valid JSON" });
    expect((await engine.api("POST", "/actors", { name: "a", runner_name_selector: "r", crash_policy: "explode" })).status).toBe(400);
    expect((await engine.api("PUT", "/runner-configs/pool", { datacenters: { default: { serverless: { url: "not a url" } } } })).body).toMatchObject({ code: "invalid_body" });
    expect((await engine.api("GET", "/actors?namespace=elsewhere")).body).toMatchObject({ group: "namespace", code: "not_found" });
    expect((await engine.api("GET", "/actors")).body).toMatchObject({ code: "invalid_query" });
    expect((await engine.api("PATCH", "/actors")).status).toBe(405);
    expect((await engine.api("GET", "/actors/nowhere/else")).status).toBe(404);
  });
});

describe("faults: a runner disconnecting mid-request, endpoints that hang or answer garbage", () => {
  const timing = { runnerLostThresholdMs: 300, actorReadyTimeoutMs: 1_500, tunnelRetryBaseMs: 50, tunnelRetryAttempts: 2, backoffBaseMs: 100, backoffJitterMs: 10 };

  it("answers a request whose runner disconnects before responding with a coded 503", async () => {
    const engine = await startEngine({ engine: { demoActor: false, timing } });
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const test = await startRunner(engine.url, {
      fetch: () => {
        entered();
        return new Promise<Response>(() => undefined);
      },
    });
    try {
      await test.connected;
      const created = await engine.api("POST", "/actors", { name: "slow", runner_name_selector: "test-runner", crash_policy: "sleep" });
      const pending = fetch(`${engine.url}/gateway/${created.body.actor.actor_id}/`);
      await inHandler;
      await test.runner.shutdown(true);
      const response = await pending;
      expect(response.status).toBe(503);
      expect(response.headers.get("x-rivet-error")).toMatch(/^guard\./);
      const events = await engine.events();
      expect(ofType(events, "Lost").length).toBeGreaterThan(0);
      expect(ofType(events, "UserError")[0].payload).toMatchObject({ status: 503 });
    } finally {
      await engine.stop();
    }
  });

  async function faultyEndpoint(answer: (res: http.ServerResponse) => void) {
    let starts = 0;
    const server = http.createServer((_req, res) => {
      starts += 1;
      answer(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      get starts() {
        return starts;
      },
      close: () => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it("fails a hanging endpoint with a timeout, retries it with backoff, and reports the pool error to the gateway", async () => {
    const endpoint = await faultyEndpoint((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
    });
    const engine = await startEngine({ engine: { timing, startTimeoutMs: 300, defaultPool: { url: endpoint.url } } });
    try {
      const response = await fetch(`${engine.url}/gateway/demo/`);
      // As the real engine answers a failing pool (not a ready timeout).
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body).toMatchObject({ group: "guard", code: "actor_runner_failed" });
      expect(body.message).toMatch(/serverless endpoint failed: 504/);
      await waitFor("a retried /start", () => endpoint.starts >= 2);
      const failures = ofType(await engine.events(), "StartFailed");
      expect(failures[0]).toMatchObject({ from: { role: "ServerlessEndpoint" }, to: { role: "Serverless" }, payload: { status: 504 } });
    } finally {
      await engine.stop();
      await endpoint.close();
    }
  });

  it("fails an endpoint that answers garbage or an error status, and keeps retrying", async () => {
    let call = 0;
    const endpoint = await faultyEndpoint((res) => {
      call += 1;
      if (call === 1) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end("data: this is not base64!\n\n");
      } else {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("boom");
      }
    });
    const engine = await startEngine({ engine: { timing, defaultPool: { url: endpoint.url } } });
    try {
      await fetch(`${engine.url}/gateway/demo/`);
      const failures = await waitFor("two failed starts", async () => {
        const found = ofType(await engine.events(), "StartFailed");
        return found.length >= 2 ? found : null;
      });
      expect(failures[0].payload).toMatchObject({ status: 502, reason: expect.stringMatching(/not base64/) });
      expect(failures[1].payload).toMatchObject({ status: 500, reason: expect.stringMatching(/boom/) });
      expect((await engine.api("GET", "/metadata")).status).toBe(200);
    } finally {
      await engine.stop();
      await endpoint.close();
    }
  });
});
