// Users' credentials, runner keys and tokens never reach the recording (and so no export or share
// link): the actor still receives the real headers, the database holds "[redacted]". Recording
// secrets is an explicit opt-out, and the run says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDACTED } from "@/lib/auth/redact";
import { exportRun } from "@/lib/services/bundles";
import { findRun } from "@/lib/store/trace-store";
import { startEngine, startRunner, type TestEngine, type TestRunner } from "../live/helpers";

const SECRETS = {
  authorization: "Bearer user-secret-1",
  cookie: "session=user-secret-2",
  "x-rivet-token": "user-secret-3",
};

async function exercise(engine: TestEngine): Promise<{ runner: TestRunner; seen: Record<string, string | null> }> {
  let seen: Record<string, string | null> = {};
  const runner = await startRunner(engine.url, {
    runnerName: "secretive",
    fetch: async (_r, actorId, _g, _rid, request) => {
      seen = Object.fromEntries(Object.keys(SECRETS).map((name) => [name, request.headers.get(name)]));
      return new Response(JSON.stringify({ actorId }), { headers: { "set-cookie": "answer=user-secret-4", "content-type": "application/json" } });
    },
  });
  await runner.connected;
  const created = await engine.api("POST", "/actors?namespace=default", { name: "s", key: "k", runner_name_selector: "secretive", crash_policy: "sleep" });
  const actorId = created.body.actor.actor_id as string;
  const answer = await fetch(`${engine.url}/gateway/${actorId}/page?token=user-secret-5&x=1`, { headers: SECRETS });
  expect(answer.status).toBe(200);
  expect(answer.headers.get("set-cookie")).toBe("answer=user-secret-4");
  return { runner, seen };
}

describe("recorded traffic", () => {
  let engine: TestEngine;
  let runner: TestRunner;
  let seen: Record<string, string | null>;
  beforeAll(async () => {
    engine = await startEngine();
    ({ runner, seen } = await exercise(engine));
  });
  afterAll(async () => {
    await runner?.runner.shutdown(true);
    await engine?.stop();
  });

  it("reaches the actor with the real credentials (x-rivet-token is the gateway's own, consumed there as on the real engine)", () => {
    expect(seen).toEqual({ authorization: SECRETS.authorization, cookie: SECRETS.cookie, "x-rivet-token": null });
  });

  it("is recorded with every credential, runner key and URL token redacted, in the database and in exports", async () => {
    const events = await engine.events();
    const text = JSON.stringify(events);
    for (let i = 1; i <= 5; i++) expect(text, `user-secret-${i}`).not.toContain(`user-secret-${i}`);
    const request = events.find((event) => event.type === "UserRequest" && event.from?.role === "User")!;
    expect(request.payload).toMatchObject({ headers: { authorization: REDACTED, cookie: REDACTED } });
    expect((request.payload as { path: string }).path).toContain(`token=${REDACTED}`);
    const init = events.find((event) => event.type === "ToServerInit" && (event.payload as { name?: string }).name === "secretive")!;
    expect(init.payload).toMatchObject({ runnerKey: REDACTED });
    const bundle = JSON.stringify(await exportRun(engine.temp.db, engine.session.runId));
    expect(bundle).not.toContain("user-secret");
    expect((await findRun(engine.temp.db, engine.session.runId))?.config).toMatchObject({ recording: { secretsRedacted: true } });
  });
});

describe("recording secrets for local debugging", () => {
  it("is an explicit opt-out that the run's details show", async () => {
    const engine = await startEngine({ security: { recordSecrets: true } });
    const { runner } = await exercise(engine);
    try {
      expect(JSON.stringify(await engine.events())).toContain("user-secret-1");
      expect((await findRun(engine.temp.db, engine.session.runId))?.config).toMatchObject({ recording: { secretsRedacted: false } });
    } finally {
      await runner.runner.shutdown(true);
      await engine.stop();
    }
  });
});
