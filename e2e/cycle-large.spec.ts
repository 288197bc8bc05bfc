// A cycle of more than 5,000 events stays usable: a window of it is drawn (never Mermaid's size
// error), the page says which part is on screen, and the rest is reached quickly.
import { expect, test } from "@playwright/test";
import { busyActorScenario, CycleApi, CyclePage } from "./cycle-support";

function windowRange(text: string | null): { from: number; to: number; total: number } {
  const match = /steps\s*([\d,]+)\s*–\s*([\d,]+)\s*of\s*([\d,]+)/.exec(text ?? "");
  if (!match) throw new Error(`no window range in "${text}"`);
  const number = (value: string) => Number(value.replace(/,/g, ""));
  return { from: number(match[1]), to: number(match[2]), total: number(match[3]) };
}

test.describe("large cycle", () => {
  test("a 5,000-event cycle is browsed window by window without a Mermaid error", async ({ page, request }) => {
    test.setTimeout(120_000);
    const api = new CycleApi(request);
    const { run, cycles } = await api.runInstant(busyActorScenario({ name: "large-cycle", requests: 520, everyMs: 20 }));
    expect(cycles[0].eventCount).toBeGreaterThanOrEqual(5_000);

    const cyclePage = new CyclePage(page);
    const range = page.getByTestId("window-range");
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();
    const first = windowRange(await range.textContent());
    expect(first.from).toBe(1);
    expect(first.total).toBeGreaterThan(4_000);
    expect(first.to - first.from + 1).toBeLessThanOrEqual(250);
    await expect(cyclePage.items()).toHaveCount(first.to - first.from + 1);

    const navigator = page.getByTestId("window-nav");
    await navigator.getByRole("button", { name: "Later steps" }).click();
    await expect.poll(async () => windowRange(await range.textContent()).from).toBeGreaterThan(first.from);
    await cyclePage.waitForRendered();
    const later = windowRange(await range.textContent());
    const drawn = await cyclePage.items().evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-seq"))));
    expect(drawn).toHaveLength(later.to - later.from + 1);

    await navigator.getByRole("button", { name: "End" }).click();
    await expect.poll(async () => windowRange(await range.textContent()).to).toBe(first.total);
    await cyclePage.waitForRendered();

    // Jump to a step in the middle: it is drawn and selected.
    await navigator.getByLabel("Go to step").fill("3000");
    await navigator.getByRole("button", { name: "Go" }).click();
    await expect.poll(async () => {
      const { from, to } = windowRange(await range.textContent());
      return from <= 3_000 && 3_000 <= to;
    }).toBe(true);
    await cyclePage.waitForRendered();
    await expect(cyclePage.svg.locator(".is-selected")).toHaveCount(1);
    await expect(cyclePage.detail).toBeVisible();

    // Replaying moves the window with the position.
    await page.locator("h1").click();
    await page.keyboard.press("Home");
    await expect(cyclePage.replayStatus).toContainText(`Step 1 of ${first.total}`);
    await expect.poll(async () => windowRange(await range.textContent()).from).toBe(1);
    await page.getByLabel("Replay position").fill("4000");
    await expect.poll(async () => {
      const { from, to } = windowRange(await range.textContent());
      return from <= 4_001 && 4_001 <= to;
    }).toBe(true);
    await cyclePage.waitForRendered();

    // At no point did the user see Mermaid's size error or a broken drawing.
    await expect(page.getByText("Maximum text size")).toHaveCount(0);
    await expect(page.locator(".diagram-error")).toHaveCount(0);
  });
});
