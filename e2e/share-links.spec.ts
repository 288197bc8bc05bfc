// Share links: "Share" stores the page's address (which holds the whole view) under a short token;
// opening the token anywhere restores that view, until the link is revoked or expires.
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/** Opens the share panel, creates a link with the given lifetime and returns its address. */
async function createLink(page: Page, lifetime = "Never expires"): Promise<string> {
  const toolbar = page.getByTestId("view-toolbar");
  await toolbar.getByRole("button", { name: "Share", exact: true }).click();
  const panel = toolbar.getByRole("group", { name: "Share this view" });
  await panel.getByLabel("Link lifetime").selectOption({ label: lifetime });
  await panel.getByRole("button", { name: "Create link" }).click();
  const field = panel.getByLabel("Share link");
  await expect(field).toHaveValue(/\/s\/[A-Za-z0-9_-]{8}$/);
  return field.inputValue();
}

/** Moves a link's expiry into the past, as if its lifetime had run out (the server's clock decides). */
function ageLink(token: string): void {
  const url = process.env.WAKELINE_E2E_DATABASE_URL;
  if (!url?.startsWith("file:")) throw new Error("The test database is not a SQLite file");
  const db = new Database(url.slice("file:".length), { timeout: 15_000 });
  try {
    const changed = db.prepare("UPDATE ShareLink SET expiresAt = ? WHERE token = ?").run("2020-01-01T00:00:00.000+00:00", token);
    expect(changed.changes, `share link ${token} exists`).toBe(1);
  } finally {
    db.close();
  }
}

test.describe("share links", () => {
  test("a link opened in a fresh browser restores the view, its replay position and its selection", async ({ api, page, browser }) => {
    const { run } = await api.runScenario("messy", 11);
    const [actor] = await api.actors(run.id);
    const diagram = await api.diagram(run.id, { actor: actor.actorId, cycle: 1, detail: "full" });
    const seqs = diagram.items.flatMap((item) => (item.kind === "arrow" && item.seq !== undefined ? [item.seq] : []));
    const selected = seqs[3];
    const position = seqs[10];
    const view = `/runs/${encodeURIComponent(run.id)}/cycles/1?actor=${encodeURIComponent(actor.actorId)}&detail=full&at=${position}&sel=${selected}`;

    await page.goto(view);
    await expect(page.getByTestId("event-detail")).toContainText(`Event #${selected}`);
    const link = await createLink(page);
    expect(new URL(link).origin).toBe(new URL(page.url()).origin);

    // Someone else, with nothing in common with this browser but the link.
    const stranger = await browser.newContext();
    try {
      const other = await stranger.newPage();
      const response = await other.goto(link);
      expect(response?.status()).toBe(200);
      const restored = new URL(other.url());
      expect(`${restored.pathname}${restored.search}`).toBe(view);
      await expect(other.getByRole("heading", { level: 1 })).toContainText("Cycle 1");
      await expect(other.getByTestId("event-detail")).toContainText(`Event #${selected}`);
      await expect(other.getByTestId("diagram")).toHaveAttribute("data-interactive", "true");
    } finally {
      await stranger.close();
    }
  });

  test("a revoked link is refused, and says so plainly", async ({ api, page, browser, request }) => {
    const { run } = await api.runScenario("ideal", 12);
    const [actor] = await api.actors(run.id);
    await page.goto(`/runs/${encodeURIComponent(run.id)}?actor=${encodeURIComponent(actor.actorId)}`);
    const link = await createLink(page, "7 days");
    await expect(page.getByText(/This link expires on \d{4}-\d{2}-\d{2}/)).toBeVisible();

    await page.getByRole("button", { name: "Revoke link" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Link revoked" })).toBeVisible();

    const stranger = await browser.newContext();
    try {
      const other = await stranger.newPage();
      const response = await other.goto(link);
      expect(response?.status()).toBe(410);
      expect(new URL(other.url()).pathname).toBe(new URL(link).pathname);
      await expect(other.getByRole("heading", { level: 1 })).toHaveText("This share link was revoked");
      await expect(other.getByText(/was revoked on \d{4}-\d{2}-\d{2}/)).toBeVisible();
      await expect(other.getByRole("link", { name: "Go to all runs" })).toBeVisible();
    } finally {
      await stranger.close();
    }
    // The API says the same to a program.
    const token = new URL(link).pathname.split("/").pop()!;
    expect(await (await request.get(`/api/share/${token}`)).json()).toMatchObject({ token, status: "revoked" });
  });

  test("an expired link is refused, and an unknown one is not found", async ({ api, request, page }) => {
    const { run } = await api.runScenario("ideal", 13);
    const created = await request.post("/api/share", { data: { path: `/runs/${encodeURIComponent(run.id)}`, expiresInSeconds: 3600 } });
    expect(created.status()).toBe(201);
    const { token, url } = (await created.json()) as { token: string; url: string };

    // Still within its hour: it leads to the run.
    const live = await request.get(url, { maxRedirects: 0 });
    expect(live.status()).toBe(307);
    expect(live.headers().location).toBe(`/runs/${encodeURIComponent(run.id)}`);

    ageLink(token);
    const response = await page.goto(url);
    expect(response?.status()).toBe(410);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This share link has expired");
    await expect(page.getByText("This share link expired on 2020-01-01 00:00 UTC.")).toBeVisible();

    const unknown = await page.goto("/s/zzzzzzzz");
    expect(unknown?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This share link does not exist");
  });

  test("the API refuses to share an address outside the app", async ({ request }) => {
    for (const path of ["https://example.com/", "//example.com/runs/x", "/api/runs"]) {
      const response = await request.post("/api/share", { data: { path } });
      expect(response.status(), path).toBe(400);
      expect(await response.json()).toMatchObject({ code: "invalid_share_path" });
    }
  });
});
