// A clean stop in every way users and service managers stop `npm start` keeps every event: the
// answers users received are all in the database, the live run ends "stopped", the file is intact,
// and the whole process group is gone within seconds.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { answeredRequestPaths, groupGone, httpGet, integrityCheck, runs, startServerProcess, waitUntil, type ServerProcess } from "./server-process";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-stop-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Gateway requests and dashboard reads, in turn, as a user at the dashboard makes them. */
async function traffic(server: ServerProcess, tag: string, count: number): Promise<string[]> {
  const answered: string[] = [];
  for (let i = 0; i < count; i++) {
    const requestPath = `/${tag}-${i}`;
    const response = await httpGet(`${server.url}/gateway/demo${requestPath}`);
    expect(response.status).toBe(200);
    answered.push(requestPath);
    expect((await httpGet(`${server.url}/api/runs`)).status).toBe(200);
  }
  return answered;
}

const STOPS: { name: string; stop: (server: ServerProcess) => void }[] = [
  { name: "Ctrl-C in the terminal (SIGINT to the process group)", stop: (s) => s.signalGroup("SIGINT") },
  { name: "SIGTERM to the npm process", stop: (s) => s.npm.kill("SIGTERM") },
  { name: "SIGTERM to the whole group, twice (systemd, docker)", stop: (s) => (s.signalGroup("SIGTERM"), s.signalGroup("SIGTERM")) },
  { name: "SIGINT to the whole group, twice", stop: (s) => (s.signalGroup("SIGINT"), s.signalGroup("SIGINT")) },
];

describe("a clean stop of npm start, with the dashboard on", () => {
  it("loads one copy of SQLite into the server process", async () => {
    const dbFile = path.join(dir, "one-copy.db");
    const server = await startServerProcess({ dbFile });
    try {
      await traffic(server, "probe", 2);
      const maps = fs.readFileSync(`/proc/${server.serverPid()}/maps`, "utf8");
      const copies = new Set(maps.split("\n").filter((line) => line.includes("better_sqlite3.node")).map((line) => line.trim().split(/\s+/).pop()));
      expect([...copies]).toHaveLength(1);
    } finally {
      server.signalGroup("SIGINT");
      await server.exited;
    }
  }, 180_000);

  for (const { name, stop } of STOPS) {
    it(`${name}: every answered request is recorded and the run ends stopped`, async () => {
      const dbFile = path.join(dir, `${name.replace(/[^a-z]+/gi, "-")}.db`);
      const server = await startServerProcess({ dbFile });
      const answered = await traffic(server, "req", 15);
      const pgid = server.npm.pid!;

      stop(server);
      expect(await waitUntil(() => groupGone(pgid), 15_000), `the process group exits\n${server.output()}`).toBe(true);

      expect(integrityCheck(dbFile)).toBe("ok");
      const [live] = runs(dbFile).filter((run) => run.source === "live");
      expect(live.status).toBe("stopped");
      const recorded = answeredRequestPaths(dbFile, live.id);
      expect(answered.filter((p) => !recorded.has(p))).toEqual([]);
    }, 180_000);
  }
});
