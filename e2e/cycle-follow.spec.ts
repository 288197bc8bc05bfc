// Following a live actor through its cycles, against the real server's live engine: a cycle page
// opened before the cycle starts waits for it (not a 404) and draws it when it starts; an open
// cycle page follows into the actor's next cycle.
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";

interface Cycle {
  actorId: string;
  ordinal: number;
  outcome: string;
}

async function liveRun(request: APIRequestContext): Promise<string> {
  const runs = (await (await request.get("/api/runs?source=live&limit=1")).json()) as { id: string; status: string }[];
  expect(runs[0]?.status).toBe("running");
  return runs[0].id;
}

async function demoCycles(request: APIRequestContext, runId: string): Promise<Cycle[]> {
  const cycles = (await (await request.get(`/api/runs/${runId}/cycles`)).json()) as Cycle[];
  return cycles.filter((cycle) => cycle.actorId === cycles.find((c) => c.actorId.length > 0)?.actorId);
}

/** Puts the demo actor to sleep and waits until its cycle has ended. */
async function sleepDemo(request: APIRequestContext, runId: string): Promise<Cycle> {
  await request.get("/gateway/demo/"); // awake (wakes it if needed)
  await request.get("/gateway/demo/sleep");
  let last: Cycle | undefined;
  await expect
    .poll(async () => {
      last = (await demoCycles(request, runId)).at(-1);
      return last?.outcome;
    }, { timeout: 20_000 })
    .toBe("slept");
  return last!;
}

test("a cycle that has not started waits for it, and an open cycle follows into the next one", async ({ page, request }) => {
  const runId = await liveRun(request);
  const slept = await sleepDemo(request, runId);
  const nextOrdinal = slept.ordinal + 1;
  const actor = encodeURIComponent(slept.actorId);

  // Not started yet: a page that waits, not a 404.
  const answer = await page.goto(`/runs/${runId}/cycles/${nextOrdinal}?actor=${actor}`);
  expect(answer?.status()).toBe(200);
  await expect(page.getByText("Waiting for the cycle's events…")).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Follow into the next cycle" })).toBeChecked();

  // The next request wakes the actor: the waiting page draws the cycle.
  await request.get("/gateway/demo/follow-1");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Cycle ${nextOrdinal}`);
  await expect(page.locator("svg").filter({ hasText: "follow-1" }).first()).toBeVisible({ timeout: 15_000 });

  // It sleeps, and wakes again: the page moves on to the new cycle by itself.
  await sleepDemo(request, runId);
  await request.get("/gateway/demo/follow-2");
  await expect(page).toHaveURL(new RegExp(`/cycles/${nextOrdinal + 1}\\?`), { timeout: 15_000 });
  await expect(page.locator("svg").filter({ hasText: "follow-2" }).first()).toBeVisible({ timeout: 15_000 });
});
