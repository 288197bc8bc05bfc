import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TraceBundle } from "@/lib/trace/types";
import { createSandbox, isOneLineError, type CliSandbox } from "./run-cli";

const SLOW = 120_000;

let cli: CliSandbox;
let runId: string;

beforeAll(async () => {
  cli = createSandbox();
  const result = await cli.run(["scenario", "run", "messy", "--json"]);
  expect(result.code).toBe(0);
  runId = JSON.parse(result.stdout).runId;
}, SLOW);
afterAll(() => cli.cleanup());

describe("wakeline export / import", () => {
  it("exports a bundle that imports as a new run drawing the same diagram", async () => {
    const exported = await cli.run(["export", "--run", runId, "--out", "messy.json"]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe("");
    const bundle = JSON.parse(fs.readFileSync(path.join(cli.dir, "messy.json"), "utf8")) as TraceBundle;
    expect(bundle).toMatchObject({ format: "wakeline-bundle", version: 1, run: { id: runId } });

    const imported = await cli.run(["import", "messy.json"]);
    expect(imported.code).toBe(0);
    const copyId = imported.stdout.trim();
    expect(copyId).toMatch(/^[a-z0-9]+$/);
    expect(copyId).not.toBe(runId);

    const [original, copy, runs] = await Promise.all([
      cli.run(["diagram", "--run", runId, "--cycle", "2"]),
      cli.run(["diagram", "--run", copyId, "--cycle", "2"]),
      cli.run(["runs", "--source", "import"]),
    ]);
    expect(copy.stdout).toBe(original.stdout);
    expect(runs.stdout).toContain(copyId);
    expect(runs.stdout).not.toContain(runId);
  }, SLOW);

  it("writes the bundle to stdout without --out", async () => {
    const result = await cli.run(["export", "--run", runId]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).events.length).toBeGreaterThan(100);
  }, SLOW);

  it("writes the same bundle to a file and to stdout, and leaves no file when it cannot write", async () => {
    const [toFile, toStdout] = await Promise.all([cli.run(["export", "--run", runId, "--out", "same.json"]), cli.run(["export", "--run", runId])]);
    expect(toFile.code).toBe(0);
    expect(fs.readFileSync(path.join(cli.dir, "same.json"), "utf8")).toBe(toStdout.stdout);
    const failed = await cli.run(["export", "--run", runId, "--out", "no-such-dir/out.json"]);
    expect(failed.code).toBe(1);
    expect(isOneLineError(failed), failed.stderr).toBe(true);
    expect(failed.stderr).toContain("cannot write no-such-dir/out.json");
    expect(fs.readdirSync(cli.dir).filter((name) => name.endsWith(".partial"))).toEqual([]);
  }, SLOW);

  it("shows how far an import has got with --progress (a line per tenth of the file), and nothing without", async () => {
    // A run of a few thousand events: the import writes it in several batches.
    const steps = Array.from({ length: 400 }, (_, i) => ({ at: 10 + i * 30, request: { actor: "a-1", path: `/r${i}` } }));
    fs.writeFileSync(path.join(cli.dir, "many.scenario.json"), JSON.stringify({ name: "many", durationMs: 30_000, actors: [{ id: "a-1" }], steps }));
    const recorded = JSON.parse((await cli.run(["scenario", "run", "many.scenario.json", "--json"])).stdout) as { runId: string };
    expect((await cli.run(["export", "--run", recorded.runId, "--out", "many.json"])).code).toBe(0);

    const shown = await cli.run(["import", "many.json", "--progress"]);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stderr.trim().split("\n");
    const shares = lines.slice(0, -1).map((line) => Number(/^Importing: (\d+) % of [\d.]+ MB, [\d,]+ events$/.exec(line)?.[1]));
    expect(shares.length).toBeGreaterThan(2);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(shares.at(-1)).toBe(100);
    const copyId = shown.stdout.trim();
    expect(lines.at(-1)).toMatch(new RegExp(`^Imported [\\d,]+ events as run ${copyId}$`));

    const quiet = await cli.run(["import", "many.json"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
  }, SLOW);

  it("answers missing, non-JSON and invalid bundles with one line", async () => {
    fs.writeFileSync(path.join(cli.dir, "not-json.json"), "{ nope");
    fs.writeFileSync(path.join(cli.dir, "not-bundle.json"), JSON.stringify({ format: "other" }));
    const results = await Promise.all([
      cli.run(["import", "absent.json"]),
      cli.run(["import", "not-json.json"]),
      cli.run(["import", "not-bundle.json"]),
      cli.run(["import"]),
      cli.run(["export", "--run", "nope"]),
    ]);
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 2, 1]);
    for (const result of results) expect(isOneLineError(result), result.stderr).toBe(true);
    expect(results[0].stderr).toContain("no such file");
    expect(results[1].stderr).toContain("not valid JSON");
    expect(results[2].stderr).toContain("Not a Wakeline bundle");
  }, SLOW);
});

