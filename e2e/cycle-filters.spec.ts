// Filtering never breaks a diagram: on the messy cycle, hiding any one lifeline or any one message
// type (with its checkbox) still draws a clean SVG — no Mermaid error, no NaN coordinate from an
// emptied block, no console error — and only what the filter leaves.
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { collectErrors } from "./canvas-support";
import { CycleApi, CyclePage } from "./cycle-support";

test.describe("filters", () => {
  test("hiding each lifeline of the messy cycle draws without an SVG error", async ({ page, request }) => {
    test.setTimeout(120_000);
    const { errors, cyclePage, allItems, boxes, count } = await openFilterMenu(page, request, "Lifelines");
    expect(count).toBeGreaterThanOrEqual(8);

    for (let index = 0; index < count; index++) {
      const box = boxes.nth(index);
      const name = (await box.locator("xpath=..").textContent())?.trim() ?? `lifeline ${index}`;
      await hiddenDrawsClean(page, cyclePage, box, name, "hide", allItems, async () => {
        // Every item still drawn is still clickable.
        const shown = await cyclePage.items().count();
        expect(shown, name).toBe(await cyclePage.messages().count() + (await cyclePage.svg.locator('[data-et="note"]').count()) - (await untagged(cyclePage)));
      });
    }
    expect(errors).toEqual([]);
  });

  test("hiding each message type of the messy cycle draws without an SVG error", async ({ page, request }) => {
    test.setTimeout(240_000);
    const { errors, cyclePage, allItems, boxes, count } = await openFilterMenu(page, request, "Message types");
    expect(count).toBeGreaterThanOrEqual(10);

    for (let index = 0; index < count; index++) {
      const box = boxes.nth(index);
      const name = (await box.locator("xpath=..").locator(".mono").textContent())?.trim() ?? `type ${index}`;
      await hiddenDrawsClean(page, cyclePage, box, name, "hideTypes", allItems);
    }
    expect(errors).toEqual([]);
  });
});

/**
 * The messy cycle drawn, with its console errors collected and one filter menu open: its
 * checkboxes, and how many items the unfiltered diagram draws.
 */
async function openFilterMenu(page: Page, request: APIRequestContext, title: string) {
  const api = new CycleApi(request);
  const { run } = await api.runInstant("messy", 71);
  const errors = collectErrors(page);
  const cyclePage = new CyclePage(page);
  await cyclePage.goto(run.id, "actor-1", 1);
  await cyclePage.waitForRendered();
  const allItems = await cyclePage.items().count();
  const menu = page.locator("details.filter-menu").filter({ hasText: title });
  await menu.locator("summary").click();
  const boxes = menu.getByRole("checkbox");
  return { errors, cyclePage, allItems, boxes, count: await boxes.count() };
}

/**
 * Unchecks one filter box: the URL gains `param`, the diagram draws again with no NaN and no
 * error, fewer items than unfiltered (and passes `check`); then checks it again and waits for the
 * whole diagram.
 */
async function hiddenDrawsClean(page: Page, cyclePage: CyclePage, box: Locator, name: string, param: "hide" | "hideTypes", allItems: number, check?: () => Promise<void>) {
  const inUrl = new RegExp(`[?&]${param}=`);
  await box.uncheck();
  await expect(page, name).toHaveURL(inUrl);
  await cyclePage.waitForRendered();
  const svg = await cyclePage.svg.evaluate((node) => node.outerHTML);
  expect(svg.includes("NaN"), `${name} hidden: NaN in the SVG`).toBe(false);
  await expect(page.locator(".diagram-error"), name).toHaveCount(0);
  expect(await cyclePage.items().count(), name).toBeLessThan(allItems);
  await check?.();
  await box.check();
  await expect(page, name).not.toHaveURL(inUrl);
  await cyclePage.waitForRendered();
}

/** Drawn elements the view added itself (the "multiple runners" notes), which select no event. */
async function untagged(cyclePage: CyclePage): Promise<number> {
  return cyclePage.svg.evaluate(
    (node) =>
      [...node.querySelectorAll('[data-et="message"], [data-et="note"]')].filter((element) => element.closest("[data-seq]") === null).length,
  );
}
