// The CLI on input that must be refused: bundles with broken references, scenarios whose timers
// would fire for ever at one instant, runs past their event budget. Each is exit 1 with one line
// on stderr, and leaves nothing behind that it should not.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TraceBundle } from "@/lib/trace/types";
import { createSandbox, isOneLineError, type CliSandbox } from "./run-cli";

const SLOW = 120_000;

let cli: CliSandbox;
let bundle: TraceBundle;

beforeAll(async () => {
  cli = createSandbox();
  const result = await cli.run(["scenario", "run", "ideal", "--json"]);
  expect(result.code).toBe(0);
  bundle = JSON.parse((await cli.run(["export", "--run", JSON.parse(result.stdout).runId])).stdout) as TraceBundle;
}, SLOW);
afterAll(() => cli.cleanup());

const runIds = async () => (JSON.parse((await cli.run(["runs", "--json"])).stdout) as { id: string; status: string }[]).map((run) => run.id);

describe("wakeline import", () => {
  it("refuses a bundle whose relayOf, phaseId or cycles are broken, with one line and no run left", async () => {
    const relay = bundle.events.find((e) => e.relayOf !== null)!;
    const inPhase = bundle.events.find((e) => e.kind === "message" && e.phaseId !== null)!;
    const cases: [string, TraceBundle, RegExp][] = [
      ["relay.json", { ...bundle, events: bundle.events.map((e) => (e.seq === relay.seq ? { ...e, relayOf: relay.seq } : e)) }, new RegExp(`Event ${relay.seq} has relayOf`)],
      ["phase.json", { ...bundle, events: bundle.events.map((e) => (e.seq === inPhase.seq ? { ...e, phaseId: 1 } : e)) }, new RegExp(`Event ${inPhase.seq} has phaseId 1`)],
      ["cycle.json", { ...bundle, cycles: bundle.cycles.map((c) => ({ ...c, lastSeq: bundle.events.length + 1 })) }, /spans seqs .* outside the run/],
    ];
    const before = await runIds();
    for (const [file, broken, message] of cases) {
      fs.writeFileSync(path.join(cli.dir, file), JSON.stringify(broken));
      const result = await cli.run(["import", file]);
      expect(result.code, file).toBe(1);
      expect(isOneLineError(result), result.stderr).toBe(true);
      expect(result.stderr).toMatch(message);
    }
    expect(await runIds()).toEqual(before);
  }, SLOW);
});

describe("wakeline scenario run", () => {
  it("refuses a ping interval of 0 and an unknown timing key, naming the key, and records no run", async () => {
    const before = await runIds();
    for (const [file, timing, key] of [
      ["ping0.json", { pingIntervalMs: 0 }, "pingIntervalMs"],
      ["typo.json", { sleepTimeout: 1000 }, "sleepTimeout"],
    ] as const) {
      fs.writeFileSync(path.join(cli.dir, file), JSON.stringify({ name: file, config: { timing } }));
      const result = await cli.run(["scenario", "run", file]);
      expect(result.code, file).toBe(1);
      expect(isOneLineError(result), result.stderr).toBe(true);
      expect(result.stderr).toContain(`config.timing.${key}`);
    }
    expect(await runIds()).toEqual(before);
  }, SLOW);

  it("stops a run at its event budget with one line, keeping what it recorded as a failed run", async () => {
    const before = await runIds();
    const result = await cli.run(["scenario", "run", "messy"], { env: { WAKELINE_MAX_RUN_EVENTS: "40" } });
    expect(result.code).toBe(1);
    expect(isOneLineError(result), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/more than 40 events/);
    const runs = JSON.parse((await cli.run(["runs", "--json"])).stdout) as { id: string; status: string; eventCount: number; error: string }[];
    const stopped = runs.find((run) => !before.includes(run.id))!;
    expect(stopped).toMatchObject({ status: "failed", eventCount: 40, error: expect.stringMatching(/more than 40 events/) });
  }, SLOW);
});
