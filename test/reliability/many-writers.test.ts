// Several processes record into one database file: the server (live engine and dashboard) and CLI
// scenario runs, two at once. Everything is written safely, the dashboard shows the CLI's runs while
// they record, and a server starting meanwhile leaves the runs that live processes record alone.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, freePort, httpGet, integrityCheck, readDb, runs, startServerProcess, waitUntil, type ServerProcess } from "./server-process";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-writers-"));
const dbFile = path.join(dir, "shared.db");
const scenarioFile = path.join(dir, "busy.json");
const longScenarioFile = path.join(dir, "long.json");

/** Many users on a few actors: tens of thousands of events, written in many chunks. */
function busyScenario(name: string, requests: number) {
  const actors = ["a-1", "a-2", "a-3", "a-4"];
  return {
    name,
    seed: 1,
    durationMs: requests * 20 + 60_000,
    pools: [{ name: "default", requestLifespan: 300, drainGracePeriod: 5, slotsPerRunner: 4 }],
    actors: actors.map((id) => ({ id })),
    steps: Array.from({ length: requests }, (_, i) => ({ at: 10 + i * 20, request: { actor: actors[i % actors.length], method: "GET", path: `/r${i}`, user: `user-${i}` } })),
  };
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnCli(args: string[]): { child: ChildProcess; exited: Promise<CliResult> } {
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "wakeline.mjs"), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${dbFile}` } });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, exited: new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr }))) };
}

const cli = (args: string[]): Promise<CliResult> => spawnCli(args).exited;

interface ApiRun {
  id: string;
  name: string;
  status: string;
  eventCount: number;
}

async function dashboardRuns(server: ServerProcess): Promise<ApiRun[]> {
  const response = await httpGet(`${server.url}/api/runs?limit=100`);
  const body = JSON.parse(response.body) as { runs?: ApiRun[] } | ApiRun[];
  return Array.isArray(body) ? body : (body.runs ?? []);
}

let server: ServerProcess;
beforeAll(async () => {
  fs.writeFileSync(scenarioFile, JSON.stringify(busyScenario("busy", 3_000)));
  // Long enough to still be writing when a second server has started.
  fs.writeFileSync(longScenarioFile, JSON.stringify(busyScenario("long", 10_000)));
  server = await startServerProcess({ dbFile });
});
afterAll(async () => {
  server?.signalGroup("SIGINT");
  await server?.exited;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the server and CLIs recording into one file", () => {
  it("two CLI runs and live traffic at once: all written, the file intact, the dashboard sees the CLI runs as they record", async () => {
    const seenRecording = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const run of await dashboardRuns(server).catch(() => [])) {
          if (run.name === "busy" && run.status === "running" && run.eventCount > 0) seenRecording.add(run.id);
        }
      }
    })();
    let traffic = 0;
    const live = (async () => {
      while (watching) if ((await httpGet(`${server.url}/gateway/demo/t${traffic}`)).status === 200) traffic++;
    })();

    const [first, second] = await Promise.all([cli(["scenario", "run", scenarioFile, "--json"]), cli(["scenario", "run", scenarioFile, "--json"])]);
    watching = false;
    await Promise.all([watch, live]);

    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(second, second.stderr).toMatchObject({ code: 0 });
    const ids = [first, second].map((result) => (JSON.parse(result.stdout) as { runId: string }).runId);
    expect(integrityCheck(dbFile)).toBe("ok");
    for (const id of ids) {
      const stored = runs(dbFile).find((run) => run.id === id)!;
      expect(stored.status).toBe("finished");
      const rows = readDb(dbFile, (db) => (db.prepare(`SELECT count(*) AS n FROM "Event" WHERE runId = ?`).get(id) as { n: number }).n);
      expect(rows).toBe(stored.eventCount);
      expect(rows).toBeGreaterThan(20_000);
    }
    // Both runs are the same seeded scenario: the same events, written side by side without loss.
    expect(runs(dbFile).find((run) => run.id === ids[0])!.eventCount).toBe(runs(dbFile).find((run) => run.id === ids[1])!.eventCount);
    expect([...seenRecording].some((id) => ids.includes(id))).toBe(true);
    expect(traffic).toBeGreaterThan(0);
    expect((await dashboardRuns(server)).filter((run) => ids.includes(run.id)).map((run) => run.status)).toEqual(["finished", "finished"]);
  }, 240_000);

  it("a server that starts while CLIs record leaves their runs to their owners", async () => {
    // Two owners: a long scenario that writes hard while the server starts (its start must not
    // fail on a busy file), and a real-engine recording, which records until it is stopped, so
    // that it is certainly still recording when the new server sweeps the database.
    const writing = cli(["scenario", "run", longScenarioFile, "--json"]);
    const proxyPort = await freePort();
    const recorder = spawnCli(["record", "--engine", server.url, "--port", String(proxyPort), "--name", "held", "--no-otlp", "--no-history", "--json"]);
    const held = () => runs(dbFile).find((run) => run.name === "held");
    expect(await waitUntil(() => held()?.status === "running" && runs(dbFile).some((run) => run.name === "long"), 60_000, 10)).toBe(true);
    // Another engine on the same file serves a namespace of its own (one engine per namespace).
    const other = await startServerProcess({ dbFile, ui: false, env: { WAKELINE_NAMESPACE: "other" } });
    try {
      // The new server has swept the database at its start: the CLIs' runs are still their own.
      expect(held()?.status).toBe("running");
      const written = await writing;
      expect(written.code, written.stderr).toBe(0);
      const { runId } = JSON.parse(written.stdout) as { runId: string };
      expect(runs(dbFile).find((run) => run.id === runId)?.status).toBe("finished");
      expect(held()?.status).toBe("running");
      recorder.child.kill("SIGINT");
      const stopped = await recorder.exited;
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(held()?.status).toBe("finished");
    } finally {
      recorder.child.kill("SIGKILL");
      other.signalGroup("SIGINT");
      await other.exited;
    }
  }, 240_000);
});
