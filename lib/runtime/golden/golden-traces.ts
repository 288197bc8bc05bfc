// Golden traces: what every built-in scenario and the fault scenarios in ./scenarios record for their
// seed, kept as fixtures so a change to the engine's shape (not its rules) is proved to record the
// same thing, event by event. Generated ids (runner-1a2b3c4d, key-…) are masked: which random draw
// makes which id is not a rule. `npm run golden` writes them again after a deliberate rule change.
import fs from "node:fs";
import path from "node:path";
import type { TraceEvent } from "../../trace/types";
import { runScenario } from "../run-scenario";
import { builtInScenarios, parseScenario } from "../scenarios";
import type { Scenario } from "../scenario-schema";

export const GOLDEN_DIR = path.join(__dirname, "traces");
const SCENARIO_DIR = path.join(__dirname, "scenarios");

/** Built-in scenarios at their own seed, then the fault scenarios of this folder. */
export function goldenScenarios(): Scenario[] {
  const extra = fs
    .readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => parseScenario(JSON.parse(fs.readFileSync(path.join(SCENARIO_DIR, file), "utf8"))));
  return [...builtInScenarios(), ...extra];
}

const GENERATED_ID = /\b([a-z]+)-[0-9a-f]{8}\b/g;

/** One line per event, ids masked: the fixture's form, and what a run is compared in. */
export function goldenLines(scenario: Scenario): string[] {
  const lines: string[] = [];
  runScenario(scenario, {
    seed: scenario.seed ?? 1,
    sink: (event: TraceEvent) => lines.push(JSON.stringify(event).replace(GENERATED_ID, "$1-<id>")),
  });
  return lines;
}

export function goldenFile(name: string): string {
  return path.join(GOLDEN_DIR, `${name}.jsonl`);
}

export function readGolden(name: string): string[] {
  return fs.readFileSync(goldenFile(name), "utf8").split("\n").filter((line) => line.length > 0);
}

export function writeGolden(scenario: Scenario): number {
  const lines = goldenLines(scenario);
  fs.mkdirSync(GOLDEN_DIR, { recursive: true });
  fs.writeFileSync(goldenFile(scenario.name), `${lines.join("\n")}\n`);
  return lines.length;
}
