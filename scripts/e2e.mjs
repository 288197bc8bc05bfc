#!/usr/bin/env node
// `npm run test:e2e`: Playwright with one temporary database for the whole run. The path is chosen
// here, once, so the server and every Playwright process (which may each load the config) agree on it.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);
const env = { ...process.env };
env.WAKELINE_E2E_DATABASE_URL ??= `file:${path.join(os.tmpdir(), `wakeline-e2e-${Date.now()}-${process.pid}.db`)}`;
const cli = require.resolve("@playwright/test/cli");
const child = spawn(process.execPath, [cli, "test", ...process.argv.slice(2)], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
