// The embedded engine's gateway answers an unknown actor as the real engine's guard does: the same
// status, x-rivet-error and {group, code} (the bare code, which rivetkit compares). The real engine
// needs a well-formed id, so the unknown id is a created actor's id with one character changed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRealEngine, type RealEngine } from "@/lib/proxy/testing/real-engine";
import { startEngine, type TestEngine } from "../live/helpers";

async function answerOf(url: string) {
  const response = await fetch(url);
  const body = (await response.json()) as { group: string; code: string; message: string };
  return { status: response.status, error: response.headers.get("x-rivet-error"), group: body.group, code: body.code, hasMessage: typeof body.message === "string" && body.message !== "" };
}

describe("gateway errors: the embedded engine and the real one", () => {
  let real: RealEngine;
  let embedded: TestEngine;
  let unknownId: string;

  beforeAll(async () => {
    [real, embedded] = await Promise.all([startRealEngine(), startEngine({ engine: { demoActor: false } })]);
    expect((await real.api("PUT", "/runner-configs/idle?namespace=default", { datacenters: { default: { normal: {} } } })).status).toBe(200);
    const created = await real.api("POST", "/actors?namespace=default", { name: "t", key: "k", runner_name_selector: "idle", crash_policy: "sleep" });
    expect(created.status).toBe(200);
    const id: string = created.body.actor.actor_id;
    unknownId = `${id.slice(0, 5)}${id[5] === "a" ? "b" : "a"}${id.slice(6)}`;
  }, 60_000);
  afterAll(async () => {
    await real?.stop();
    await embedded?.stop();
  });

  it("an unknown actor: 404 actor.not_found on both", async () => {
    const [theirs, ours] = await Promise.all([answerOf(`${real.url}/gateway/${unknownId}/x`), answerOf(`${embedded.url}/gateway/${unknownId}/x`)]);
    expect(theirs).toEqual({ status: 404, error: "actor.not_found", group: "actor", code: "not_found", hasMessage: true });
    expect(ours).toEqual(theirs);
  });
});
