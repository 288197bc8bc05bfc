// A cycle that is still open grows on screen while the run records: events stream from the server
// into the page (no reload), and when the run ends the page holds exactly the recorded events.
import { expect, test } from "@playwright/test";
import { busyActorScenario, CycleApi, CyclePage } from "./cycle-support";

test.describe("live cycle", () => {
  test("the diagram of a running cycle grows without a reload and ends complete", async ({ page, request }) => {
    test.setTimeout(120_000);
    const api = new CycleApi(request);
    // 12 requests 2.5 s apart in real time: about 30 s, long enough to open the page (and draw it
    // on a busy machine) while the cycle grows. While it grows the page follows its latest steps
    // (only a window of them once it is long); once the run has ended it is drawn whole.
    const scenario = busyActorScenario({ name: "live-growth", requests: 12, everyMs: 2_500, tailMs: 500 });
    const { run } = await api.runPaced(scenario, "realtime");
    expect(run.status).toBe("running");

    // The cycle opens with the first request, a moment after the run starts.
    await expect.poll(async () => (await api.cycles(run.id)).length, { timeout: 15_000 }).toBeGreaterThan(0);
    // Each stream connection carries at most 25 events, so the browser has to reconnect (and resume
    // after the last event it got) several times while the cycle grows. The ids each connection
    // delivered are collected to check that, together, they are every event exactly once.
    await page.route("**/events/stream?**", (route) => route.continue({ url: `${route.request().url()}&limit=25` }));
    const delivered: number[][] = [];
    page.on("response", async (response) => {
      if (!response.url().includes("/events/stream?")) return;
      const body = (await response.body().catch(() => Buffer.from(""))).toString();
      delivered.push([...body.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1])));
    });
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await expect(page.getByTestId("live-status")).toContainText(/Live|Connecting|reconnecting/);
    // While events keep arriving the drawing may lag a little behind the newest text: wait for a
    // first drawing, not for the latest one.
    await expect(cyclePage.svg).toBeVisible({ timeout: 30_000 });

    // A marker on the window object survives only if the page is never reloaded.
    await page.evaluate(() => ((window as unknown as { liveMarker: string }).liveMarker = "same page"));
    // Newer events are drawn as they are recorded: the newest event on the drawing moves on.
    const newestDrawn = () => cyclePage.items().evaluateAll((items) => Math.max(0, ...items.map((item) => Number(item.getAttribute("data-seq")))));
    const first = await newestDrawn();
    await expect.poll(newestDrawn, { timeout: 30_000 }).toBeGreaterThan(first);
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: string }).liveMarker)).toBe("same page");

    // The run ends: the page says so and draws exactly what was recorded — nothing lost or doubled.
    await expect(page.getByTestId("live-status")).toContainText("The run has finished", { timeout: 45_000 });
    expect((await api.run(run.id)).status).toBe("finished");
    await cyclePage.waitForRendered();
    const items = await api.diagramItems(run.id, "actor-1", 1);
    const arrows = items.filter((item) => item.kind === "arrow" || item.kind === "relation").length;
    const steps = items.filter((item) => item.seq !== undefined && item.kind !== "block-start" && item.kind !== "block-end").length;
    await expect(cyclePage.messages()).toHaveCount(arrows);
    await expect(cyclePage.replayStatus).toContainText(`All ${steps} steps`);
    // It reconnected several times, each connection resuming right after the previous one: the ids
    // read off the wire are 1, 2, 3, … with no gap and no repeat. (The last connection, closed by
    // the page once the status arrives, may not be readable here; the counts above cover it.)
    expect(delivered.length).toBeGreaterThan(2);
    const ids = delivered.flat().sort((a, b) => a - b);
    expect(ids).toEqual(ids.map((_, index) => index + 1));
    expect(ids.length).toBeGreaterThanOrEqual((await api.run(run.id)).eventCount - 25);
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: string }).liveMarker)).toBe("same page");
  });
});

test.describe("event stream API", () => {
  test("resumes after the later of `after` and Last-Event-ID, and ends with the run's status", async ({ request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("messy", 3);
    const after = 10;
    const lastEventId = 25;
    const response = await request.get(`/api/runs/${encodeURIComponent(run.id)}/events/stream?after=${after}`, {
      headers: { "last-event-id": String(lastEventId) },
    });
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/event-stream");
    const messages = (await response.text()).split("\n\n").filter((block) => block.includes("data:"));
    const ids = messages.filter((block) => !block.includes("event:")).map((block) => Number(/^id: (\d+)$/m.exec(block)?.[1]));
    // Every event after 25 exactly once, in order, then the status.
    expect(ids).toEqual(Array.from({ length: run.eventCount - lastEventId }, (_, i) => lastEventId + 1 + i));
    const status = messages[messages.length - 1];
    expect(status).toMatch(/^event: status$/m);
    expect(JSON.parse(/^data: (.*)$/m.exec(status)?.[1] ?? "null")).toMatchObject({ id: run.id, status: "finished" });
  });

  test("a connection limit ends the stream after that many events, without a status", async ({ request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 4);
    const response = await request.get(`/api/runs/${encodeURIComponent(run.id)}/events/stream?after=3&limit=5`);
    const blocks = (await response.text()).split("\n\n").filter((block) => block.includes("data:"));
    expect(blocks.map((block) => Number(/^id: (\d+)$/m.exec(block)?.[1]))).toEqual([4, 5, 6, 7, 8]);
    const bad = await request.get(`/api/runs/${encodeURIComponent(run.id)}/events/stream?limit=0`);
    expect(await bad.json()).toMatchObject({ code: "invalid_limit" });
  });

  test("refuses a malformed resume point and an unknown run with coded errors", async ({ request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 2);
    const bad = await request.get(`/api/runs/${encodeURIComponent(run.id)}/events/stream?after=abc`);
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_after" });
    const unknown = await request.get("/api/runs/no-such-run/events/stream");
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "run_not_found" });
  });

  test("a paced run answers at once and refuses a bad speed", async ({ request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runPaced("ideal", 1);
    expect(run.status).toBe("running");
    const bad = await request.post("/api/runs", { data: { scenario: "ideal", speed: -2 } });
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_request", message: expect.stringContaining("speed") });
    // The paced run gets there on its own.
    await expect.poll(async () => (await api.run(run.id)).status, { timeout: 20_000 }).toBe("finished");
  });
});
