// Browser tests run against the server users run (`npm start`: server.ts with the live engine and the
// production dashboard in one process) on its own port, with its own temporary database, so they see
// what users see and never touch the development data.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// Computed once by the runner process; workers inherit it through the environment.
process.env.WAKELINE_E2E_DATABASE_URL ??= `file:${path.join(os.tmpdir(), `wakeline-e2e-${Date.now()}-${process.pid}.db`)}`;
const databaseUrl = process.env.WAKELINE_E2E_DATABASE_URL;

/** Chosen by scripts/e2e.mjs (Debian's Chromium when present); else Playwright's own browser. */
function chromiumPath(): string | undefined {
  if (process.env.PLAYWRIGHT_CHROMIUM_PATH) return process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fs.existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  return undefined;
}

// E2E_REUSE_BUILD=1 skips `next build` when a build exists (quicker local reruns); CI always builds.
const distDir = process.env.NEXT_DIST_DIR || ".next";
const reuseBuild = process.env.E2E_REUSE_BUILD === "1" && !process.env.CI && fs.existsSync(path.join(distDir, "BUILD_ID"));
// `npm start`'s own entry: the engine and the dashboard in one process.
const serve = "node scripts/start.mjs";

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
    env: { DATABASE_URL: databaseUrl, PORT: String(port), WAKELINE_HOSTNAME: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1" },
    // A clean stop, as a user's Ctrl-C: the server records its last events and ends its live run.
    gracefulShutdown: { signal: "SIGINT", timeout: 10_000 },
  },
});
