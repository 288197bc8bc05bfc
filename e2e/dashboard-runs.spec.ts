// The dashboard: the run list and its filter (kept in the URL), starting scenarios from the page
// (built-in or uploaded, with a seed and a speed) and a run's page with its actors, runners and cycles.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import type { RunInfo, TraceBundle } from "@/lib/trace/types";
import { expect, test } from "./fixtures";

const SCENARIO_DIR = path.resolve(__dirname, "..", "lib", "runtime", "scenarios");

function runCard(page: Page, runId: string) {
  return page.locator(`[data-testid="run-card"][data-run-id="${runId}"]`);
}

test.describe("run list filter", () => {
  test("filters by name, source and time, in the URL, with back and forward", async ({ api, page, request }) => {
    const { run: recent } = await api.runScenario("ideal", 31);
    // An old run: a bundle of a run recorded years ago, imported under a name of its own.
    const bundle = (await (await request.get(`/api/runs/${encodeURIComponent(recent.id)}/export`)).json()) as TraceBundle;
    const oldName = `archive-${Date.now().toString(36)}`;
    const imported = await request.post("/api/runs/import", {
      data: { ...bundle, run: { ...bundle.run, name: oldName, startedAt: "2020-01-01T10:00:00.000Z", endedAt: "2020-01-01T10:00:01.000Z" } },
    });
    expect(imported.status()).toBe(201);
    const old = ((await imported.json()) as { run: RunInfo }).run;

    await page.goto("/");
    await expect(runCard(page, recent.id)).toBeVisible();
    await expect(runCard(page, old.id)).toBeVisible();
    const filters = page.getByRole("search", { name: "Filter runs" });

    await filters.getByLabel("Name contains").fill(oldName);
    await filters.getByLabel("Name contains").press("Enter");
    await expect(page).toHaveURL(`/?name=${oldName}`);
    await expect(page.getByTestId("run-card")).toHaveCount(1);
    await expect(runCard(page, old.id)).toBeVisible();

    await filters.getByRole("link", { name: "Clear filter" }).click();
    await expect(page).toHaveURL("/");
    await filters.getByLabel("Source").selectOption("import");
    await expect(page).toHaveURL("/?source=import");
    await expect(runCard(page, old.id)).toBeVisible();
    await expect(runCard(page, recent.id)).toHaveCount(0);
    for (const source of await page.getByTestId("run-card").locator("dt:text-is('Source') + dd").allTextContents()) {
      expect(source).toBe("import");
    }

    await filters.getByLabel("Started").selectOption({ label: "Last 24 hours" });
    await expect(page).toHaveURL("/?source=import&since=24h");
    await expect(runCard(page, old.id)).toHaveCount(0);

    await page.goBack();
    await expect(page).toHaveURL("/?source=import");
    await expect(filters.getByLabel("Started")).toHaveValue("");
    await expect(runCard(page, old.id)).toBeVisible();
    await page.goForward();
    await expect(page).toHaveURL("/?source=import&since=24h");
    await expect(runCard(page, old.id)).toHaveCount(0);

    // A filtered address works on its own, rendered by the server.
    await page.goto("/?source=scenario&since=7d");
    await expect(filters.getByLabel("Source")).toHaveValue("scenario");
    await expect(runCard(page, recent.id)).toBeVisible();
    await expect(runCard(page, old.id)).toHaveCount(0);

    await page.goto(`/?name=${oldName}-nothing`);
    await expect(page.getByText("No run matches this filter.")).toBeVisible();
  });
});

