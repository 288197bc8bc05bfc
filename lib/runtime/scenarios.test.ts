import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ScenarioError, builtInScenarios, listScenarios, loadScenario, parseScenario } from "./scenarios";

function scenarioError(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error("expected a ScenarioError, nothing was thrown");
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-scenarios-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("parseScenario", () => {
  it("fills in defaults for a minimal scenario", () => {
    const scenario = parseScenario({ name: "minimal", actors: [{ id: "a" }], steps: [{ at: 5, request: { actor: "a" } }] });
    expect(scenario.pools).toEqual([{ name: "default" }]);
    expect(scenario.actors[0]).toMatchObject({ pool: "default", crashPolicy: "sleep", state: "sleeping" });
    expect(scenario.steps[0]).toEqual({ at: 5, request: { actor: "a", method: "GET", path: "/", user: "user-1" } });
  });

  it.each([
    { what: "an unknown top-level field", input: { name: "x", bogus: 1 }, where: "at scenario", says: 'Unrecognized key: "bogus"' },
    { what: "an unknown field inside a step", input: { name: "x", steps: [{ at: 1, request: { actor: "a", verb: "GET" } }] }, where: "at steps.0.request", says: '"verb"' },
    { what: "a field of the wrong type", input: { name: "x", durationMs: "soon" }, where: "at durationMs", says: "expected number" },
    { what: "an unknown crash policy", input: { name: "x", actors: [{ id: "a", crashPolicy: "explode" }] }, where: "at actors.0.crashPolicy", says: '"restart"' },
    { what: "an unknown role in a fault", input: { name: "x", faults: [{ from: "Nobody", mode: "drop" }] }, where: "at faults.0.from", says: '"RWS"' },
    { what: "a negative step time", input: { name: "x", steps: [{ at: -1, destroy: { actor: "a" } }] }, where: "at steps.0.at", says: ">=0" },
    { what: "a missing name", input: {}, where: "at name", says: "expected string" },
    { what: "something that is not an object", input: "ideal", where: "at scenario", says: "expected object" },
    { what: "an actor in an undeclared pool", input: { name: "x", actors: [{ id: "a", pool: "gpu" }] }, where: "at actors.0.pool", says: 'unknown pool "gpu"' },
    { what: "a create step in an undeclared pool", input: { name: "x", steps: [{ at: 1, create: { actor: "b", pool: "gpu" } }] }, where: "at steps.0.create.pool", says: 'unknown pool "gpu"' },
    { what: "an actor declared twice", input: { name: "x", actors: [{ id: "a" }, { id: "a" }] }, where: "at actors", says: 'actor "a" is declared twice' },
  ])("rejects $what with a readable message", ({ input, where, says }) => {
    const error = scenarioError(() => parseScenario(input));
    expect(error.code).toBe("scenario_invalid");
    expect(error.message).toContain(`invalid scenario ${where}`);
    expect(error.message).toContain(says);
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});

describe("loadScenario", () => {
  it("finds every built-in scenario by name", () => {
    const names = listScenarios().map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["ideal", "messy"]));
    expect(builtInScenarios()).toHaveLength(names.length);
    for (const name of names) expect(loadScenario(name).name).toBe(name);
  });

  it("names the built-ins when asked for an unknown one", () => {
    const error = scenarioError(() => loadScenario("nope"));
    expect(error.code).toBe("scenario_not_found");
    expect(error.message).toContain('"nope"');
    expect(error.message).toContain("ideal");
  });

  it("loads a scenario file", () => {
    const file = writeFile("mine.json", JSON.stringify({ name: "mine", actors: [{ id: "a" }] }));
    expect(loadScenario(file)).toMatchObject({ name: "mine", actors: [{ id: "a" }] });
  });

  it("reports a file that cannot be read", () => {
    const error = scenarioError(() => loadScenario(path.join(dir, "missing.json")));
    expect(error.code).toBe("scenario_unreadable");
    expect(error.message).toContain("missing.json");
  });

  it("reports a file that is not JSON", () => {
    const error = scenarioError(() => loadScenario(writeFile("broken.json", "{ name: ")));
    expect(error.code).toBe("scenario_invalid");
    expect(error.message).toContain("is not valid JSON");
  });

  it("reports a JSON file that is not a valid scenario", () => {
    const error = scenarioError(() => loadScenario(writeFile("wrong.json", JSON.stringify({ name: "w", pools: [{ slotsPerRunner: 0 }] }))));
    expect(error.code).toBe("scenario_invalid");
    expect(error.message).toContain("pools.0.slotsPerRunner");
  });
});
