// The timeline beside the diagram: a lane per lifeline on the engine's time axis, the critical path
// of the wake cut into stages, and one selection shared with the diagram and the replay.
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
});
