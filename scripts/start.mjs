#!/usr/bin/env node
// `npm start`: serves the production build on http://localhost:3000 (PORT overrides; extra
// arguments go to `next start`). Says what to do when there is no build yet instead of failing obscurely.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("[wakeline] No production build found. Run `npm run build` first, then `npm start`.");
  process.exit(1);
}

const require = createRequire(import.meta.url);
const nextCli = require.resolve("next/dist/bin/next");
const args = process.argv.slice(2);
const hasPort = args.some((arg) => arg === "-p" || arg === "--port" || arg.startsWith("--port="));
const port = process.env.PORT ?? "3000";

const child = spawn(process.execPath, [nextCli, "start", ...(hasPort ? [] : ["-p", port]), ...args], {
  cwd: root,
  stdio: "inherit",
  env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
});

// Pass Ctrl-C and service-manager stops on to the server, and exit with its status.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
