// `wakeline conform --real-engine` on a run recorded from the real Rivet engine (2.3.19) by
// `wakeline record` with its workflow histories imported: fixtures/real-v7-run.json is that run's
// bundle (the flow of test/real-engine/runner-v7.test.ts: an asleep actor woken by a request, a cold
// start of a v7 serverless runner). Imported, its second cycle conforms to the ideal reference only
// when the reference is read the way the real engine works.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, createSandbox, isOneLineError, type CliSandbox } from "./run-cli";

const FIXTURE = path.join(__dirname, "fixtures", "real-v7-run.json");
const REFERENCE = path.join(ROOT, "lib/conformance/reference/ideal-serverless-flow.mmd");
const ACTOR = "lraquhfkkgunnlrtbgsjswucpmbl00";

let cli: CliSandbox;
let runId: string;

beforeAll(async () => {
  cli = createSandbox();
  const imported = await cli.run(["import", FIXTURE]);
  expect(imported.code, imported.stderr).toBe(0);
  runId = imported.stdout.trim();
}, 60_000);
afterAll(() => cli.cleanup());

describe("wakeline conform --real-engine", () => {
  it("conforms the real engine's cold start to the ideal reference, Runner Workflow relays bypassed", async () => {
    const result = await cli.run(["conform", "--run", runId, "--actor", ACTOR, "--cycle", "2", "--reference", REFERENCE, "--real-engine"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Conformance OK: (\d+) of \1 expected items matched/);
    expect(result.code).toBe(0);
  });

  it("without --real-engine, reports what the real engine does differently", async () => {
    const result = await cli.run(["conform", "--run", runId, "--actor", ACTOR, "--cycle", "2", "--reference", REFERENCE]);
    expect(result.code).toBe(1);
    // The reference relays StartActor through the Runner Workflow; the real actor workflow sends it
    // to the runner's socket itself. The precondition note is not drawn from a recording either.
    expect(result.stdout).toMatch(/AWF->>RWF: Send StartActor/);
    expect(result.stdout).toMatch(/AWF->>RWS: Send StartActor/);
    expect(result.stdout).toMatch(/note over AWF: Actor already created and sleeping/);
  });

  it("the whole run (its create-and-start cycle too) does not match one wake: exit 1 with a report", async () => {
    const result = await cli.run(["conform", "--run", runId, "--actor", ACTOR, "--reference", REFERENCE, "--real-engine"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Conformance FAILED/);
  });

  it("documents the option in its help, and refuses a bad --cycle", async () => {
    const help = await cli.run(["conform", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--real-engine");
    expect(help.stdout).toContain("Runner Workflow relays are bypassed");
    expect(help.stdout).toContain("only lifelines both diagrams draw");
    expect(help.stdout).toContain("leading notes");
    const bad = await cli.run(["conform", "--run", runId, "--cycle", "0", "--reference", REFERENCE, "--real-engine"]);
    expect(bad.code).toBe(2);
    expect(isOneLineError(bad)).toBe(true);
  });
});
