// The engine's runtime, as the services and the CLI use it.
export { runScenario, type ScenarioRunOptions, type ScenarioRunResult } from "./run-scenario";
export { listScenarios, loadScenario, parseScenario, builtInScenarios, ScenarioError } from "./scenarios";
export type { Scenario } from "./scenario-schema";
export { EngineSession } from "./engine-session";
