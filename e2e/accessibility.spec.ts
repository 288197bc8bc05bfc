// Accessibility: axe finds no serious or critical violation on the home, run, cycle, compare and
// share pages (a revoked link's page, the share panel, a live link opened by a viewer) in either theme; the keyboard reaches the toolbar before the diagram's items; every
// control shows a focus ring that nothing clips; the diagram's items are named with what they show.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { CycleApi, CyclePage } from "./cycle-support";

type Theme = "light" | "dark";

async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.context().addInitScript((chosen) => localStorage.setItem("wakeline-theme", chosen), theme);
  await page.emulateMedia({ colorScheme: theme });
}

/** Serious and critical violations, one line each with the elements involved. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.slice(0, 5).map((node) => node.target.join(" ")).join(" | ")}`);
}

async function rendered(page: Page, count = 1): Promise<void> {
  const diagrams = page.locator('[data-testid="diagram"]');
  await expect(diagrams).toHaveCount(count, { timeout: 30_000 });
  for (let index = 0; index < count; index++) await expect(diagrams.nth(index)).toHaveAttribute("data-interactive", "true", { timeout: 30_000 });
}

for (const theme of ["light", "dark"] as const) {
  test(`no serious or critical axe violations, ${theme} theme`, async ({ page, request, browser }) => {
    test.setTimeout(120_000);
    const api = new CycleApi(request);
    const { run: ideal } = await api.runInstant("ideal", 101);
    const { run: messy, cycles } = await api.runInstant("messy", 101);
    const anomaly = cycles[0].anomalies[0].seq;
    const created = await request.post("/api/share", { data: { path: `/runs/${encodeURIComponent(messy.id)}` } });
    const { token } = (await created.json()) as { token: string };
    expect((await request.delete(`/api/share/${token}`)).status()).toBe(200);
    await useTheme(page, theme);

    const pages: { name: string; url: string; ready: () => Promise<void> }[] = [
      { name: "home", url: "/", ready: () => expect(page.getByTestId("run-card").first()).toBeVisible() },
      { name: "run", url: `/runs/${encodeURIComponent(messy.id)}`, ready: () => rendered(page) },
      {
        name: "cycle",
        url: `/runs/${encodeURIComponent(messy.id)}/cycles/1?actor=actor-1&sel=${anomaly}`,
        ready: async () => {
          await rendered(page);
          await expect(page.getByTestId("cause-chain")).toBeVisible();
        },
      },
      { name: "compare", url: `/compare?a=${ideal.id}:actor-1:1&b=${messy.id}:actor-1:1`, ready: () => rendered(page, 2) },
      { name: "share link (revoked)", url: `/s/${token}`, ready: () => expect(page.getByTestId("share-link-refused")).toBeVisible() },
    ];
    for (const { name, url, ready } of pages) {
      await page.goto(url);
      await ready();
      if (name !== "share link (revoked)") await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
      expect(await seriousViolations(page), `${name} page, ${theme} theme`).toEqual([]);
    }

    // The share panel and the shortcut help, open on the cycle page.
    await page.goto(`/runs/${encodeURIComponent(messy.id)}/cycles/1?actor=actor-1`);
    await rendered(page);
    await page.getByTestId("view-toolbar").getByRole("button", { name: "Share", exact: true }).click();
    await page.getByRole("button", { name: "Create link" }).click();
    await expect(page.getByTestId("share-result")).toBeVisible();
    expect(await seriousViolations(page), `share panel, ${theme} theme`).toEqual([]);
    // The link opened as its holder would: a fresh browser, a viewer of the shared cycle.
    const link = await page.getByTestId("share-result").getByLabel("Share link").inputValue();
    const viewer = await browser.newContext();
    try {
      const shared = await viewer.newPage();
      await useTheme(shared, theme);
      await shared.goto(link);
      await rendered(shared);
      await expect(shared.locator("html")).toHaveAttribute("data-theme", theme);
      expect(await seriousViolations(shared), `share link (viewer), ${theme} theme`).toEqual([]);
    } finally {
      await viewer.close();
    }
    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    expect(await seriousViolations(page), `shortcut help, ${theme} theme`).toEqual([]);
  });
}

interface FocusStop {
  name: string;
  tag: string;
  inDiagram: boolean;
  /** Why its focus ring cannot be seen, if it cannot. */
  problem: string | null;
}

