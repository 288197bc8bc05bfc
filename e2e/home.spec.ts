import { cycleHrefPattern } from "./paths";
import { expect, test } from "./fixtures";

test.describe("home page", () => {
  test("lists a recorded run with each of its cycles", async ({ api, homePage }) => {
    const { run, cycles } = await api.runScenario("messy", 3);
    expect(cycles.length).toBeGreaterThan(0);

    await homePage.goto();
    const card = homePage.runCard(run.id);
    await expect(card.getByRole("heading", { name: run.name })).toBeVisible();
    await expect(homePage.cycleRows(run.id)).toHaveCount(cycles.length);

    const first = cycles[0];
    await card.getByRole("link", { name: `Cycle ${first.ordinal} of actor ${first.actorId}` }).click();
    await expect(homePage.page).toHaveURL(cycleHrefPattern(run.id, first.ordinal));
    await expect(homePage.page.getByRole("heading", { level: 1 })).toContainText(`Cycle ${first.ordinal}`);
  });

  test("starting a scenario from the form records a run that then appears in the list", async ({ homePage, page }) => {
    await homePage.goto();
    await homePage.startScenario("ideal", 7);

    const confirmation = page.getByRole("status").filter({ hasText: "Recorded" });
    await expect(confirmation).toBeVisible({ timeout: 30_000 });
    const runLink = confirmation.getByRole("link");
    const href = await runLink.getAttribute("href");
    const runId = decodeURIComponent(href?.split("/").pop() ?? "");
    expect(runId).not.toBe("");

    await expect(homePage.runCard(runId)).toBeVisible();
    await expect(homePage.cycleRows(runId).first()).toBeVisible();
  });
});