test.describe("starting a scenario", () => {
  test("a built-in scenario starts from the page with the chosen seed", async ({ api, page }) => {
    const { run: reference } = await api.runScenario("messy", 77);
    await page.goto("/");
    const form = page.getByRole("form", { name: "Start a scenario" });
    await form.getByLabel("Scenario").selectOption("messy");
    await form.getByLabel("Seed (optional)").fill("77");
    await form.getByRole("button", { name: "Run scenario" }).click();

    const done = page.getByTestId("run-progress");
    await expect(done).toHaveAttribute("data-status", "finished");
    // The same scenario and seed record the same trace.
    await expect(done).toContainText(`Recorded messy with ${reference.eventCount} events and`);
    const runId = decodeURIComponent((await done.getByRole("link").getAttribute("href"))!.split("/").pop()!);
    const card = runCard(page, runId);
    await expect(card).toBeVisible();
    await expect(card.locator("dt:text-is('Seed') + dd")).toHaveText("77");
  });

  test("a paced run shows its progress while it records, then its result", async ({ page }) => {
    // The ideal scenario kept open for 16 s of engine time: 8 s of wall time at 2×, long enough to watch.
    const scenario = { ...JSON.parse(fs.readFileSync(path.join(SCENARIO_DIR, "ideal.json"), "utf8")), durationMs: 16_000 };
    await page.goto("/");
    const form = page.getByRole("form", { name: "Start a scenario" });
    await form.getByLabel("Upload a JSON file").check();
    await form.getByLabel("JSON file", { exact: true }).setInputFiles({
      name: "slow-ideal.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(scenario)),
    });
    await form.getByLabel("Seed (optional)").fill("5");
    await form.getByLabel("Speed").selectOption({ label: "N× real time" });
    await form.getByLabel("Times faster").fill("2");
    await form.getByRole("button", { name: "Run scenario" }).click();

    const progress = page.getByTestId("run-progress");
    await expect(progress).toHaveAttribute("data-status", "running");
    await expect(progress).toContainText(/recording ideal: \d+ events? so far/);
    const runId = decodeURIComponent((await progress.getByRole("link").getAttribute("href"))!.split("/").pop()!);
    // The list shows it recording too, then finished.
    await expect(runCard(page, runId).getByText("running", { exact: true })).toBeVisible();
    await expect(progress).toHaveAttribute("data-status", "finished", { timeout: 30_000 });
    await expect(progress).toContainText(/Recorded ideal with \d+ events and 1 cycle\./);
    await expect(runCard(page, runId).getByText("finished", { exact: true })).toBeVisible();
    await expect(runCard(page, runId).getByTestId("cycle-row")).toHaveCount(1);
  });

  test("a scenario uploaded as a JSON file runs with the chosen seed", async ({ page }) => {
    const scenario = JSON.parse(fs.readFileSync(path.join(SCENARIO_DIR, "ideal.json"), "utf8"));
    const name = `uploaded-${Date.now().toString(36)}`;
    await page.goto("/");
    const form = page.getByRole("form", { name: "Start a scenario" });
    await form.getByLabel("Upload a JSON file").check();
    await form.getByLabel("JSON file", { exact: true }).setInputFiles({
      name: "my-scenario.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ ...scenario, name })),
    });
    await expect(form.getByText(`Read my-scenario.json (scenario “${name}”).`)).toBeVisible();
    await form.getByLabel("Seed (optional)").fill("9");
    await form.getByRole("button", { name: "Run scenario" }).click();

    const done = page.getByTestId("run-progress");
    await expect(done).toHaveAttribute("data-status", "finished");
    await expect(done).toContainText(`Recorded ${name} with`);
    await done.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
    await expect(page.locator("dt:text-is('Seed') + dd")).toHaveText("9");
  });

  test("a file that is not a scenario is refused with the reason", async ({ page }) => {
    await page.goto("/");
    const form = page.getByRole("form", { name: "Start a scenario" });
    await form.getByLabel("Upload a JSON file").check();
    await form.getByLabel("JSON file", { exact: true }).setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from("[1, 2") });
    await expect(form.getByText(/bad\.json is not valid JSON/)).toBeVisible();
    await expect(form.getByRole("button", { name: "Run scenario" })).toBeDisabled();

    await form.getByLabel("JSON file", { exact: true }).setInputFiles({
      name: "typo.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ name: "typo", stepz: [] })),
    });
    await form.getByRole("button", { name: "Run scenario" }).click();
    await expect(form.getByRole("alert")).toContainText("stepz");
  });
});

test.describe("a run's page", () => {
  test("shows its actors, runners and cycles with their figures and anomalies", async ({ api, page }) => {
    const { run, cycles } = await api.runScenario("messy", 33);
    const actors = await api.actors(run.id);
    await page.goto(`/runs/${encodeURIComponent(run.id)}`);

    const actorRows = page.getByTestId("actor-row");
    await expect(actorRows).toHaveCount(actors.length);
    await expect(actorRows.first()).toContainText(actors[0].state!);

    // The messy scenario's first runner is drained and evicted, and so is its replacement.
    const runnerRows = page.getByTestId("runner-row");
    await expect(runnerRows).toHaveCount(2);
    for (const row of await runnerRows.all()) await expect(row).toContainText("evicted");

    const cycleRows = page.getByTestId("cycle-row");
    await expect(cycleRows).toHaveCount(cycles.length);
    for (const [index, cycle] of cycles.entries()) {
      const row = cycleRows.nth(index);
      await expect(row).toContainText(cycle.outcome);
      await expect(row.locator("td").nth(6)).toHaveText(String(cycle.requestsServed));
      for (const anomaly of cycle.anomalies) await expect(row.getByTestId("cycle-anomalies")).toContainText(anomaly.kind);
    }
    const anomalies = cycles.flatMap((cycle) => cycle.anomalies);
    expect(anomalies.length).toBeGreaterThan(0);
    const list = page.getByTestId("anomaly-list");
    await expect(list.getByRole("listitem")).toHaveCount(anomalies.length);
    for (const anomaly of anomalies) await expect(list).toContainText(anomaly.message);
  });

  test("follows a run that is still recording", async ({ page, request }) => {
    // The ideal scenario at real time, kept open for 8 s after its request: long enough to watch.
    const scenario = { ...JSON.parse(fs.readFileSync(path.join(SCENARIO_DIR, "ideal.json"), "utf8")), durationMs: 8000 };
    const started = await request.post("/api/runs", { data: { scenario, seed: 8, speed: "realtime" } });
    expect(started.status()).toBe(202);
    const { run } = (await started.json()) as { run: RunInfo };
    await page.goto(`/runs/${encodeURIComponent(run.id)}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("running");
    await expect(page.getByTestId("run-progress")).toContainText("Recording");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("finished", { timeout: 30_000 });
    await expect(page.getByTestId("run-progress")).toHaveCount(0);
    await expect(page.getByTestId("cycle-row")).toHaveCount(1);
  });
});
