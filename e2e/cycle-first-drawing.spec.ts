// A cycle page is opened to see its diagram: the drawing goes out ahead of the page, the app's code
// (React, the router, the view) waits until it is on screen, then the page becomes interactive as
// usual. A large cycle's view, which must fetch its events, starts at once.
import { expect, test, type Page } from "@playwright/test";
import { busyActorScenario, CycleApi, CyclePage } from "./cycle-support";

/**
 * Stamps when the first drawing is on screen and when the first app script is put in the head (the
 * starter puts them there; Next.js leaves its polyfills for old browsers, which never run, and one
 * script in the body, which only registers its modules).
 */
const STAMPS = `(() => {
  new MutationObserver(() => {
    if (window.__drawnAt === undefined && document.querySelector('[data-testid="diagram"][data-rendered="true"] svg')) window.__drawnAt = performance.now();
    if (window.__appAt === undefined && document.head && document.head.querySelector('script[src^="/_next/static/chunks/"]:not([nomodule])')) window.__appAt = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-rendered"] });
})()`;

async function stamps(page: Page): Promise<{ drawnAt: number; appAt: number }> {
  return page.evaluate(() => {
    const stamped = window as unknown as { __drawnAt: number; __appAt: number };
    return { drawnAt: stamped.__drawnAt, appAt: stamped.__appAt };
  });
}

test.describe("a cycle page's first drawing", () => {
  test("is on screen before the app's code runs; then the page hydrates and answers", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant(busyActorScenario({ name: "first-drawing", requests: 6, everyMs: 20 }));
    await page.addInitScript(STAMPS);
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();
    const { drawnAt, appAt } = await stamps(page);
    expect(drawnAt).toBeGreaterThan(0);
    expect(appAt).toBeGreaterThanOrEqual(drawnAt);
    // Hydrated: a click on a step selects it and shows its detail.
    const first = cyclePage.items().first();
    const seq = await first.getAttribute("data-seq");
    await first.click();
    await expect(page).toHaveURL(new RegExp(`[?&]sel=${seq}(&|$)`));
    await expect(cyclePage.detail.getByRole("heading", { name: `Event #${seq}` })).toBeVisible();
    await expect(first).toHaveClass(/is-selected/);
  });

  test("goes out ahead of the page, drawn once; a client cannot switch the page's own drawing off", async ({ request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant(busyActorScenario({ name: "first-drawing-ahead", requests: 3, everyMs: 20 }));
    const path = `/runs/${encodeURIComponent(run.id)}/cycles/1`;
    const early = /mermaid\.render\("mermaid-early"/g;
    // The document starts with the drawing (server.ts writes it before Next.js renders the page).
    const ahead = await request.get(`${path}?actor=actor-1`, { headers: { accept: "text/html" } });
    expect(ahead.status()).toBe(200);
    const document = await ahead.text();
    expect(document.startsWith('<!DOCTYPE html><html><head><link rel="modulepreload" href="/vendor/mermaid/')).toBe(true);
    expect(document.match(early)).toHaveLength(1);
    expect(document).toContain('<html lang="en"');
    // A link without an actor means the run's first actor: its drawing goes ahead too.
    const unnamed = await request.get(path, { headers: { accept: "text/html" } });
    expect((await unnamed.text()).startsWith('<!DOCTYPE html><html><head><link rel="modulepreload" href="/vendor/mermaid/')).toBe(true);
    // Asked for without `text/html`, nothing goes ahead, and the page draws itself, whatever the client says.
    const own = await request.get(`${path}?actor=actor-1`, { headers: { accept: "*/*", "x-wakeline-first-drawing": "sent" } });
    expect(own.status()).toBe(200);
    const ownDocument = await own.text();
    expect(ownDocument.startsWith("<!DOCTYPE html><html lang=")).toBe(true);
    expect(ownDocument.match(early)).toHaveLength(1);
    // A cycle that does not exist is still a 404.
    expect((await request.get(`/runs/${encodeURIComponent(run.id)}/cycles/9?actor=actor-1`, { headers: { accept: "text/html" } })).status()).toBe(404);
  });

  test("of a large cycle does not hold the view, which fetches its events at once", async ({ page, request }) => {
    test.setTimeout(120_000);
    const api = new CycleApi(request);
    const { run, cycles } = await api.runInstant(busyActorScenario({ name: "first-drawing-large", requests: 200, everyMs: 20 }));
    expect(cycles[0].eventCount).toBeGreaterThan(1_500);
    await page.addInitScript(STAMPS);
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();
    const { appAt } = await stamps(page);
    // Started while the document was parsed, before any drawing was on screen.
    const parsed = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).domContentLoadedEventEnd);
    expect(appAt).toBeLessThanOrEqual(parsed);
  });
});
