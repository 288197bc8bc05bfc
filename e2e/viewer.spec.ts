// A share-link holder sees a viewer's page: the run, its cycles and exports, without the owner's
// controls (share, delete, share links, search, compare, the run list). The shared test server
// trusts loopback (everyone is an owner), so this test starts its own `npm start` with a token and
// loopback not trusted, seeds it as an owner (bearer token), and opens the link in a fresh context.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "./fixtures";
import { startServerProcess, type ServerProcess } from "../test/reliability/server-process";

const TOKEN = "viewer-spec-token-0123456789";
let server: ServerProcess;
let dir: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-viewer-"));
  server = await startServerProcess({ dbFile: path.join(dir, "viewer.db"), env: { WAKELINE_TOKEN: TOKEN, WAKELINE_TRUST_LOOPBACK: "0" } });
});

test.afterAll(async () => {
  if (server) {
    server.signalGroup("SIGTERM");
    await server.exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a share link opened in a fresh browser shows the run without owner controls", async ({ playwright, browser }) => {
  const owner = await playwright.request.newContext({ baseURL: server.url, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  const started = await owner.post("/api/runs", { data: { scenario: "ideal", seed: 3 } });
  expect(started.status()).toBe(201);
  const { run, cycles } = (await started.json()) as { run: { id: string }; cycles: { actorId: string; ordinal: number }[] };
  const shared = await owner.post("/api/share", { data: { path: `/runs/${run.id}` } });
  const { token } = (await shared.json()) as { token: string };
  await owner.dispose();

  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    expect((await context.request.get("/api/access")).status()).toBe(401); // no cookie yet
    await page.goto(`/s/${token}`);
    await expect(page).toHaveURL(new RegExp(`/runs/${run.id}`));
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await (await context.request.get("/api/access")).json()).toMatchObject({ role: "viewer", runId: run.id });

    // The run page: no run list, search, compare, share links or delete.
    await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
    await expect(page.getByRole("search")).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Share links" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete this run…" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /^Compare/ })).toHaveCount(0);
    await expect(page.locator(".breadcrumb").getByRole("link", { name: "Runs" })).toHaveCount(0);
    // Its share links are refused to a viewer, as is search.
    expect((await context.request.get(`/api/runs/${run.id}/share-links`)).status()).toBe(403);
    expect((await context.request.get(`/api/search?q=wake`)).status()).toBe(403);

    // A cycle page: the drawing and exports, no Share and no Compare.
    const cycle = cycles[0];
    await page.goto(`/runs/${run.id}/cycles/${cycle.ordinal}?actor=${encodeURIComponent(cycle.actorId)}`);
    const toolbar = page.getByTestId("view-toolbar");
    await expect(toolbar).toBeVisible();
    await expect(toolbar.getByRole("button", { name: "Share", exact: true })).toHaveCount(0);
    await expect(toolbar.getByRole("link", { name: "Compare…" })).toHaveCount(0);
    await expect(page.locator(".breadcrumb").getByRole("link", { name: "Runs" })).toHaveCount(0);
  } finally {
    await context.close();
  }
});
