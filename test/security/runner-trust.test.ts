// Runners are trusted only for what they were given: a tunnel response is taken only from the
// runner the request was sent to, KV only for the actors placed on the runner asking, and with a
// token on, a runner token fixes the name (and highest version) a runner may announce.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runnerToken } from "@/lib/auth/runner-tokens";
import { loadRunnerPackages } from "@/lib/transport/codec";
import { expectGatewayServed } from "./served-actor";
import { startEngine, startRunner, waitFor, type TestEngine } from "../live/helpers";
import { initFrame, initOf, rawRunner, runningEvent, startsOf, type RawRunner } from "../live/raw-runner";

const TOKEN = "runner-trust-token";

/** A raw runner that takes its StartActor and reports the actor running. */
async function hostActor(engine: TestEngine, runner: RawRunner, pool: string, key: string): Promise<string> {
  const created = await engine.api("POST", "/actors", { name: "worker", key, runner_name_selector: pool, crash_policy: "sleep" });
  const actorId: string = created.body.actor.actor_id;
  const start = await waitFor("StartActor", () => startsOf(runner).find((c) => c.checkpoint.actorId === actorId));
  runner.send({ tag: "ToServerAckCommands", val: { lastCommandCheckpoints: [start.checkpoint] } });
  runner.send({ tag: "ToServerEvents", val: [runningEvent(actorId, start.checkpoint.generation, 0n)] });
  await waitFor("the actor to run", () => engine.session.runtime.world.actors.get(actorId)?.state === "Running");
  return actorId;
}

const requestStarts = (runner: RawRunner) =>
  runner.frames.flatMap((f) => (f.tag === "ToClientTunnelMessage" && f.val.messageKind.tag === "ToClientRequestStart" ? [f.val] : []));

function responseFrame(messageId: protocol.MessageId, body: string): protocol.ToServer {
  return {
    tag: "ToServerTunnelMessage",
    val: {
      messageId,
      messageKind: { tag: "ToServerResponseStart", val: { status: 200, headers: new Map([["content-type", "text/plain"]]), body: new TextEncoder().encode(body).buffer as ArrayBuffer, stream: false } },
    },
  };
}

function kvGet(actorId: string, requestId: number): protocol.ToServer {
  return { tag: "ToServerKvRequest", val: { actorId, requestId, data: { tag: "KvGetRequest", val: { keys: [new TextEncoder().encode("state").buffer as ArrayBuffer] } } } };
}

const kvAnswer = (runner: RawRunner, requestId: number) =>
  runner.frames.find((f) => f.tag === "ToClientKvResponse" && f.val.requestId === requestId)?.val as protocol.ToClientKvResponse | undefined;

describe("a runner answers only for what it was given", () => {
  let engine: TestEngine;
  let owner: RawRunner;
  let impostor: RawRunner;
  let actorId: string;

  beforeAll(async () => {
    await loadRunnerPackages();
    engine = await startEngine({ engine: { demoActor: false } });
    owner = await rawRunner(engine.url, "owner-key");
    owner.send(initFrame("pool-a"));
    await waitFor("the owner's init", () => initOf(owner));
    impostor = await rawRunner(engine.url, "impostor-key");
    impostor.send(initFrame("pool-b"));
    await waitFor("the impostor's init", () => initOf(impostor));
    actorId = await hostActor(engine, owner, "pool-a", "trusted");
  });
  afterAll(async () => {
    owner?.ws.close();
    impostor?.ws.close();
    await engine?.stop();
  });

  it("drops and records a tunnel response from a runner the request was not sent to", async () => {
    const answer = fetch(`${engine.url}/gateway/${actorId}/secret`, { headers: { authorization: "Bearer user-secret" } });
    const start = await waitFor("the request on the owner's tunnel", () => requestStarts(owner)[0]);
    // The impostor names the very tunnel id the owner was given (counters are easy to guess).
    impostor.send(responseFrame(start.messageId, "forged"));
    await waitFor("the rejected frame", async () => (await engine.events()).find((e) => e.type === "rejected-frame"));
    owner.send(responseFrame(start.messageId, "genuine"));
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("genuine");
    const rejected = (await engine.events()).filter((e) => e.type === "rejected-frame");
    expect(rejected).toHaveLength(1);
    expect(rejected[0].actorId).toBe(actorId);
    expect(rejected[0].label).toContain("ToServerResponseStart");
    // The impostor never saw the request, its headers included.
    expect(requestStarts(impostor)).toHaveLength(0);
  });

  it("serves KV only to the runner the actor is placed on", async () => {
    impostor.send(kvGet(actorId, 7));
    const refused = await waitFor("the impostor's KV answer", () => kvAnswer(impostor, 7));
    expect(refused.data.tag).toBe("KvErrorResponse");
    expect(refused.data.tag === "KvErrorResponse" && refused.data.val.message).toContain("not allocated to this runner");
    owner.send(kvGet(actorId, 8));
    const served = await waitFor("the owner's KV answer", () => kvAnswer(owner, 8));
    expect(served.data.tag).toBe("KvGetResponse");
  });
});

describe("runner tokens fix the name and version a runner may announce", () => {
  let engine: TestEngine;

  beforeAll(async () => {
    await loadRunnerPackages();
    engine = await startEngine({ engine: { demoActor: false }, security: { token: TOKEN } });
  });
  afterAll(async () => engine?.stop());

  it("admits the runner it names, up to its version", async () => {
    const runner = await rawRunner(engine.url, "scoped-1", { token: runnerToken(TOKEN, { name: "pool-a", maxVersion: 3 }) });
    runner.send(initFrame("pool-a", 3));
    expect(await waitFor("ToClientInit", () => initOf(runner))).toBeTruthy();
    runner.ws.close();
  });

  it("serves a real runner (@rivetkit/engine-runner) that connects with its runner token", async () => {
    const runner = await startRunner(engine.url, { runnerName: "pool-a", token: runnerToken(TOKEN, { name: "pool-a", maxVersion: 1 }) });
    try {
      await runner.connected;
      await expectGatewayServed(engine.url, TOKEN, "pool-a", "real");
    } finally {
      await runner.runner.shutdown(true);
    }
  });

  it("closes a connection that announces another name, or a higher version, with a coded reason", async () => {
    const token = runnerToken(TOKEN, { name: "pool-a", maxVersion: 3 });
    const otherName = await rawRunner(engine.url, "scoped-2", { token });
    otherName.send(initFrame("pool-b", 1));
    expect(await otherName.closed).toEqual({ code: 1008, reason: "ws.runner_not_permitted" });
    const higher = await rawRunner(engine.url, "scoped-3", { token });
    higher.send(initFrame("pool-a", 4));
    expect(await higher.closed).toEqual({ code: 1008, reason: "ws.runner_not_permitted" });
    expect(initOf(otherName)).toBeUndefined();
    expect(initOf(higher)).toBeUndefined();
    const refusals = (await engine.events()).filter((e) => e.type === "connection-refused" && e.label.includes("ws.runner_not_permitted"));
    expect(refusals).toHaveLength(2);
  });

  it("refuses a runner token anywhere but a runner connection, and a forged one everywhere", async () => {
    const token = runnerToken(TOKEN, { name: "pool-a", maxVersion: null });
    const api = await fetch(`${engine.url}/actors?namespace=default&name=worker`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(403);
    expect((await api.json()).code).toBe("forbidden");
    const forged = runnerToken("another-server-token", { name: "pool-a", maxVersion: null });
    await expect(rawRunner(engine.url, "forged", { token: forged })).rejects.toThrow(/403/);
  });
});
