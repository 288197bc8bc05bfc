// The search's time range picks events by when they happened (their run's start + their engine
// time, as the cycle view shows them), not whole runs: a run that spans the range shows only the
// events inside it.
import { expect, test } from "@playwright/test";
import { CycleApi } from "./cycle-support";

// The form's From / To are read on the reader's clock: pin it, so the test means the same anywhere.
test.use({ timezoneId: "UTC" });

const MINUTE = 60_000;

/** A datetime-local value (minutes) for an instant, on the UTC clock. */
function localMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

test("a time range finds the events that happened in it, not every event of a run that overlaps it", async ({ page, request }) => {
  test.setTimeout(90_000);
  const actor = `range-${Date.now().toString(36)}`;
  // One actor, requests at 3, 10 and 17 minutes of engine time: one run, far apart in time.
  const at = { early: 3 * MINUTE, middle: 10 * MINUTE, late: 17 * MINUTE };
  const scenario = {
    name: "search-time-range",
    durationMs: 18 * MINUTE,
    pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 3_600, drainGracePeriod: 5 }],
    actors: [{ id: actor }],
    steps: Object.entries(at).map(([name, ms]) => ({ at: ms, request: { actor, path: `/${name}-part` } })),
  };
  const { run } = await new CycleApi(request).runInstant(scenario);
  const started = Date.parse(run.startedAt);

  // From minute 7 to minute 13 of the run: only the middle request falls inside.
  const from = localMinute(started + 7 * MINUTE);
  const to = localMinute(started + 13 * MINUTE);
  await page.goto(`/search?actor=${encodeURIComponent(actor)}&from=${from}&to=${to}`);
  const form = page.getByRole("form", { name: "Search events" });
  await expect(form.getByLabel("From")).toHaveValue(from);
  const hits = page.getByTestId("search-hit");
  await expect(hits.first()).toBeVisible();
  const texts = await hits.allTextContents();
  expect(texts.some((text) => text.includes("/middle-part"))).toBe(true);
  expect(texts.filter((text) => text.includes("/early-part") || text.includes("/late-part"))).toEqual([]);

  // The early request is there to be found without the range, and not within it.
  await page.goto(`/search?q=early-part&actor=${encodeURIComponent(actor)}`);
  await expect(hits.first()).toContainText("/early-part");
  await page.goto(`/search?q=early-part&actor=${encodeURIComponent(actor)}&from=${from}&to=${to}`);
  await expect(page.getByRole("heading", { name: "No events match" })).toBeVisible();

  // A range before the run started finds nothing of it.
  await page.goto(`/search?actor=${encodeURIComponent(actor)}&to=${localMinute(started - 2 * MINUTE)}`);
  await expect(page.getByRole("heading", { name: "No events match" })).toBeVisible();
});
