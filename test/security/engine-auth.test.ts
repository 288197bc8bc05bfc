// With a token set, the engine API, runner WebSockets and serverless /start need it — in the
// platform's own conventions, so real clients work unchanged with it — while gateway traffic, as on
// the real engine, does not. A refused attempt is answered with a code and recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { expectGatewayServed } from "./served-actor";
import { startEngine, startRunner, waitFor, type TestEngine } from "../live/helpers";

const TOKEN = "s3cret-token-for-tests";

/** The HTTP answer to a WebSocket upgrade that is refused. */
function upgradeAnswer(url: string, protocols: string[]): Promise<{ status: number; body: string } | "open"> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.on("open", () => {
      socket.close();
      resolve("open");
    });
    socket.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.on("error", (err) => (err.message.includes("Unexpected server response") ? undefined : reject(err)));
  });
}

describe("a server with a token", () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startEngine({ security: { token: TOKEN } });
  });
  afterAll(() => engine?.stop());

  const apiWith = (headers: Record<string, string>) => fetch(`${engine.url}/actors?namespace=default&name=demo&key=demo`, { headers });

  it("refuses engine API calls without the token (401) or with a wrong one (403), and records the attempt", async () => {
    const missing = await apiWith({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ group: "api", code: "unauthorized" });
    const wrong = await apiWith({ authorization: "Bearer nope" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ group: "api", code: "forbidden" });
    const right = await apiWith({ authorization: `Bearer ${TOKEN}` });
    expect(right.status).toBe(200);
    expect(((await right.json()) as { actors: unknown[] }).actors).toHaveLength(1);

    const refused = (await engine.events()).filter((event) => event.kind === "note" && event.label.startsWith("Refused: engine API call"));
    expect(refused.map((event) => event.label)).toEqual([
      "Refused: engine API call GET /actors without a token refused",
      "Refused: engine API call GET /actors with a wrong token refused",
    ]);
    // The wrong token itself is never recorded.
    expect(JSON.stringify(await engine.events())).not.toContain("nope");
  });

  it("refuses runner connections without the token or with a wrong one", async () => {
    const url = `${engine.url.replace("http", "ws")}/runners/connect?protocol_version=7&namespace=default&runner_key=k1`;
    expect(await upgradeAnswer(url, ["rivet"])).toMatchObject({ status: 401 });
    const wrong = await upgradeAnswer(url, ["rivet", "rivet_token.wrong"]);
    expect(wrong).toMatchObject({ status: 403 });
    expect(JSON.parse((wrong as { body: string }).body)).toMatchObject({ code: "forbidden" });
  });

  it("serves a real runner that connects with the token, and gateway traffic without one", async () => {
    const runner = await startRunner(engine.url, { runnerName: "trusted", token: TOKEN });
    try {
      await runner.connected;
      await expectGatewayServed(engine.url, TOKEN, "trusted", "k");
    } finally {
      await runner.runner.shutdown(true);
    }
  });

  it("refuses a serverless /start without the token, while the engine's own /start (with it) starts the demo runner", async () => {
    const start = await fetch(`${engine.url}/api/serverless/start`, {
      headers: { "x-rivet-endpoint": engine.url, "x-rivet-namespace-name": "default", "x-rivet-runner-name": "default", "x-rivet-total-slots": "1" },
    });
    expect(start.status).toBe(401);
    // The demo actor wakes through the built-in endpoint: the engine sends its token on /start, and
    // the runner started there connects with it.
    const answer = await fetch(`${engine.url}/gateway/demo/`);
    expect(answer.status).toBe(200);
    await waitFor("the demo actor to run", () => engine.session.runtime.world.actors.get("demo")?.state === "Running");
  });
});
