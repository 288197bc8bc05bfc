import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, isOneLineError, ROOT, type CliSandbox } from "./run-cli";

const SLOW = 120_000;
// The shared reference flows beside the checkout; the project keeps a copy for checkouts without them.
/** The reference flows kept in the repository. */
const REFERENCE = path.join(ROOT, "lib", "conformance", "reference");

let cli: CliSandbox;
let runId: string;
let cycles: { id: string; actorId: string; ordinal: number; outcome: string; wakeToReadyMs: number | null }[];

beforeAll(async () => {
  cli = createSandbox();
  const result = await cli.run(["scenario", "run", "ideal", "--json"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  ({ runId, cycles } = JSON.parse(result.stdout));
}, SLOW);
afterAll(() => cli.cleanup());

describe("wakeline scenario", () => {
  it("run --json prints one JSON object with the run id and its cycles, creating the database on first use", () => {
    expect(fs.existsSync(cli.databaseUrl.slice("file:".length))).toBe(true);
    expect(runId).toMatch(/^[a-z0-9]+$/);
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles[0]).toMatchObject({ id: `${runId}:actor-1:1`, actorId: "actor-1", ordinal: 1 });
    expect(cycles[0]).toHaveProperty("wakeToReadyMs");
    expect(cycles[0]).toHaveProperty("anomalies");
  });

  it("run prints the run id and a table of cycles; the same seed gives the same cycles", async () => {
    const [text, again] = await Promise.all([
      cli.run(["scenario", "run", "ideal"]),
      cli.run(["scenario", "run", "ideal", "--json"]),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Run [a-z0-9]+ {2}ideal {2}seed 1 {2}\d+ events/);
    expect(text.stdout).toContain("actor-1 #1");
    const strip = (c: { id: string }) => ({ ...c, id: c.id.split(":").slice(1).join(":") });
    expect(JSON.parse(again.stdout).cycles.map(strip)).toEqual(cycles.map(strip));
  }, SLOW);

  it("list names the built-in scenarios", async () => {
    const result = await cli.run(["scenario", "list"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ideal\s+\S/m);
    expect(result.stdout).toMatch(/^messy\s+\S/m);
  }, SLOW);

  it("runs a scenario file given relative to the working directory", async () => {
    // A recorded run keeps its scenario as its config.
    const exported = await cli.run(["export", "--run", runId]);
    const scenario = JSON.parse(exported.stdout).run.config;
    fs.mkdirSync(path.join(cli.dir, "work"), { recursive: true });
    fs.writeFileSync(path.join(cli.dir, "work", "mine.json"), JSON.stringify({ ...scenario, name: "mine" }));
    const result = await cli.run(["scenario", "run", "mine.json", "--seed", "3", "--json"], { cwd: path.join(cli.dir, "work") });
    expect(result.code).toBe(0);
    const runs = await cli.run(["runs", "--name", "mine", "--json"]);
    expect(JSON.parse(runs.stdout)).toEqual([expect.objectContaining({ id: JSON.parse(result.stdout).runId, seed: 3 })]);
  }, SLOW);

  it("answers an unknown scenario and a bad seed with one line on stderr", async () => {
    const [unknown, badSeed, missingName] = await Promise.all([
      cli.run(["scenario", "run", "no-such-thing"]),
      cli.run(["scenario", "run", "ideal", "--seed", "x"]),
      cli.run(["scenario", "run"]),
    ]);
    expect(unknown.code).toBe(1);
    expect(isOneLineError(unknown)).toBe(true);
    expect(unknown.stderr).toContain('no built-in scenario named "no-such-thing"');
    expect([badSeed.code, missingName.code]).toEqual([2, 2]);
    expect(isOneLineError(badSeed) && isOneLineError(missingName)).toBe(true);
    expect(badSeed.stderr).toContain("--seed");
  }, SLOW);
});

describe("wakeline diagram", () => {
  it("prints the Mermaid text of the run, of one cycle, and in full detail", async () => {
    const [whole, cycle, full] = await Promise.all([
      cli.run(["diagram", "--run", runId]),
      cli.run(["diagram", "--run", runId, "--actor", "actor-1", "--cycle", "1"]),
      cli.run(["diagram", "--run", runId, "--detail", "full"]),
    ]);
    for (const result of [whole, cycle, full]) {
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toContain("sequenceDiagram");
    }
    expect(whole.stdout).toContain("G->>AWF: Wake");
    expect(cycle.stdout).toContain("critical request to sleeping actor");
    expect(full.stdout.split("\n").length).toBeGreaterThan(whole.stdout.split("\n").length);
  }, SLOW);

  it("answers unknown runs, actors and cycles and wrong options with one line on stderr", async () => {
    const results = await Promise.all([
      cli.run(["diagram", "--run", "nope"]),
      cli.run(["diagram", "--run", runId, "--actor", "nobody"]),
      cli.run(["diagram", "--run", runId, "--cycle", "99"]),
      cli.run(["diagram", "--run", runId, "--cycle", "1", "--all-cycles"]),
      cli.run(["diagram", "--run", runId, "--cycle", "abc"]),
      cli.run(["diagram", "--run", runId, "--detail", "loud"]),
      cli.run(["diagram"]),
      cli.run(["diagram", "--run", runId, "--colour", "red"]),
    ]);
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 2, 2, 2, 2, 2]);
    for (const result of results) {
      expect(isOneLineError(result), result.stderr).toBe(true);
      expect(result.stdout).toBe("");
    }
    expect(results[0].stderr).toBe("wakeline: Run nope not found\n");
    expect(results[2].stderr).toContain("no cycle 99");
    expect(results[6].stderr).toContain("--run is required");
    expect(results[7].stderr).toContain("unknown option --colour");
  }, SLOW);
});

describe("wakeline conform", () => {
  it("exits 0 when the run draws the reference flow and 1 with a report when it does not", async () => {
    const [same, other] = await Promise.all([
      cli.run(["conform", "--run", runId, "--reference", path.join(REFERENCE, "ideal-serverless-flow.mmd")]),
      cli.run(["conform", "--run", runId, "--reference", path.join(REFERENCE, "messy-serverless-flow.mmd")]),
    ]);
    expect(same.stdout).toMatch(/^Conformance OK/);
    expect(same.code).toBe(0);
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/^Conformance FAILED/);
    expect(other.stdout).toContain("Missing");
  }, SLOW);

  it("answers a missing or unreadable reference with one line", async () => {
    fs.writeFileSync(path.join(cli.dir, "broken.mmd"), "sequenceDiagram\n  U->>: hello\n");
    const [missing, broken] = await Promise.all([
      cli.run(["conform", "--run", runId, "--reference", "absent.mmd"]),
      cli.run(["conform", "--run", runId, "--reference", "broken.mmd"]),
    ]);
    expect([missing.code, broken.code]).toEqual([1, 1]);
    expect(missing.stderr).toBe("wakeline: cannot read reference diagram absent.mmd: no such file\n");
    expect(isOneLineError(broken)).toBe(true);
    expect(broken.stderr).toContain("line 2");
  }, SLOW);
});
