// A comparison you can read: both diagrams at their own size (100% text scale) side by side, each
// scrolling sideways, or stacked; scrolling and zooming one does the same to the other; each listed
// difference brings its place on the diagrams into view. The same for a recording against a
// reference .mmd.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { boxOf, drawnScale, expectZoom, isInView, scrollOf, scrollTo } from "./canvas-support";
import { CycleApi } from "./cycle-support";
import { REFERENCE_DIR } from "./reference";

function pane(page: Page, side: "compare-baseline" | "compare-compared") {
  const root = page.getByTestId(side);
  return { root, svg: root.getByTestId("diagram").locator("svg").first(), viewport: root.getByTestId("diagram-viewport") };
}

async function bothDrawn(page: Page) {
  for (const side of ["compare-baseline", "compare-compared"] as const) {
    await expect(page.getByTestId(side).getByTestId("diagram")).toHaveAttribute("data-rendered", "true", { timeout: 30_000 });
  }
}

test.describe("compare at a readable size", () => {
  test("two cycles side by side at 100%, scrolled and zoomed together, differences listed and found on both", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run: ideal } = await api.runInstant("ideal", 81);
    const { run: messy } = await api.runInstant("messy", 81);
    await page.goto(`/compare?a=${ideal.id}:actor-1:1&b=${messy.id}:actor-1:2`);
    await bothDrawn(page);
    const a = pane(page, "compare-baseline");
    const b = pane(page, "compare-compared");

    // Readable: the drawings at their own size (text at 16 px), not squeezed into the column.
    for (const side of [a, b]) {
      expect((await drawnScale(side.svg)).scale).toBeGreaterThanOrEqual(0.999);
      const fontSize = await side.svg.locator(".messageText").first().evaluate((node) => Number.parseFloat(getComputedStyle(node).fontSize));
      expect(fontSize).toBeGreaterThanOrEqual(16);
    }
    // Side by side, each scrolling sideways within its column.
    await expect(page.getByTestId("compare-grid")).toHaveAttribute("data-layout", "side");
    const [boxA, boxB] = [await boxOf(a.viewport), await boxOf(b.viewport)];
    expect(boxB.x).toBeGreaterThan(boxA.x + boxA.width - 1);
    expect(Math.abs(boxB.y - boxA.y)).toBeLessThan(2);
    expect(await a.viewport.evaluate((node) => node.scrollWidth > node.clientWidth)).toBe(true);

    // Scrolling one scrolls the other.
    await scrollTo(a.viewport, 150, 300);
    await expect.poll(() => scrollOf(b.viewport)).toEqual({ left: 150, top: 300 });
    await scrollTo(b.viewport, 40, 120);
    await expect.poll(() => scrollOf(a.viewport)).toEqual({ left: 40, top: 120 });

    // Zooming one zooms both.
    await a.root.getByRole("button", { name: "Zoom in" }).click();
    await expectZoom(page, "125%", a.root);
    await expectZoom(page, "125%", b.root);
    expect((await drawnScale(b.svg)).scale).toBeCloseTo(1.25, 2);
    await b.root.getByRole("button", { name: "Actual size" }).click();
    await expectZoom(page, "100%", a.root);

    // Each difference is listed and marked on the diagrams; choosing one brings it into view.
    // (Arrows and notes: a block boundary has no drawn element of its own.)
    const extra = page.getByTestId("diff-group-extra").getByTestId("diff-item").filter({ hasText: /->>|-->|note over/ });
    const extras = await extra.count();
    expect(extras).toBeGreaterThan(0);
    await expect(b.svg.locator("[data-diff]")).not.toHaveCount(0);
    await scrollTo(b.viewport, 0, 0);
    await extra.nth(extras - 1).getByRole("button").click();
    const revealed = b.svg.locator(".wl-revealed");
    await expect(revealed).toHaveCount(1);
    await expect(revealed).toHaveAttribute("data-diff", "extra");
    await expect.poll(() => isInView(page, revealed, b.viewport)).toBe(true);

    // Stacked: one above the other, full width.
    await page.getByRole("button", { name: "Stacked" }).click();
    await expect(page.getByTestId("compare-grid")).toHaveAttribute("data-layout", "stacked");
    const [stackedA, stackedB] = [await boxOf(a.viewport), await boxOf(b.viewport)];
    expect(stackedB.y).toBeGreaterThan(stackedA.y + stackedA.height);
    expect(stackedA.width).toBeGreaterThan(boxA.width * 1.5);
  });

  test("a cycle against a reference .mmd: both drawn at 100%, scrolled together, missing items found", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 82);
    await page.goto(`/compare?a=${run.id}:actor-1:1&with=reference`);
    await page.getByLabel("Or paste the reference diagram (Mermaid)").fill(fs.readFileSync(path.join(REFERENCE_DIR, "messy-serverless-flow.mmd"), "utf8"));
    await page.getByRole("button", { name: "Check conformance" }).click();
    await expect(page.getByTestId("compare-verdict")).toHaveAttribute("data-ok", "false");
    await bothDrawn(page);
    const reference = pane(page, "compare-baseline");
    const recording = pane(page, "compare-compared");
    for (const side of [reference, recording]) expect((await drawnScale(side.svg)).scale).toBeGreaterThanOrEqual(0.999);

    await scrollTo(recording.viewport, 0, 250);
    await expect.poll(async () => (await scrollOf(reference.viewport)).top).toBe(250);

    const missing = page.getByTestId("diff-group-missing").getByTestId("diff-item").filter({ hasText: /->>|-->|note over/ });
    await missing.last().getByRole("button").click();
    const revealed = reference.svg.locator(".wl-revealed");
    await expect(revealed).toHaveAttribute("data-diff", "missing");
    await expect.poll(() => isInView(page, revealed, reference.viewport)).toBe(true);
  });
});
