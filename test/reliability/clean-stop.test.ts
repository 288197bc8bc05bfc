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

describe("a restart of npm start", () => {
  it("keeps the runs, imported bundles and share links made through the server", async () => {
    const dbFile = path.join(dir, "restart.db");
    const first = await startServerProcess({ dbFile });
    const post = async (server: ServerProcess, pathname: string, body: unknown) => {
      const response = await fetch(`${server.url}${pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status, pathname).toBeLessThan(300);
      return (await response.json()) as Record<string, unknown>;
    };
    const made = (await post(first, "/api/runs", { scenario: "ideal" })) as { run: { id: string } };
    const exported = await (await fetch(`${first.url}/api/runs/${made.run.id}/export`)).text();
    const imported = (await post(first, "/api/runs/import", JSON.parse(exported))) as { run?: { id: string }; id?: string };
    const importedId = imported.run?.id ?? imported.id;
    const link = (await post(first, "/api/share", { path: `/runs/${made.run.id}` })) as { token: string };
    first.signalGroup("SIGINT");
    await first.exited;

    const second = await startServerProcess({ dbFile });
    try {
      const listed = JSON.parse((await httpGet(`${second.url}/api/runs?limit=100`)).body) as { runs?: { id: string }[] } | { id: string }[];
      const ids = (Array.isArray(listed) ? listed : (listed.runs ?? [])).map((run) => run.id);
      expect(ids).toEqual(expect.arrayContaining([made.run.id, importedId]));
      const opened = await fetch(`${second.url}/s/${link.token}`, { redirect: "manual" });
      expect(opened.status).toBe(307);
      expect(opened.headers.get("location")).toBe(`/runs/${made.run.id}`);
    } finally {
      second.signalGroup("SIGINT");
      await second.exited;
    }
    expect(integrityCheck(dbFile)).toBe("ok");
  }, 240_000);
});
