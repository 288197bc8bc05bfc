// A runner that reconnects with the same runner_key within the lost threshold keeps its runner id,
// and the commands it never acknowledged are sent again. Spoken with raw protocol frames, so the
// test controls exactly what the runner received and acknowledged.
import { WebSocket } from "ws";
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codec, loadRunnerPackages } from "@/lib/transport/codec";
import { startEngine, waitFor, type TestEngine } from "./helpers";

interface RawRunner {
  ws: WebSocket;
  frames: protocol.ToClient[];
  send(frame: protocol.ToServer): void;
  closed: Promise<number>;
}

function rawRunner(engine: TestEngine, runnerKey: string): Promise<RawRunner> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${engine.url.replace("http", "ws")}/runners/connect?protocol_version=7&namespace=default&runner_key=${runnerKey}`, ["rivet"]);
    const frames: protocol.ToClient[] = [];
    const closed = new Promise<number>((done) => ws.on("close", (code) => done(code)));
    ws.on("message", (data) => {
      const frame = codec().decodeToClient(new Uint8Array(data as Buffer));
      frames.push(frame);
      if (frame.tag === "ToClientPing") ws.send(codec().encodeToServer({ tag: "ToServerPong", val: { ts: frame.val.ts } }));
    });
    ws.once("open", () => resolve({ ws, frames, closed, send: (frame) => ws.send(codec().encodeToServer(frame)) }));
    ws.once("error", reject);
  });
}

const INIT: protocol.ToServer = { tag: "ToServerInit", val: { name: "raw-runner", version: 1, totalSlots: 2, prepopulateActorNames: null, metadata: null } };
const initOf = (runner: RawRunner) => runner.frames.find((f) => f.tag === "ToClientInit")?.val as protocol.ToClientInit | undefined;
const startsOf = (runner: RawRunner) =>
  runner.frames.flatMap((f) => (f.tag === "ToClientCommands" ? f.val.filter((c) => c.inner.tag === "CommandStartActor") : []));

describe("runner reconnects", () => {
  let engine: TestEngine;

  beforeAll(async () => {
    await loadRunnerPackages();
    engine = await startEngine({ engine: { demoActor: false } });
  });
  afterAll(async () => engine?.stop());

  it("keeps the runner id and re-sends the unacknowledged StartActor; the actor then runs", async () => {
    const first = await rawRunner(engine, "key-1");
    first.send(INIT);
    const init = await waitFor("ToClientInit", () => initOf(first));
    expect(init.metadata.actorStopThreshold).toBeGreaterThan(0n);

    const created = await engine.api("POST", "/actors", { name: "worker", key: "w", runner_name_selector: "raw-runner", crash_policy: "sleep" });
    const actorId: string = created.body.actor.actor_id;
    const start = await waitFor("StartActor", () => startsOf(first)[0]);
    expect(start.checkpoint).toMatchObject({ actorId, generation: 1, index: 0n });
    expect(start.inner.val).toMatchObject({ config: { name: "worker", key: "w" } });

    // The connection drops before the runner acknowledged or answered anything.
    first.ws.terminate();
    await first.closed;

    const second = await rawRunner(engine, "key-1");
    second.send(INIT);
    const again = await waitFor("ToClientInit again", () => initOf(second));
    expect(again.runnerId).toBe(init.runnerId);
    const resent = await waitFor("the StartActor again", () => startsOf(second)[0]);
    expect(resent.checkpoint).toMatchObject({ actorId, generation: 1, index: 0n });

    second.send({ tag: "ToServerAckCommands", val: { lastCommandCheckpoints: [resent.checkpoint] } });
    const running: protocol.EventWrapper = { checkpoint: { actorId, generation: 1, index: 0n }, inner: { tag: "EventActorStateUpdate", val: { state: { tag: "ActorStateRunning", val: null } } } };
    second.send({ tag: "ToServerEvents", val: [running] });
    // Runners re-send unacknowledged events after every init: the duplicate is ignored.
    second.send({ tag: "ToServerEvents", val: [running] });
    await waitFor("the actor to run", () => engine.session.runtime.world.actors.get(actorId)?.state === "Running");
    const ack = await waitFor("the event ack", () => second.frames.find((f) => f.tag === "ToClientAckEvents"));
    expect(ack.val).toEqual({ lastEventCheckpoints: [{ actorId, generation: 1, index: 0n }] });
    const events = await engine.events();
    expect(events.filter((e) => e.type === "EventActorStateUpdate" && e.from?.role === "Runner")).toHaveLength(1);
    expect(events.some((e) => e.type === "duplicate-events")).toBe(true);
    expect(events.some((e) => e.type === "resend-commands")).toBe(true);
    second.ws.close();
  });

  it("gives a different runner key its own runner id", async () => {
    const other = await rawRunner(engine, "key-2");
    other.send(INIT);
    const init = await waitFor("ToClientInit", () => initOf(other));
    const first = engine.session.runtime.world.runnerByKey.get("default/raw-runner/key-1");
    expect(init.runnerId).not.toBe(first);
    other.ws.close();
  });
});