describe("wakeline check", () => {
  it("exits 0 for a healthy run, and 1 listing the events of a violation", async () => {
    const healthy = await cli.run(["check", "--run", runId]);
    expect(healthy.stdout).toMatch(/no violations/);
    expect(healthy.code).toBe(0);

    // Drop the answer to the first request: the request is then never answered.
    const bundle = JSON.parse((await cli.run(["export", "--run", runId])).stdout) as TraceBundle;
    const answer = bundle.events.find((e) => e.type === "UserResponse");
    expect(answer).toBeDefined();
    const broken = {
      ...bundle,
      events: bundle.events.map((e) => (e.seq === answer!.seq ? { ...e, type: "Misdelivered" } : e)),
    };
    fs.writeFileSync(path.join(cli.dir, "broken.json"), JSON.stringify(broken));
    const brokenId = (await cli.run(["import", "broken.json"])).stdout.trim();

    const result = await cli.run(["check", "--run", brokenId]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("unanswered-request");
    const request = bundle.events.find((e) => e.type === "UserRequest")!;
    expect(result.stdout).toMatch(new RegExp(`^  #${request.seq} .*UserRequest`, "m"));
  }, SLOW);
});

describe("wakeline runs, help and bad input", () => {
  it("lists runs as a table and as JSON", async () => {
    const [table, json] = await Promise.all([cli.run(["runs"]), cli.run(["runs", "--json", "--limit", "1"])]);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+SOURCE\s+STATUS/);
    expect(table.stdout).toContain(runId);
    expect(JSON.parse(json.stdout)).toHaveLength(1);
  }, SLOW);

  it("has --help for every command", async () => {
    const commands = [[], ["scenario"], ["scenario", "list"], ["scenario", "run"], ["runs"], ["diagram"], ["conform"], ["check"], ["export"], ["import"]];
    const results = await Promise.all(commands.map((c) => cli.run([...c, "--help"])));
    results.forEach((result, i) => {
      expect(result.code, commands[i].join(" ")).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: wakeline ${commands[i].join(" ")}`.trim()));
    });
  }, SLOW);

  it("answers unknown commands, a missing command and a bad database with one line", async () => {
    const [unknown, none, badDb, subcommand] = await Promise.all([
      cli.run(["frobnicate"]),
      cli.run([]),
      cli.run(["runs"], { env: { DATABASE_URL: "mysql://localhost/x" } }),
      cli.run(["scenario", "walk"]),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('wakeline: unknown command "frobnicate" (see "wakeline --help")\n');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: wakeline");
    expect(badDb.code).toBe(1);
    expect(isOneLineError(badDb)).toBe(true);
    expect(badDb.stderr).toContain("DATABASE_URL");
    expect(subcommand.code).toBe(2);
    expect(isOneLineError(subcommand)).toBe(true);
  }, SLOW);
});
