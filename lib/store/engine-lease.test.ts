// One engine per namespace and database, on both providers: a second engine is refused with a
// coded error naming the first, and takes over once the first is gone (released, or its process
// killed). The PostgreSQL run (vitest.postgres.config.ts) runs this file against a real server.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireEngineLease, type EngineLease } from "./engine-lease";
import { StoreError } from "./errors";
import { projectRoot } from "./location";
import { createTempDb, onPostgres, type TempDb } from "./testing/temp-db";

let temp: TempDb;
beforeAll(async () => {
  temp = await createTempDb();
});
afterAll(() => temp.cleanup());

function holdInChild(namespace: string): Promise<ChildProcess> {
  // `node --import tsx` rather than the tsx CLI, which would run the script in a grandchild that a
  // kill of the child leaves running.
  const child = spawn(process.execPath, ["--import", "tsx", "lib/store/testing/hold-lease.ts", temp.url, namespace], {
    cwd: projectRoot(),
    env: process.env,
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      if (out.includes("held")) resolve(child);
    });
    child.stderr!.on("data", (chunk) => (err += chunk));
    child.on("exit", (code) => reject(new Error(`holder exited (${code}): ${err}`)));
  });
}

async function refusal(namespace: string): Promise<StoreError> {
  const err = await acquireEngineLease(temp.db, namespace).then(
    async (lease) => {
      await lease.release();
      return new Error("the lease was granted");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe(`the engine lease (${onPostgres ? "postgresql" : "sqlite"})`, () => {
  it("refuses a second engine on the same namespace, naming the first, and lets it start once released", async () => {
    const first = await acquireEngineLease(temp.db, "default");
    const err = await refusal("default");
    expect(err.code).toBe("engine_already_running");
    expect(err.message).toContain(`owner ${os.hostname()}:${process.pid}`);
    // Another namespace is another engine's business.
    const other = await acquireEngineLease(temp.db, "staging");
    await other.release();
    await first.release();
    await first.release(); // idempotent
    const second = await acquireEngineLease(temp.db, "default");
    await second.release();
  });

  it("is taken over when the holding process is killed", async () => {
    const child = await holdInChild("killed");
    try {
      const err = await refusal("killed");
      expect(err.message).toContain(`owner ${os.hostname()}:${child.pid}`);
    } finally {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("close", resolve));
    }
    let lease: EngineLease | null = null;
    // PostgreSQL frees the lock when it sees the connection close, a moment after the kill.
    for (let i = 0; i < 50 && !lease; i++) {
      lease = await acquireEngineLease(temp.db, "killed").catch(() => null);
      if (!lease) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(lease?.owner).toContain(`${os.hostname()}:${process.pid}:`);
    await lease?.release();
  }, 30_000);

  it.skipIf(onPostgres)(
    "on SQLite, takes over a lease whose holder on another host stopped its heartbeat, not one that keeps it",
    async () => {
      const now = Date.now();
      await temp.db.engineLease.create({ data: { namespace: "remote", owner: "elsewhere:42:t:l", acquiredAt: new Date(now), heartbeatAt: new Date(now) } });
      expect((await refusal("remote")).message).toContain("owner elsewhere:42");
      await temp.db.engineLease.update({ where: { namespace: "remote" }, data: { heartbeatAt: new Date(now - 60_000) } });
      const lease = await acquireEngineLease(temp.db, "remote", { staleMs: 20_000 });
      await lease.release();
    },
  );

  it.runIf(onPostgres)("on PostgreSQL, tells the holder when its lock connection is lost, and frees the namespace", async () => {
    let lost: StoreError | null = null;
    const lease = await acquireEngineLease(temp.db, "dropped", { onLost: (err) => (lost = err) });
    await temp.db.$executeRawUnsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wakeline-engine:dropped'`);
    for (let i = 0; i < 50 && !lost; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lost).toMatchObject({ code: "engine_lease_lost" });
    const next = await acquireEngineLease(temp.db, "dropped");
    await next.release();
    await lease.release();
  });
});
