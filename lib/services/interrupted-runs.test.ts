import { spawnSync } from "node:child_process";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecorder } from "@/lib/recorder";
import { loadScenario, runScenario } from "@/lib/runtime";
import type { Db } from "@/lib/store/db";
import { HEARTBEAT_STALE_MS } from "@/lib/store/run-owner";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { findRun, loadCycles } from "@/lib/store/trace-store";
import { CLI_INTERRUPTED_ERROR, SERVER_INTERRUPTED_ERROR, closeInterruptedRuns } from "./interrupted-runs";

let temp: TempDb;
let db: Db;
beforeAll(async () => {
  temp = await createTempDb();
  db = temp.db;
});
afterAll(() => temp.cleanup());

/** A run this process recorded part of, then left running. */
async function unfinishedRun(name: string): Promise<string> {
  const recorder = createRecorder(db, { name, source: "scenario", seed: 1 });
  await runScenario(loadScenario("ideal"), { seed: 1, sink: (event) => recorder.record(event) });
  await recorder.flush();
  return recorder.run.id;
}

/** A pid that no process has any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

async function setOwner(runId: string, owner: string, kind: "server" | "cli", heartbeatAt = new Date()) {
  await db.run.update({ where: { id: runId }, data: { owner, ownerKind: kind, heartbeatAt } });
}

describe("closeInterruptedRuns", () => {
  it("leaves runs alone while their recording process lives: this one, or another that still beats", async () => {
    const mine = await unfinishedRun("mine");
    const other = await unfinishedRun("another live process");
    await setOwner(other, `${os.hostname()}:${process.ppid}:sometoken`, "cli");
    const remote = await unfinishedRun("another host");
    await setOwner(remote, "elsewhere:1234:token", "server");

    expect(await closeInterruptedRuns(db)).toEqual([]);
    for (const id of [mine, other, remote]) expect((await findRun(db, id))?.status).toBe("running");
  });

  it("ends a run whose process died as interrupted, with words that fit a CLI or a server, and keeps its events", async () => {
    const cli = await unfinishedRun("cli run");
    await setOwner(cli, `${os.hostname()}:${deadPid()}:token`, "cli");
    const server = await unfinishedRun("server run");
    await setOwner(server, "elsewhere:99:token", "server", new Date(Date.now() - HEARTBEAT_STALE_MS - 1_000));

    expect((await closeInterruptedRuns(db)).sort()).toEqual([cli, server].sort());
    const closedCli = await findRun(db, cli);
    expect(closedCli).toMatchObject({ status: "interrupted", error: CLI_INTERRUPTED_ERROR });
    expect(closedCli?.eventCount).toBeGreaterThan(0);
    expect(closedCli?.endedAt).not.toBeNull();
    expect(await findRun(db, server)).toMatchObject({ status: "interrupted", error: SERVER_INTERRUPTED_ERROR });
    expect((await loadCycles(db, cli)).map((cycle) => cycle.actorId)).toEqual(["actor-1"]);
    // Nothing left to close the second time.
    expect(await closeInterruptedRuns(db)).toEqual([]);
  });

  it("never touches a finished run", async () => {
    const recorder = createRecorder(db, { name: "done", source: "scenario", seed: 1 });
    await runScenario(loadScenario("ideal"), { seed: 1, sink: (event) => recorder.record(event) });
    await recorder.finish();
    await closeInterruptedRuns(db);
    expect((await findRun(db, recorder.run.id))?.status).toBe("finished");
  });
});