/** The focused element: what it is, and whether its focus ring shows in full. */
async function focusStop(page: Page): Promise<FocusStop | null> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const name = (element.getAttribute("aria-label") ?? element.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 60);
    const inDiagram = element.closest("svg") !== null;
    if (inDiagram) {
      // Drawn items show focus with their hit area (a fill) instead of an outline.
      const area = element.querySelector(".wl-hit-area, rect.note");
      const style = area ? getComputedStyle(area) : null;
      const shows = style !== null && ((style.fill !== "transparent" && style.fill !== "rgba(0, 0, 0, 0)") || Number.parseFloat(style.strokeWidth) >= 3);
      return { name, tag: element.tagName, inDiagram, problem: shows ? null : "no visible focus on the drawn item" };
    }
    const style = getComputedStyle(element);
    const width = Number.parseFloat(style.outlineWidth);
    if (style.outlineStyle === "none" || width < 2) return { name, tag: element.tagName, inDiagram, problem: `outline ${style.outlineStyle} ${style.outlineWidth}` };
    const offset = Number.parseFloat(style.outlineOffset) || 0;
    const rect = element.getBoundingClientRect();
    const ring = { left: rect.left - offset - width, right: rect.right + offset + width, top: rect.top - offset - width, bottom: rect.bottom + offset + width };
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const parentStyle = getComputedStyle(parent);
      if (parentStyle.overflowX === "visible" && parentStyle.overflowY === "visible") continue;
      const box = parent.getBoundingClientRect();
      const inner = {
        left: box.left + Number.parseFloat(parentStyle.borderLeftWidth),
        right: box.left + Number.parseFloat(parentStyle.borderLeftWidth) + parent.clientWidth,
        top: box.top + Number.parseFloat(parentStyle.borderTopWidth),
        bottom: box.top + Number.parseFloat(parentStyle.borderTopWidth) + parent.clientHeight,
      };
      const clipped = ring.left < inner.left - 0.5 || ring.right > inner.right + 0.5 || ring.top < inner.top - 0.5 || ring.bottom > inner.bottom + 0.5;
      if (clipped) return { name, tag: element.tagName, inDiagram, problem: `ring clipped by ${parent.tagName}.${[...parent.classList].join(".")}` };
    }
    return { name, tag: element.tagName, inDiagram, problem: null };
  });
}

test("the keyboard reaches the toolbar before the diagram's items, and every focus ring shows in full", async ({ page, request }) => {
  test.setTimeout(120_000);
  const api = new CycleApi(request);
  const { run } = await api.runInstant("messy", 102);
  const cyclePage = new CyclePage(page);
  await cyclePage.goto(run.id, "actor-1", 1);
  await cyclePage.waitForRendered();
  // Open the filter menus, so that their checkboxes are on the way too.
  for (const menu of await page.locator("details.filter-menu > summary").all()) await menu.click();
  await page.locator("h1").click();

  const stops: FocusStop[] = [];
  for (let press = 0; press < 250; press++) {
    await page.keyboard.press("Tab");
    const stop = await focusStop(page);
    if (!stop) continue;
    stops.push(stop);
    if (stop.inDiagram) break;
  }
  const firstItem = stops.findIndex((stop) => stop.inDiagram);
  expect(firstItem, "Tab reaches the diagram's items").toBeGreaterThan(0);
  const before = stops.slice(0, firstItem).map((stop) => stop.name);
  for (const control of ["Share", "Download SVG", "Compare…", "Zoom in", "Fit width"]) {
    expect(before, `${control} comes before the diagram's items`).toContain(control);
  }
  expect(before.some((name) => name.startsWith("Runners split"))).toBe(true);
  expect(stops.filter((stop) => stop.problem !== null).map((stop) => `${stop.tag} "${stop.name}": ${stop.problem}`)).toEqual([]);

  // The drawn items are named with the text they show.
  const mismatched = await cyclePage.items().evaluateAll((items) =>
    items.flatMap((item) => {
      const shown = [...item.querySelectorAll("text")]
        .map((text) => text.textContent ?? "")
        .join(" ")
        .replace(/[\u200b\s]+/g, " ")
        .trim()
        .toLowerCase();
      const name = (item.getAttribute("aria-label") ?? "").replace(/\s+/g, " ").toLowerCase();
      return shown === "" || name.includes(shown) ? [] : [`${item.getAttribute("data-seq")}: "${shown}" not in "${name}"`];
    }),
  );
  expect(mismatched).toEqual([]);
});
