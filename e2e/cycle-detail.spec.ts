// Clicking what the diagram shows: the detail panel of an event, its chain of causes (each one
// selectable), the relays of a message; detail levels and filters; anomalies marked where they happen.
import { expect, test } from "@playwright/test";
import { CycleApi, CyclePage } from "./cycle-support";

test.describe("detail panel", () => {
  test.use({ timezoneId: "Asia/Kolkata" });

  test("clicking an arrow shows the event; clicking through the cause chain selects each cause", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 21);
    const events = await api.cycleEvents(run.id, "actor-1", 1);
    const wake = events.find((event) => event.type === "Wake")!;
    const userRequest = events.find((event) => event.type === "UserRequest")!;
    expect(wake.causeSeq).not.toBeNull();

    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();
    await cyclePage.drawnItem(new RegExp(`^#${wake.seq} `)).click();

    await expect(page).toHaveURL(new RegExp(`[?&]sel=${wake.seq}(&|$)`));
    const detail = cyclePage.detail;
    await expect(detail.getByRole("heading", { name: `Event #${wake.seq}` })).toBeVisible();
    await expect(detail).toContainText("Wake");
    await expect(detail).toContainText("Gateway");
    await expect(detail).toContainText("Actor Workflow actor-1");
    await expect(detail.getByTestId("event-payload")).toContainText('"retry": false');
    await expect(detail.getByTestId("event-offset")).toHaveText(/^\+\d/);
    await expect(cyclePage.item(wake.seq)).toHaveClass(/is-selected/);

    // Times: UTC by default, the browser's zone on demand (India: UTC+05:30).
    await expect(detail.getByTestId("event-instant")).toHaveText(/ UTC$/);
    await page.getByRole("navigation", { name: "Time zone" }).getByRole("link", { name: "Local time" }).click();
    await expect(detail.getByTestId("event-instant")).toHaveText(/ UTC\+05:30$/);

    // The chain goes back to the user's request; selecting it shows that event.
    const chain = detail.getByTestId("cause-chain");
    await expect(chain).toContainText("UserRequest");
    await chain.getByRole("button", { name: new RegExp(`^#${userRequest.seq} `) }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]sel=${userRequest.seq}(&|$)`));
    await expect(detail.getByRole("heading", { name: `Event #${userRequest.seq}` })).toBeVisible();
    await expect(detail.getByTestId("event-payload")).toContainText('"path": "/"');
    await expect(detail).toContainText("this event starts a chain");

    // Back returns to the Wake.
    await page.goBack();
    await expect(detail.getByRole("heading", { name: `Event #${wake.seq}` })).toBeVisible();
  });

  test("a relayed message lists its hops, and notes are selectable too", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 22);
    const events = await api.cycleEvents(run.id, "actor-1", 1);
    const start = events.find((event) => event.type === "CommandStartActor" && event.relayOf === null)!;
    const hops = events.filter((event) => event.seq === start.seq || event.relayOf === start.seq);
    expect(hops.length).toBeGreaterThan(1);
    const note = events.find((event) => event.kind === "note" && !event.housekeeping && event.type === "allocate")!;

    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1, `&sel=${start.seq}`);
    await cyclePage.waitForRendered();
    const relays = cyclePage.detail.getByTestId("relay-list");
    await expect(relays.getByRole("listitem")).toHaveCount(hops.length);
    await relays.getByRole("button").first().click();
    await expect(page).toHaveURL(new RegExp(`[?&]sel=${hops[1].seq}(&|$)`));

    // Keyboard: a drawn note is focusable and Enter selects it.
    const drawnNote = cyclePage.item(note.seq);
    await drawnNote.focus();
    await page.keyboard.press("Enter");
    await expect(cyclePage.detail.getByRole("heading", { name: `Event #${note.seq}` })).toBeVisible();
    await expect(cyclePage.detail).toContainText("Allocate");
  });
});

