// The timeline beside the diagram: a lane per lifeline on the engine's time axis, the critical path
// of the wake cut into stages, and one selection shared with the diagram and the replay.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { CycleApi, CyclePage } from "./cycle-support";

test.describe("cycle timeline", () => {
  test("shows where the time went and selects the same event as the diagram", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 91);
    const events = await api.cycleEvents(run.id, "actor-1", 1);
    const wake = events.find((event) => event.type === "Wake")!;
    const ready = events.find((event) => event.type === "Ready")!;
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();

    const timeline = page.getByTestId("cycle-timeline");
    await expect(timeline.getByRole("heading", { name: "Timeline" })).toBeVisible();
    const lanes = timeline.locator(".timeline-lane");
    await expect(lanes.first()).toContainText("User");
    // Every step on screen is on the timeline, in its sender's lane.
    await expect(timeline.locator(".timeline-item")).toHaveCount(await cyclePage.items().count());
    await expect(timeline.locator('.timeline-lane[data-role="Gateway"]').locator(`[data-seq="${wake.seq}"]`)).toHaveCount(1);

    // The critical path, from the request to the response, in stages.
    const stages = timeline.getByRole("list", { name: "Where the time went" });
    for (const stage of ["wake → allocation", "allocation → /start", "/start → runner connected", "runner connected → StartActor", "StartActor → Running", "Running → Ready", "Ready → response"]) {
      await expect(stages.getByRole("button", { name: stage, exact: true })).toBeVisible();
    }
    await expect(timeline.getByTestId("critical-ms")).toHaveText(/\d+ ms/);
    await expect(timeline.locator(`[data-seq="${wake.seq}"]`)).toHaveClass(/is-critical/);

    // A click on the timeline selects the event in the diagram (and the URL).
    await timeline.locator(`[data-seq="${wake.seq}"]`).click();
    await expect(page).toHaveURL(new RegExp(`[?&]sel=${wake.seq}(&|$)`));
    await expect(cyclePage.item(wake.seq)).toHaveClass(/is-selected/);
    await expect(timeline.locator(`[data-seq="${wake.seq}"]`)).toHaveClass(/is-selected/);
    await expect(cyclePage.detail.getByRole("heading", { name: `Event #${wake.seq}` })).toBeVisible();

    // And the other way round: the diagram's selection is the timeline's.
    await cyclePage.item(ready.seq).click();
    await expect(page).toHaveURL(new RegExp(`[?&]sel=${ready.seq}(&|$)`));
    await expect(timeline.locator(`[data-seq="${ready.seq}"]`)).toHaveClass(/is-selected/);
    await expect(timeline.locator(`[data-seq="${wake.seq}"]`)).not.toHaveClass(/is-selected/);

    // A stage selects the event it ends with.
    await stages.getByRole("button", { name: "Running → Ready", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]sel=${ready.seq}(&|$)`));

    // The replay position is marked on the timeline too.
    await page.locator("h1").click();
    await page.keyboard.press("Home");
    await expect(cyclePage.replayStatus).toContainText("Step 1 of");
    const at = Number(await cyclePage.urlParam("at"));
    await expect(timeline.locator(`[data-seq="${at}"]`)).toHaveClass(/is-current/);

    // A closer look at the wake: the axis spans the critical path, and only its steps are on it.
    const all = await timeline.locator(".timeline-item").count();
    await timeline.getByRole("button", { name: "The wake only" }).click();
    await expect(timeline.getByRole("button", { name: "The wake only" })).toHaveAttribute("aria-pressed", "true");
    await expect(timeline.getByText(/on the engine clock from \+/)).toBeVisible();
    expect(await timeline.locator(".timeline-item").count()).toBeLessThanOrEqual(all);
    await expect(timeline.locator(`[data-seq="${wake.seq}"]`)).toHaveClass(/is-critical/);
    await expect(timeline.locator(`[data-seq="${ready.seq}"]`)).toBeVisible();
  });

  test("the keyboard moves the selection along the timeline, with the focus in sight", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 92);
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();
    const timeline = page.getByTestId("cycle-timeline");
    const lanes = timeline.getByRole("listbox", { name: /Events on the timeline/ });
    const items = timeline.locator(".timeline-item");
    await expect(items.first()).toBeVisible();
    // In time order, as the keys walk them.
    const ordered = await timeline.locator('[role="option"]').evaluateAll((nodes) =>
      nodes
        .map((node) => ({ seq: Number(node.getAttribute("data-seq")), left: Number.parseFloat((node as HTMLElement).style.left) }))
        .sort((a, b) => a.left - b.left || a.seq - b.seq)
        .map((item) => item.seq),
    );
    expect(ordered.length).toBeGreaterThan(5);

    // Reached with Tab, right after the last stage: one stop, its focus ring visible.
    await timeline.getByRole("list", { name: "Where the time went" }).getByRole("button").last().focus();
    await page.keyboard.press("Tab");
    await expect(lanes).toBeFocused();
    expect(await lanes.evaluate((node) => node.matches(":focus-visible") && getComputedStyle(node).outlineStyle !== "none")).toBe(true);

    const selectedSeq = () => cyclePage.urlParam("sel").then(Number);
    await page.keyboard.press("ArrowRight");
    await expect.poll(selectedSeq).toBe(ordered[0]);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(selectedSeq).toBe(ordered[2]);
    await expect(timeline.locator(`[data-seq="${ordered[2]}"]`)).toHaveClass(/is-selected/);
    await expect(timeline.locator(`[data-seq="${ordered[2]}"]`)).toHaveAttribute("aria-selected", "true");
    // The selection is the diagram's too, and the listbox names it as its active option.
    await expect(cyclePage.item(ordered[2])).toHaveClass(/is-selected/);
    const activeId = await lanes.getAttribute("aria-activedescendant");
    expect(await page.locator(`[id="${activeId}"]`).getAttribute("data-seq")).toBe(String(ordered[2]));
    await page.keyboard.press("ArrowLeft");
    await expect.poll(selectedSeq).toBe(ordered[1]);
    await page.keyboard.press("End");
    await expect.poll(selectedSeq).toBe(ordered[ordered.length - 1]);
    // The arrows belong to the timeline here: the replay did not move.
    expect(await cyclePage.urlParam("at")).toBeNull();
    await page.keyboard.press("Home");
    await expect.poll(selectedSeq).toBe(ordered[0]);
    // Down: to the next lane's event nearest in time, on another lane than before.
    const laneOf = (seq: number) => timeline.locator(`[data-seq="${seq}"]`).evaluate((node) => node.closest(".timeline-lane")?.getAttribute("data-role"));
    const firstLane = await laneOf(ordered[0]);
    await page.keyboard.press("ArrowDown");
    await expect.poll(async () => laneOf(await selectedSeq())).not.toBe(firstLane);
    await expect(lanes).toBeFocused();

    const axe = await new AxeBuilder({ page }).include('[data-testid="cycle-timeline"]').analyze();
    expect(axe.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(" | ")}`)).toEqual([]);
  });
});
