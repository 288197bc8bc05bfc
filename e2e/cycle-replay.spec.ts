// Replaying a cycle step by step with the mouse and with the keyboard: the diagram shows the flow up
// to the current step, highlights it, and the position is in the URL (so back/forward and links work).
import { expect, test } from "@playwright/test";
import { CycleApi, CyclePage } from "./cycle-support";

/** The step number the replay shows ("Step 4 of 30" → 4; "All 30 steps" → Infinity). */
async function stepShown(cyclePage: CyclePage): Promise<number> {
  const text = (await cyclePage.replayStatus.textContent()) ?? "";
  const match = /Step (\d+) of/.exec(text);
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

test.describe("replay", () => {
  test("by mouse: first, forward, back, play and pause, scrubber", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 11);
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();
    const total = await cyclePage.items().count();
    expect(total).toBeGreaterThan(5);
    await expect(cyclePage.replayStatus).toContainText(`All ${total} steps`);

    await cyclePage.button("First").click();
    await expect(cyclePage.replayStatus).toContainText(`Step 1 of ${total}`);
    await cyclePage.waitForRendered();
    await expect(cyclePage.items()).toHaveCount(1);
    const firstSeq = await cyclePage.urlParam("at");
    expect(firstSeq).not.toBeNull();
    // The current step is highlighted on the drawing.
    await expect(cyclePage.item(Number(firstSeq))).toHaveClass(/is-current/);
    await expect(cyclePage.svg.locator("rect.rect")).toHaveCount(1);

    await cyclePage.button("Forward").click();
    await cyclePage.button("Forward").click();
    await expect(cyclePage.replayStatus).toContainText(`Step 3 of ${total}`);
    await cyclePage.waitForRendered();
    await expect(cyclePage.items()).toHaveCount(3);
    await cyclePage.button("Back").click();
    await expect(cyclePage.replayStatus).toContainText(`Step 2 of ${total}`);
    await cyclePage.waitForRendered();
    await expect(cyclePage.items()).toHaveCount(2);

    // Play advances on its own (at 8× to keep the test short); pause stops it where it is.
    await cyclePage.replay.getByLabel("Speed").selectOption("8");
    await cyclePage.button("Play").click();
    await expect(cyclePage.button("Pause")).toHaveAttribute("aria-pressed", "true");
    await expect.poll(() => stepShown(cyclePage), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    await cyclePage.button("Pause").click();
    const paused = await cyclePage.urlParam("at");
    await cyclePage.waitForRendered();
    expect(await cyclePage.urlParam("at")).toBe(paused);
    await expect(cyclePage.button("Play")).toHaveAttribute("aria-pressed", "false");

    // The scrubber jumps anywhere.
    await page.getByLabel("Replay position").fill("3");
    await expect(cyclePage.replayStatus).toContainText(`Step 4 of ${total}`);
    await cyclePage.waitForRendered();
    await expect(cyclePage.items()).toHaveCount(4);

    // Playing to the end shows the whole cycle again.
    await cyclePage.button("All").click();
    await expect(cyclePage.replayStatus).toContainText(`All ${total} steps`);
    expect(await cyclePage.urlParam("at")).toBeNull();
    await cyclePage.waitForRendered();
    await expect(cyclePage.items()).toHaveCount(total);
  });

  test("by keyboard: arrows, Home, End and space; back and forward restore the position", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 12);
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1, "&rate=8");
    await cyclePage.waitForRendered();
    const total = await cyclePage.items().count();

    await page.keyboard.press("Home");
    await expect(cyclePage.replayStatus).toContainText(`Step 1 of ${total}`);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect(cyclePage.replayStatus).toContainText(`Step 4 of ${total}`);
    await page.keyboard.press("ArrowLeft");
    await expect(cyclePage.replayStatus).toContainText(`Step 3 of ${total}`);
    await cyclePage.waitForRendered();
    await expect(cyclePage.items()).toHaveCount(3);

    // Back goes to the previous position, forward returns.
    await page.goBack();
    await expect(cyclePage.replayStatus).toContainText(`Step 4 of ${total}`);
    await page.goForward();
    await expect(cyclePage.replayStatus).toContainText(`Step 3 of ${total}`);

    // Space plays and pauses.
    await page.locator("h1").click();
    await page.keyboard.press("Space");
    await expect(cyclePage.button("Pause")).toBeVisible();
    await expect.poll(() => stepShown(cyclePage), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    await page.keyboard.press("Space");
    await expect(cyclePage.button("Play")).toBeVisible();

    await page.keyboard.press("End");
    await expect(cyclePage.replayStatus).toContainText(`All ${total} steps`);

    // The controls are reachable with Tab and show where the focus is.
    await page.keyboard.press("Home");
    await cyclePage.button("Forward").focus();
    await page.keyboard.press("Enter");
    await expect(cyclePage.replayStatus).toContainText(`Step 2 of ${total}`);
    await page.keyboard.press("Tab");
    const focused = page.locator(":focus");
    await expect(focused).toHaveAccessibleName(/All/);
    const outline = await focused.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).not.toBe("none");
  });

  test("a link with a replay position opens at that step", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 13);
    const events = await api.cycleEvents(run.id, "actor-1", 1);
    const wake = events.find((event) => event.type === "Wake");
    expect(wake).toBeDefined();
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1, `&at=${wake!.seq}`);
    await cyclePage.waitForRendered();
    await expect(cyclePage.item(wake!.seq)).toHaveClass(/is-current/);
    // Nothing after the Wake is drawn.
    const drawn = await cyclePage.items().evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-seq"))));
    expect(Math.max(...drawn)).toBe(wake!.seq);
  });
});
