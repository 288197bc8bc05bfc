// The cycle diagram's canvas: zoom (buttons, keys, ctrl + wheel), fit to width and to the page,
// drag to pan, the lifeline header that stays on screen and in line, and a selection (clicked,
// replayed, from an anomaly, a cause or a share link) brought into view. The zoom is only how the
// drawing is shown: the exported SVG keeps the drawing's own size.
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { boxOf, drawnScale, expectZoom, isInView, scrollOf, scrollTo } from "./canvas-support";
import { CycleApi, CyclePage } from "./cycle-support";

async function openMessyCycle(page: Page, api: CycleApi, seed: number, query = "") {
  const { run } = await api.runInstant("messy", seed);
  const cyclePage = new CyclePage(page);
  await cyclePage.goto(run.id, "actor-1", 1, query);
  await cyclePage.waitForRendered();
  return { run, cyclePage, viewport: page.getByTestId("diagram-viewport") };
}

test.describe("diagram canvas", () => {
  test("zooms with buttons, keys and ctrl + wheel, fits width and page, keeps the zoom in the URL, exports at full size", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { cyclePage, viewport } = await openMessyCycle(page, api, 61);
    const zoomBar = page.getByRole("group", { name: "Zoom" });
    const start = await drawnScale(cyclePage.svg);
    expect(start.scale).toBeCloseTo(1, 2);
    await expectZoom(page, "100%");

    await zoomBar.getByRole("button", { name: "Zoom in" }).click();
    await expectZoom(page, "125%");
    await expect(page).toHaveURL(/[?&]zoom=125(&|$)/);
    expect((await drawnScale(cyclePage.svg)).scale).toBeCloseTo(1.25, 2);
    await zoomBar.getByRole("button", { name: "Zoom out" }).click();
    await zoomBar.getByRole("button", { name: "Zoom out" }).click();
    await expectZoom(page, "80%");
    expect((await drawnScale(cyclePage.svg)).scale).toBeCloseTo(0.8, 2);

    // Ctrl + wheel (a trackpad pinch arrives the same way) zooms in around the pointer.
    await viewport.scrollIntoViewIfNeeded();
    const frame = await boxOf(viewport);
    await page.mouse.move(frame.x + frame.width / 2, frame.y + frame.height / 2);
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, -200);
    await page.keyboard.up("Control");
    await expect.poll(async () => (await drawnScale(cyclePage.svg)).scale).toBeGreaterThan(0.9);
    await expect(page).toHaveURL(/[?&]zoom=(9\d|1\d\d)(&|$)/);

    // Fit to width: the whole width of the drawing in the frame.
    await zoomBar.getByRole("button", { name: "Fit width" }).click();
    await expect(page).toHaveURL(/[?&]zoom=width(&|$)/);
    await expect(zoomBar.getByRole("button", { name: "Fit width" })).toHaveAttribute("aria-pressed", "true");
    const room = await viewport.evaluate((node) => node.clientWidth - 32);
    await expect.poll(async () => Math.abs((await drawnScale(cyclePage.svg)).shown - room)).toBeLessThan(2);
    expect(await viewport.evaluate((node) => node.scrollWidth <= node.clientWidth + 1)).toBe(true);

    // Fit page: all of it, width and height.
    await zoomBar.getByRole("button", { name: "Fit page" }).click();
    await expect(page).toHaveURL(/[?&]zoom=page(&|$)/);
    await expect.poll(() => viewport.evaluate((node) => node.scrollHeight <= node.clientHeight + 1)).toBe(true);

    // Keys: 0 for the drawing's own size, + to zoom in.
    await page.locator("h1").click();
    await page.keyboard.press("0");
    await expectZoom(page, "100%");
    await expect(page).not.toHaveURL(/zoom=/);
    await page.keyboard.press("+");
    await expectZoom(page, "125%");

    // Zoomed or not, the SVG file is the drawing at its own size.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("view-toolbar").getByRole("button", { name: "Download SVG" }).click()]);
    const file = fs.readFileSync(await download.path(), "utf8");
    const attributes = await page.evaluate((text) => {
      const root = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
      return { width: Number(root.getAttribute("width")), style: root.getAttribute("style") ?? "" };
    }, file);
    expect(attributes.width).toBe(Math.ceil(start.natural));
    expect(attributes.style).not.toMatch(/width|height/);

    // A link with a zoom opens zoomed.
    await page.goto(page.url().replace(/zoom=\d+/, "zoom=50"));
    await cyclePage.waitForRendered();
    await expectZoom(page, "50%");
    expect((await drawnScale(cyclePage.svg)).scale).toBeCloseTo(0.5, 2);
  });

  test("drag pans the drawing without selecting; the lifeline header stays on top and in line with the lifelines", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { cyclePage, viewport } = await openMessyCycle(page, api, 62);
    const header = page.getByTestId("lifeline-header");
    await expect(header).toHaveAttribute("data-stuck", "false");

    // Drag from a spot between items, up and to the left: the drawing follows the pointer.
    await viewport.scrollIntoViewIfNeeded();
    const frame = await boxOf(viewport);
    const from = { x: frame.x + frame.width - 60, y: frame.y + frame.height - 40 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x - 150, from.y - 250, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => (await scrollOf(viewport)).top).toBeGreaterThan(200);
    const panned = await scrollOf(viewport);
    expect(panned.left).toBeGreaterThan(100);
    expect(await cyclePage.urlParam("sel")).toBeNull();
    await expect(cyclePage.svg.locator(".is-selected")).toHaveCount(0);

    // Scrolled down: the header is on screen, at the top of the frame.
    await scrollTo(viewport, 0, 1200);
    await expect(header).toHaveAttribute("data-stuck", "true");
    await expect(header).toBeVisible();
    const aligned = async () => {
      const top = (await boxOf(header)).y;
      const frameTop = (await boxOf(viewport)).y;
      const offsets: number[] = [];
      for (const id of ["U", "G", "AWF"]) {
        const box = await boxOf(header.locator(`[data-lifeline="${id}"]`));
        const line = await boxOf(cyclePage.svg.locator(`line[data-et="life-line"][data-id="${id}"]`));
        offsets.push(Math.abs(box.x + box.width / 2 - (line.x + line.width / 2)));
      }
      return { offset: Math.max(...offsets), atTop: Math.abs(top - frameTop) <= 2 };
    };
    expect(await aligned()).toEqual({ offset: expect.any(Number), atTop: true });
    expect((await aligned()).offset).toBeLessThan(1.5);
    // Scrolled sideways too: still in line.
    await scrollTo(viewport, 400, 1500);
    await expect.poll(async () => (await aligned()).offset).toBeLessThan(1.5);
    expect((await aligned()).atTop).toBe(true);
    // Zoomed: in line at the new scale.
    await page.getByRole("group", { name: "Zoom" }).getByRole("button", { name: "Zoom out" }).click();
    await expectZoom(page, "80%");
    await expect.poll(async () => (await aligned()).offset).toBeLessThan(1.5);

    // A long drawing has an overview of where the frame is.
    await expect(page.getByTestId("diagram-overview")).toBeVisible();
    await expect(page.getByTestId("diagram-position")).toContainText("% of the diagram");
  });

  test("a selection is brought into view: from the anomaly list, the cause chain and the replay", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run, cyclePage, viewport } = await openMessyCycle(page, api, 63, "&zoom=150");
    const cycle = (await api.cycles(run.id))[0];
    const last = cycle.anomalies[cycle.anomalies.length - 1];
    expect(await isInView(page, cyclePage.item(last.seq), viewport)).toBe(false);

    await page.getByTestId("anomaly-list").getByRole("button", { name: new RegExp(last.message.slice(0, 20)) }).click();
    await expect(cyclePage.item(last.seq)).toHaveClass(/is-selected/);
    await expect.poll(() => isInView(page, cyclePage.item(last.seq), viewport)).toBe(true);

    // Back to the top, then a cause of the selected event from the detail panel.
    await scrollTo(viewport, 0, 0);
    const chain = cyclePage.detail.getByTestId("cause-chain");
    const cause = chain.getByRole("button").first();
    const causeSeq = Number(/^#(\d+)/.exec((await cause.textContent()) ?? "")?.[1]);
    await cause.click();
    await expect(page).toHaveURL(new RegExp(`[?&]sel=${causeSeq}(&|$)`));
    await expect.poll(() => isInView(page, cyclePage.item(causeSeq), viewport)).toBe(true);

    // The replay's current step follows along.
    await page.locator("h1").click();
    await cyclePage.detail.getByRole("button", { name: "Close" }).click();
    await page.keyboard.press("Home");
    await expect(cyclePage.replayStatus).toContainText("Step 1 of");
    await page.getByLabel("Replay position").fill("60");
    await expect(cyclePage.replayStatus).toContainText("Step 61 of");
    await cyclePage.waitForRendered();
    const at = Number(await cyclePage.urlParam("at"));
    await expect(cyclePage.item(at)).toHaveClass(/is-current/);
    await expect.poll(() => isInView(page, cyclePage.item(at), viewport)).toBe(true);
  });

  test("a share link opened in a fresh browser lands on the selected arrow, at the shared zoom", async ({ request, browser }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("messy", 64);
    const items = await api.diagramItems(run.id, "actor-1", 1);
    const arrows = items.filter((item) => item.kind === "arrow" && item.seq !== undefined);
    const selected = arrows[arrows.length - 3].seq!;
    const view = `/runs/${encodeURIComponent(run.id)}/cycles/1?actor=actor-1&sel=${selected}&zoom=125`;
    const created = await request.post("/api/share", { data: { path: view } });
    expect(created.status()).toBe(201);
    const { url } = (await created.json()) as { url: string };

    const stranger = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const other = await stranger.newPage();
      await other.goto(url);
      const cyclePage = new CyclePage(other);
      await cyclePage.waitForRendered();
      await expect(cyclePage.item(selected)).toHaveClass(/is-selected/);
      await expectZoom(other, "125%");
      await expect.poll(() => isInView(other, cyclePage.item(selected), other.getByTestId("diagram-viewport"))).toBe(true);
    } finally {
      await stranger.close();
    }
  });
});
