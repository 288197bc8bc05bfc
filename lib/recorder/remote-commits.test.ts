// Several instances on one PostgreSQL: a recorder's commit is announced on the commit channel, and
// a process following the channel wakes its streams on the commits of other processes (never on its
// own, which reach its commit bus directly). PostgreSQL run only (vitest.postgres.config.ts).
import type { Client } from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMIT_CHANNEL, PROCESS_COMMIT_TAG } from "../store/commit-channel";
import { eventWriterFor } from "../store/event-writer";
import { eventToRow } from "../store/mappers";
import { connectPgClient } from "../store/pg-connection";
import { createTempDb, onPostgres, type TempDb } from "../store/testing/temp-db";
import { insertRun } from "../store/trace-store";
import { TraceBuilder } from "../trace/testing/trace-builder";
import { requestToSleepingActor, sleepingActor } from "../trace/testing/flows";
import type { RunInfo } from "../trace/types";
import { onCommitted, type CommitNotice } from "./commit-bus";
import { followRemoteCommits } from "./remote-commits";

let temp: TempDb;
let other: Client | null = null;
beforeEach(async () => {
  if (!onPostgres) return;
  temp = await createTempDb();
  other = await connectPgClient(temp.url, "another-instance");
});
afterEach(async () => {
  await other?.end();
  other = null;
  await temp?.cleanup();
});

const run: RunInfo = {
  id: "r-remote", name: "remote", source: "live", seed: null, config: null, status: "running", error: null,
  eventCount: 0, startedAt: new Date().toISOString(), endedAt: null,
};

/** The next notification `client` receives on the commit channel. */
function nextNotice(client: Client): Promise<string> {
  return new Promise((resolve) => {
    const onNotice = (message: { channel: string; payload?: string }) => {
      if (message.channel !== COMMIT_CHANNEL) return;
      client.removeListener("notification", onNotice);
      resolve(message.payload ?? "");
    };
    client.on("notification", onNotice);
  });
}

describe.runIf(onPostgres)("commits across instances", () => {
  it("announces each committed batch with its run, last seq and this process's tag", async () => {
    await other!.query(`LISTEN ${COMMIT_CHANNEL}`);
    await insertRun(temp.db, run);
    const b = new TraceBuilder();
    sleepingActor(b, "a1");
    requestToSleepingActor(b, { actorId: "a1", requestId: "q1", generation: 1, runnerId: "runner-1" });
    const notice = nextNotice(other!);
    await eventWriterFor(temp.db).append(run.id, { rows: b.events.map((e) => eventToRow(run.id, e)) });
    expect(await notice).toBe(`${run.id} ${b.events.at(-1)!.seq} ${PROCESS_COMMIT_TAG}`);
  });

  it("wakes this process's readers on another instance's commits, not on its own", async () => {
    await followRemoteCommits(temp.db);
    const seen: CommitNotice[] = [];
    const got = new Promise<void>((resolve) =>
      onCommitted(run.id, (notice) => {
        seen.push(notice);
        if (notice.lastSeq === 7) resolve();
      }),
    );
    await other!.query("SELECT pg_notify($1, $2), pg_notify($1, $3)", [COMMIT_CHANNEL, `${run.id} 3 ${PROCESS_COMMIT_TAG}`, `${run.id} 7 elsewhere`]);
    await got;
    // Notices of one connection arrive in order: this process's own, sent first, was skipped.
    expect(seen.every((notice) => notice.lastSeq === 7)).toBe(true);
  });
});
