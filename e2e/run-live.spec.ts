// A run's page while the run records: the diagram of its cycle grows from the streamed events (no
// reload), drawing the latest steps of a long cycle, and once the run has ended it shows the whole
// stored diagram.
import { expect, test } from "./fixtures";
import { busyActorScenario, CycleApi } from "./cycle-support";

test("the run page draws a recording cycle as it grows, then the whole stored diagram", async ({ page, request, api }) => {
  test.setTimeout(120_000);
  const cycles = new CycleApi(request);
  // 10 requests 1.5 s apart in real time: long enough to watch, and more steps than a live window.
  const scenario = busyActorScenario({ name: "run-page-live", requests: 10, everyMs: 1_500, tailMs: 500, path: (index) => `/grow-${index}` });
  const { run } = await cycles.runPaced(scenario, "realtime");
  await expect.poll(async () => (await cycles.cycles(run.id)).length, { timeout: 15_000 }).toBeGreaterThan(0);

  await page.goto(`/runs/${encodeURIComponent(run.id)}?actor=actor-1&draw=1`);
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = "same page"));
  const diagram = page.getByTestId("diagram");
  await expect(diagram.locator("svg").first()).toBeVisible({ timeout: 30_000 });
  const drawnText = () => diagram.locator("svg").first().textContent();
  const newest = async () => Math.max(-1, ...[...((await drawnText()) ?? "").matchAll(/\/grow-(\d+)/g)].map((match) => Number(match[1])));
  const first = await newest();
  // Later requests appear on the same page as they are recorded.
  await expect.poll(newest, { timeout: 30_000 }).toBeGreaterThan(first);
  // A long cycle is followed at its end while it records: the page says which part it draws.
  await expect(page.getByTestId("live-window")).toContainText("latest 50 of", { timeout: 30_000 });
  await expect.poll(newest, { timeout: 30_000 }).toBe(9);
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same page");

  // Ended: the whole cycle as stored, the same text the API gives.
  await expect(page.getByRole("heading", { level: 1 })).toContainText("finished", { timeout: 30_000 });
  await expect(page.getByTestId("live-window")).toHaveCount(0);
  const stored = await api.diagram(run.id, { actor: "actor-1", cycle: 1 });
  await expect(page.getByTestId("mermaid-text")).toHaveText(stored.text, { timeout: 15_000 });
  await expect(diagram).toHaveAttribute("data-rendered", "true", { timeout: 30_000 });
  expect(await newest()).toBe(9);
  expect(await drawnText()).toContain("/grow-0");
});