test.describe("detail levels and filters", () => {
  test("full detail, hidden lifelines and types, split runners — all in the URL", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("messy", 23);
    const byDefault = await api.diagramItems(run.id, "actor-1", 1);
    const full = await api.diagramItems(run.id, "actor-1", 1, "full");
    const arrows = (items: { kind: string }[]) => items.filter((item) => item.kind === "arrow" || item.kind === "relation").length;

    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();
    await expect(cyclePage.messages()).toHaveCount(arrows(byDefault));

    await page.getByRole("navigation", { name: "Detail level" }).getByRole("link", { name: "Full detail" }).click();
    await expect(page).toHaveURL(/detail=full/);
    await cyclePage.waitForRendered();
    await expect(cyclePage.messages()).toHaveCount(arrows(full));

    await page.locator("summary", { hasText: "Lifelines" }).click();
    await page.getByRole("checkbox", { name: /Runner WS/ }).uncheck();
    await expect(page).toHaveURL(/hide=RWS/);
    await cyclePage.waitForRendered();
    await expect(cyclePage.svg.getByText("Runner WS", { exact: true })).toHaveCount(0);

    await page.locator("summary", { hasText: "Message types" }).click();
    await page.getByRole("checkbox", { name: /^Wake/ }).uncheck();
    await expect(page).toHaveURL(/hideTypes=Wake/);
    await cyclePage.waitForRendered();
    await expect(cyclePage.drawnItem(/ Wake: /)).toHaveCount(0);

    await page.getByRole("navigation", { name: "Runner lifelines" }).getByRole("link", { name: "Runners split" }).click();
    await expect(page).toHaveURL(/runners=split/);
    await cyclePage.waitForRendered();
    // Split lifelines are numbered per runner.
    await expect(cyclePage.svg.getByText("Runner Workflow 1", { exact: true }).first()).toBeVisible();

    // A fresh page from the same URL draws the same view.
    const text = await page.getByTestId("mermaid-text").textContent();
    await page.reload();
    await cyclePage.waitForRendered();
    expect(await page.getByTestId("mermaid-text").textContent()).toBe(text);

    // Back undoes one change at a time.
    await page.goBack();
    await expect(page).not.toHaveURL(/runners=split/);
    await expect(page).toHaveURL(/hideTypes=Wake/);
  });

  test("anomalies are listed and marked on the diagram where they happen", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run, cycles } = await api.runInstant("messy", 24);
    const cycle = cycles.find((candidate) => candidate.anomalies.length > 0)!;
    expect(cycle).toBeDefined();

    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, cycle.actorId, cycle.ordinal);
    await cyclePage.waitForRendered();
    const list = page.getByTestId("anomaly-list");
    await expect(list.getByRole("listitem")).toHaveCount(cycle.anomalies.length);
    for (const anomaly of cycle.anomalies) await expect(list).toContainText(anomaly.kind);
    const marked = cycle.anomalies.filter((anomaly) => anomaly.seq);
    for (const anomaly of marked) {
      const drawn = cyclePage.item(anomaly.seq);
      if ((await drawn.count()) > 0) await expect(drawn).toHaveClass(/is-anomaly/);
    }
    await expect(cyclePage.svg.locator(".is-anomaly").first()).toBeVisible();

    const first = cycle.anomalies[0];
    await list.getByRole("button").first().click();
    await expect(page).toHaveURL(new RegExp(`[?&]sel=${first.seq}(&|$)`));
    await expect(cyclePage.detail.getByRole("heading", { name: `Event #${first.seq}` })).toBeVisible();
  });
});

test.describe("range of cycles", () => {
  test("consecutive cycles of an actor are drawn together, and the range is in the URL", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run, cycles } = await api.runInstant("messy", 25);
    const actorCycles = cycles.filter((cycle) => cycle.actorId === "actor-1");
    expect(actorCycles.length).toBeGreaterThan(1);
    const steps = async (ordinal: number) =>
      (await api.diagramItems(run.id, "actor-1", ordinal)).filter(
        (item) => item.seq !== undefined && (item.kind === "arrow" || item.kind === "relation" || item.kind === "note"),
      ).length;
    const both = (await steps(1)) + (await steps(2));

    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();
    await page.getByLabel("Show through").selectOption("2");
    await expect(page).toHaveURL(/through=2/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cycles 1–2 of actor-1");
    await expect(cyclePage.replayStatus).toContainText(`All ${both} steps`);
    await cyclePage.waitForRendered();
    await expect(cyclePage.items()).toHaveCount(both);

    await page.goBack();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cycle 1 of actor-1");
  });
});
