// An actor's alarm survives a restart: it is stored with the actor (epoch ms), and a restarted
// server arms it again, so the sleeping actor still wakes at its alarm, with no request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "@/server";
import { loadEngineState } from "@/lib/store/engine-state";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { loadEvents } from "@/lib/store/trace-store";
import { startRunner, waitFor, type TestRunner } from "./helpers";

describe("alarms across a restart", () => {
  let temp: TempDb;
  let server: RunningServer | null = null;
  let runner: TestRunner | null = null;

  const start = () => startServer({ port: 0, hostname: "127.0.0.1", ui: false, databaseUrl: temp.url, engine: { defaultPool: null } });

  beforeAll(async () => {
    temp = await createTempDb();
  });
  afterAll(async () => {
    await runner?.runner.shutdown(true).catch(() => undefined);
    await server?.close();
    await temp.cleanup();
  });

  it("stores a sleeping actor's alarm and wakes the actor at it after the restart", { timeout: 60_000 }, async () => {
    server = await start();
    runner = await startRunner(server.url, { runnerName: "alarmed" });
    await runner.connected;
    const created = await fetch(`${server.url}/actors?namespace=default`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "a", key: "k", runner_name_selector: "alarmed", crash_policy: "sleep" }),
    });
    const actorId = ((await created.json()) as { actor: { actor_id: string } }).actor.actor_id;
    await waitFor("the actor to start", () => runner!.starts.length === 1);
    // Far enough ahead that the first server is gone before it is due, even on a loaded machine.
    const alarmAt = Date.now() + 8_000;
    runner.runner.setAlarm(actorId, alarmAt);
    runner.runner.sleepActor(actorId);
    await waitFor("the actor to sleep", () => runner!.stops.length === 1);
    // The alarm is stored as soon as it is set, while the actor is still awake; then the sleep.
    const stored = await waitFor("the alarm and the sleep to be stored", async () =>
      (await loadEngineState(temp.db, "default")).actors.find((a) => a.actorId === actorId && a.alarmTs !== null && a.state !== "awake"),
    );
    expect(stored.state).toBe("sleeping");
    expect(Math.abs(stored.alarmTs! - alarmAt)).toBeLessThanOrEqual(1);

    await runner.runner.shutdown(true);
    await server.close();
    expect(Date.now()).toBeLessThan(alarmAt);

    server = await start();
    runner = await startRunner(server.url, { runnerName: "alarmed" });
    await runner.connected;
    await waitFor("the restored alarm to wake the actor", () => runner!.starts.some((s) => s.actorId === actorId), 30_000);
    expect(Date.now()).toBeGreaterThanOrEqual(alarmAt);
    await server.session.flush();
    const events = await loadEvents(temp.db, server.session.runId);
    expect(events.filter((e) => e.type === "alarm-restored" && e.actorId === actorId)).toHaveLength(1);
    expect(events.filter((e) => e.type === "alarm-wake" && e.actorId === actorId)).toHaveLength(1);
    expect(events.filter((e) => e.type === "UserRequest")).toHaveLength(0);
    // The alarm acted as a wake and is cleared by it: stored as none.
    await waitFor("the cleared alarm to be stored", async () => (await loadEngineState(temp.db, "default")).actors.find((a) => a.actorId === actorId)?.alarmTs === null);
  });

  it("stores an alarm that came due while the actor was awake as none, so a restart does not wake it again", async () => {
    const created = await fetch(`${server!.url}/actors?namespace=default`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "a", key: "awake", runner_name_selector: "alarmed", crash_policy: "sleep" }),
    });
    const actorId = ((await created.json()) as { actor: { actor_id: string } }).actor.actor_id;
    await waitFor("the actor to start", () => runner!.starts.some((s) => s.actorId === actorId));
    const stored = () => loadEngineState(temp.db, "default").then((state) => state.actors.find((a) => a.actorId === actorId));
    runner!.runner.setAlarm(actorId, Date.now() + 300);
    await waitFor("the alarm to be stored", async () => (await stored())?.alarmTs != null);
    await waitFor("the alarm to come due", async () => {
      await server!.session.flush();
      return (await loadEvents(temp.db, server!.session.runId)).some((e) => e.type === "alarm-due" && e.actorId === actorId);
    });
    await waitFor("the cleared alarm to be stored", async () => (await stored())?.alarmTs === null);
  });
});
