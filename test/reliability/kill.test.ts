// kill -9 under load loses at most the events of the last flush interval, never damages what was
// committed, and the next start ends the killed run as interrupted and continues in a new run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FLUSH_INTERVAL_MS } from "@/lib/recorder/recorder";
import { SERVER_INTERRUPTED_ERROR } from "@/lib/services/interrupted-runs";
import { answeredRequestPaths, groupGone, httpGet, integrityCheck, runs, startServerProcess, waitUntil } from "./server-process";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-kill-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Time a committed batch may take to reach the file on a busy two-core machine, beyond the interval. */
const WRITE_SLACK_MS = 400;
const CLIENTS = 8;

describe("kill -9 of the server under load", () => {
  it("keeps every answer older than the last flush interval, leaves an intact file, and is ended as interrupted on the next start", async () => {
    const dbFile = path.join(dir, "killed.db");
    const server = await startServerProcess({ dbFile });
    const answers: { path: string; at: number }[] = [];
    let killedAt = Number.POSITIVE_INFINITY;
    const client = async (n: number) => {
      for (let i = 0; Date.now() < killedAt; i++) {
        const requestPath = `/c${n}-${i}`;
        const response = await httpGet(`${server.url}/gateway/demo${requestPath}`).catch(() => null);
        if (!response) return;
        if (response.status === 200) answers.push({ path: requestPath, at: Date.now() });
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
    // Load for a while, so that most answers are older than the last flush interval at the kill.
    expect(await waitUntil(() => answers.length >= 400 && Date.now() - answers[0].at > 2_000, 60_000)).toBe(true);
    const [live] = runs(dbFile).filter((run) => run.source === "live");

    const pid = server.serverPid();
    killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    await Promise.all(clients);
    expect(await waitUntil(() => groupGone(server.npm.pid!), 15_000)).toBe(true);

    expect(integrityCheck(dbFile)).toBe("ok");
    const recorded = answeredRequestPaths(dbFile, live.id);
    const mustHave = answers.filter((answer) => answer.at < killedAt - FLUSH_INTERVAL_MS - WRITE_SLACK_MS);
    expect(mustHave.length).toBeGreaterThan(200);
    expect(mustHave.filter((answer) => !recorded.has(answer.path)).map((answer) => answer.path)).toEqual([]);

    // The next server finds the killed one's run with its owner gone and ends it; its own run follows it.
    const next = await startServerProcess({ dbFile, ui: false });
    try {
      const after = runs(dbFile);
      expect(after.find((run) => run.id === live.id)).toMatchObject({ status: "interrupted", error: SERVER_INTERRUPTED_ERROR });
      expect(after.find((run) => run.source === "live" && run.status === "running")?.followsRunId).toBe(live.id);
      expect((await httpGet(`${next.url}/gateway/demo/after`)).status).toBe(200);
    } finally {
      next.signalGroup("SIGINT");
      await next.exited;
    }
  }, 240_000);
});
