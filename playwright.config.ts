// Browser tests run against a production build served by `next start` on its own port, with its own
// temporary database, so they never touch the development data and never race a dev server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// Computed once by the runner process; workers inherit it through the environment.
process.env.WAKELINE_E2E_DATABASE_URL ??= `file:${path.join(os.tmpdir(), `wakeline-e2e-${Date.now()}-${process.pid}.db`)}`;
const databaseUrl = process.env.WAKELINE_E2E_DATABASE_URL;

/** Debian's Chromium when present (Playwright cannot download its own browser everywhere). */
function chromiumPath(): string | undefined {
  if (process.env.PLAYWRIGHT_CHROMIUM_PATH) return process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fs.existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  return undefined;
}

// E2E_REUSE_BUILD=1 skips `next build` when a build exists (quicker local reruns); CI always builds.
const distDir = process.env.NEXT_DIST_DIR || ".next";
const reuseBuild = process.env.E2E_REUSE_BUILD === "1" && !process.env.CI && fs.existsSync(path.join(distDir, "BUILD_ID"));
// The dashboard's production server. (The engine's own server, server.ts, is covered by the live
// tests in test/live, which start it in-process.)
const serve = `npx next start -p ${port} -H 127.0.0.1`;

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  fullyParallel: false,
  workers: 1,
  // A flaky test is a bug to fix, not something to retry away.
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    command: reuseBuild ? serve : `npm run build && ${serve}`,
    url: `${baseURL}/api/scenarios`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" },
  },
});
