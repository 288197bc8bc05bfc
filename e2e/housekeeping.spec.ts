// Search across runs, deleting a run, paging the run list, a run's share links — against the real
// server (`npm start`), seeding data through the API and the live engine's gateway.
import { expect, test } from "./fixtures";

test.describe("search", () => {
  test("finds an event by text in its payload and opens its cycle with the event selected", async ({ page, request }) => {
    const needle = `needle-${Date.now().toString(36)}`;
    // A gateway request to the live demo actor: its path lands in the recorded payloads.
    const answer = await request.get(`/gateway/demo/${needle}`);
    expect(answer.status()).toBeLessThan(500);

    await page.goto("/");
    const box = page.getByRole("search").getByRole("searchbox", { name: "Search events" });
    await box.fill(needle);
    await box.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/search\\?q=${needle}`));
    // The commit reaches the index within the recorder's flush interval; search again until it does.
    const hits = page.getByTestId("search-hit");
    await expect(async () => {
      await page.reload();
      await expect(hits.first()).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(hits.first()).toContainText("Live engine");

    // The request's arrow into the actor belongs to its cycle: that hit opens the cycle view.
    await page.locator('[data-testid="search-hit"][data-in-cycle="yes"]').first().getByRole("link").first().click();
    await expect(page).toHaveURL(/\/runs\/[^/]+\/cycles\/\d+\?.*sel=\d+/);
    const sel = new URL(page.url()).searchParams.get("sel");
    await expect(page.getByTestId("event-detail")).toContainText(`Event #${sel}`);
  });
});

test.describe("housekeeping", () => {
  test("a run is deleted after a confirmation and is gone from the list", async ({ api, page, request }) => {
    const { run } = await api.runScenario("ideal", 5);
    await page.goto(`/runs/${encodeURIComponent(run.id)}`);
    await page.getByRole("button", { name: "Delete this run…" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("cannot be undone");
    await confirm.getByRole("button", { name: "Delete for good" }).click();
    await expect(page).toHaveURL(/\/$|\/\?/);
    await expect(page.getByTestId("run-list")).toBeVisible();
    await expect(page.locator(`a[href^="/runs/${run.id}"]`)).toHaveCount(0);
    expect((await request.get(`/api/runs/${run.id}`)).status()).toBe(404);
  });

  test("the running live run cannot be deleted (409 with a code)", async ({ request }) => {
    const runs = (await (await request.get("/api/runs?source=live&limit=1")).json()) as { id: string; status: string }[];
    test.skip(runs[0]?.status !== "running", "no live run recording");
    const answer = await request.delete(`/api/runs/${runs[0].id}`);
    expect(answer.status()).toBe(409);
    expect(await answer.json()).toMatchObject({ code: "run_running" });
  });

  test("the run list pages past 50 runs", async ({ api, page }) => {
    const mine: string[] = [];
    for (let i = 0; i < 51; i++) mine.push((await api.runScenario("ideal", 100 + i)).run.id);
    await page.goto("/");
    const list = page.getByTestId("run-list");
    await expect(list).toBeVisible();
    // My first run has 50 newer ones: it is on page 2, not page 1.
    await expect(list.locator(`a[href^="/runs/${mine[mine.length - 1]}"]`).first()).toBeVisible();
    await expect(list.locator(`a[href^="/runs/${mine[0]}"]`)).toHaveCount(0);
    await page.getByRole("button", { name: "Older runs →" }).click();
    await expect(page.getByTestId("run-page")).toHaveText("Page 2");
    await expect(list.locator(`a[href^="/runs/${mine[0]}"]`).first()).toBeVisible();
    await expect(list.locator(`a[href^="/runs/${mine[mine.length - 1]}"]`)).toHaveCount(0);
    await page.getByRole("button", { name: "← Newer runs" }).click();
    await expect(page.getByTestId("run-page")).toHaveText("Page 1");
  });

  test("a run's share links are listed with expiry and status, and can be revoked there", async ({ api, page, request }) => {
    const { run } = await api.runScenario("ideal", 7);
    const make = async (body: object) => {
      const answer = await request.post("/api/share", { data: body });
      expect(answer.ok()).toBe(true);
      return (await answer.json()) as { token: string };
    };
    const forever = await make({ path: `/runs/${run.id}` });
    const hour = await make({ path: `/runs/${run.id}/cycles/1`, expiresInSeconds: 3600 });

    await page.goto(`/runs/${encodeURIComponent(run.id)}`);
    const table = page.getByTestId("share-links");
    await expect(table.getByTestId("share-link-row")).toHaveCount(2);
    const hourRow = table.locator(`[data-token="${hour.token}"]`);
    await expect(hourRow).not.toContainText("never");
    await expect(hourRow.getByTestId("share-link-status")).toHaveText("active");
    const foreverRow = table.locator(`[data-token="${forever.token}"]`);
    await expect(foreverRow).toContainText("never");

    await foreverRow.getByRole("button", { name: /Revoke/ }).click();
    await expect(foreverRow.getByTestId("share-link-status")).toHaveText("revoked");
    await expect(foreverRow.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    expect((await request.get(`/s/${forever.token}`, { maxRedirects: 0 })).status()).toBe(410);
  });
});
