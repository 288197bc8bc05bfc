// How a comparison is shown (layout, zoom, scrolling together) is part of its address: a reload, or
// someone opening the copied link, sees the same view; choosing another cycle keeps it.
import { expect, test, type Page } from "@playwright/test";
import { drawnScale, expectZoom } from "./canvas-support";
import { CycleApi } from "./cycle-support";

async function bothDrawn(page: Page) {
  for (const side of ["compare-baseline", "compare-compared"] as const) {
    await expect(page.getByTestId(side).getByTestId("diagram")).toHaveAttribute("data-rendered", "true", { timeout: 30_000 });
  }
}

test("layout, zoom and scrolling together survive a reload and a copied link", async ({ page, browser, request }) => {
  const api = new CycleApi(request);
  const { run: ideal } = await api.runInstant("ideal", 82);
  const { run: messy } = await api.runInstant("messy", 82);
  await page.goto(`/compare?a=${ideal.id}:actor-1:1&b=${messy.id}:actor-1:2`);
  await bothDrawn(page);
  const grid = page.getByTestId("compare-grid");
  const baseline = page.getByTestId("compare-baseline");
  const together = page.getByRole("checkbox", { name: "Scroll both together" });
  await expect(grid).toHaveAttribute("data-layout", "side");

  await page.getByRole("button", { name: "Stacked" }).click();
  await baseline.getByRole("button", { name: "Zoom in" }).click();
  await expectZoom(page, "125%", baseline);
  await together.uncheck();
  await expect(page).toHaveURL(/layout=stacked/);
  await expect(page).toHaveURL(/zoom=125/);
  await expect(page).toHaveURL(/sync=off/);
  // The comparison itself is still in the address, readable.
  await expect(page).toHaveURL(new RegExp(`a=${ideal.id}:actor-1:1`));

  await page.reload();
  await bothDrawn(page);
  await expect(grid).toHaveAttribute("data-layout", "stacked");
  await expectZoom(page, "125%", baseline);
  expect((await drawnScale(page.getByTestId("compare-compared").getByTestId("diagram").locator("svg").first())).scale).toBeCloseTo(1.25, 2);
  await expect(together).not.toBeChecked();
  await expect(page.getByRole("button", { name: "Stacked" })).toHaveAttribute("aria-pressed", "true");

  // The address opened elsewhere (a fresh browser context: nothing remembered) shows the same view.
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await elsewhere.goto(page.url());
  await bothDrawn(elsewhere);
  await expect(elsewhere.getByTestId("compare-grid")).toHaveAttribute("data-layout", "stacked");
  await expectZoom(elsewhere, "125%", elsewhere.getByTestId("compare-baseline"));
  await other.close();

  // Back to the defaults: they leave the address.
  await page.getByRole("button", { name: "Side by side" }).click();
  await baseline.getByRole("button", { name: "Actual size" }).click();
  await together.check();
  await expect(page).not.toHaveURL(/layout=|zoom=|sync=/);
  await expect(grid).toHaveAttribute("data-layout", "side");
});
