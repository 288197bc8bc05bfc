#!/usr/bin/env node
// `npm run test:e2e`: Playwright against the server users run (server.ts: engine and dashboard in one
// process), with one temporary database for the whole run. The database path and the browser are
// chosen here, once, so the server and every Playwright process agree on them.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { CHROMIUM_MISSING, findChromium } from "./chromium-path.mjs";

const chromium = findChromium();
if (!chromium) {
  console.error(CHROMIUM_MISSING);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const env = { ...process.env, PLAYWRIGHT_CHROMIUM_PATH: chromium };
env.WAKELINE_E2E_DATABASE_URL ??= `file:${path.join(os.tmpdir(), `wakeline-e2e-${Date.now()}-${process.pid}.db`)}`;
const cli = require.resolve("@playwright/test/cli");
const child = spawn(process.execPath, [cli, "test", ...process.argv.slice(2)], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
