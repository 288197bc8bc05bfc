// Built-in scenarios and loading of scenario files, with coded errors for bad input.
import fs from "node:fs";
import { scenarioSchema, type Scenario } from "./scenario-schema";
import ideal from "./scenarios/ideal.json";
import messy from "./scenarios/messy.json";
import twoActors from "./scenarios/two-actors.json";
import endpointRecovers from "./scenarios/endpoint-recovers.json";
import crashRestart from "./scenarios/crash-restart.json";
import destroyPending from "./scenarios/destroy-pending.json";
import wakeStorm from "./scenarios/wake-storm.json";

export class ScenarioError extends Error {
  constructor(
    readonly code: "scenario_not_found" | "scenario_invalid" | "scenario_unreadable",
    message: string,
  ) {
    super(message);
    this.name = "ScenarioError";
  }
}

const BUILT_IN: unknown[] = [ideal, messy, twoActors, endpointRecovers, crashRestart, destroyPending, wakeStorm];

export function builtInScenarios(): Scenario[] {
  return BUILT_IN.map((json) => parseScenario(json));
}

export function listScenarios(): { name: string; description: string }[] {
  return builtInScenarios().map(({ name, description }) => ({ name, description }));
}

export function parseScenario(json: unknown): Scenario {
  const result = scenarioSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join(".") : "scenario";
    throw new ScenarioError("scenario_invalid", `invalid scenario at ${where}: ${issue.message}`);
  }
  return result.data;
}

/** A built-in scenario by name, or a scenario JSON file by path. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtIn = builtInScenarios().find((s) => s.name === nameOrPath);
  if (builtIn) return builtIn;
  if (!nameOrPath.endsWith(".json")) {
    const names = listScenarios().map((s) => s.name).join(", ");
    throw new ScenarioError("scenario_not_found", `no built-in scenario named "${nameOrPath}" (built-in: ${names}; or pass a .json file)`);
  }
  let text: string;
  try {
    text = fs.readFileSync(nameOrPath, "utf8");
  } catch {
    throw new ScenarioError("scenario_unreadable", `cannot read scenario file ${nameOrPath}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError("scenario_invalid", `${nameOrPath} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenario(json);
}
