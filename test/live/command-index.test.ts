// What the recording says a command's checkpoint is, is what the runner got: the actor workflow
// numbers its commands per generation (StartActor 0, StopActor 1, as the real engine does), and
// every hop of the command (AWF → RWF → RWS → Runner) is recorded with the index on the wire.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Checkpoint } from "@/lib/engine/messages";
import { startEngine, waitFor, type TestEngine } from "./helpers";
import { initialisedRawRunner, runningEvent } from "./raw-runner";

const commandsOf = (frames: protocol.ToClient[]) => frames.flatMap((f) => (f.tag === "ToClientCommands" ? f.val : []));

describe("command checkpoints", () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it("records StartActor and StopActor with the index the runner received, through two sleeps", async () => {
    const runner = await initialisedRawRunner(engine.url, "command-index", "index-pool");
    const created = await engine.api("POST", "/actors?namespace=default", { name: "idx", key: "i", runner_name_selector: "index-pool", crash_policy: "sleep" });
    const actorId: string = created.body.actor.actor_id;
    const actor = () => engine.session.runtime.world.actors.get(actorId);

    for (const generation of [1, 2]) {
      // A request wakes it; the raw runner never answers it, and the engine's stop drops it.
      if (generation === 2) void engine.api("GET", `/gateway/${actorId}/`).catch(() => undefined);
      const start = await waitFor(`StartActor ${generation}`, () => commandsOf(runner.frames).find((c) => c.inner.tag === "CommandStartActor" && c.checkpoint.generation === generation));
      runner.send({ tag: "ToServerAckCommands", val: { lastCommandCheckpoints: [start.checkpoint] } });
      runner.send({ tag: "ToServerEvents", val: [runningEvent(actorId, generation, 0n)] });
      await waitFor("the actor to run", () => actor()?.state === "Running");
      runner.send({
        tag: "ToServerEvents",
        val: [{ checkpoint: { actorId, generation, index: 1n }, inner: { tag: "EventActorIntent", val: { intent: { tag: "ActorIntentSleep", val: null } } } }],
      });
      const stop = await waitFor(`StopActor ${generation}`, () => commandsOf(runner.frames).find((c) => c.inner.tag === "CommandStopActor" && c.checkpoint.generation === generation));
      runner.send({ tag: "ToServerAckCommands", val: { lastCommandCheckpoints: [stop.checkpoint] } });
      runner.send({
        tag: "ToServerEvents",
        val: [{ checkpoint: { actorId, generation, index: 2n }, inner: { tag: "EventActorStateUpdate", val: { state: { tag: "ActorStateStopped", val: { code: "Ok" as protocol.StopCode, message: null } } } } }],
      });
      await waitFor("the actor to sleep", () => actor()?.state === "Sleeping");
    }

    const sent = commandsOf(runner.frames).map((c) => `${c.inner.tag} g${c.checkpoint.generation} i${c.checkpoint.index}`);
    expect(sent).toEqual(["CommandStartActor g1 i0", "CommandStopActor g1 i1", "CommandStartActor g2 i0", "CommandStopActor g2 i1"]);
    const events = await engine.events();
    const recorded = events
      .filter((e) => (e.type === "CommandStartActor" || e.type === "CommandStopActor") && e.actorId === actorId)
      .map((e) => {
        const { checkpoint } = e.payload as { checkpoint: Checkpoint };
        return { hop: `${e.from?.role}>${e.to?.role}`, command: `${e.type} g${checkpoint.generation} i${checkpoint.index}` };
      });
    // Each command on each of its three hops, all with the index that was sent.
    expect(recorded.map((r) => r.hop)).toEqual(expect.arrayContaining(["ActorWorkflow>RunnerWorkflow", "RunnerWorkflow>RunnerWS", "RunnerWS>Runner"]));
    for (const command of sent) expect(recorded.filter((r) => r.command === command)).toHaveLength(3);
    expect(recorded).toHaveLength(12);
  });
});
