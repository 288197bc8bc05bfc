#!/usr/bin/env node
// `npm start`: the live engine and the dashboard on http://localhost:3000 (PORT overrides), served by
// server.ts. Says what to do when there is no dashboard build yet instead of failing obscurely
// (WAKELINE_UI=0 serves the engine alone and needs no build).
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const distDir = process.env.NEXT_DIST_DIR || ".next";
if (process.env.WAKELINE_UI !== "0" && !fs.existsSync(path.join(root, distDir, "BUILD_ID"))) {
  console.error("[wakeline] No production build found. Run `npm run build` first, then `npm start`.");
  process.exit(1);
}

// tsx as a loader of this one node process (its CLI would add a process of its own between us and
// the server, and one more hop for every signal).
const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve("tsx")).href;
const child = spawn(process.execPath, ["--import", tsx, path.join(root, "server.ts")], {
  cwd: root,
  stdio: "inherit",
  env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
});

// Pass Ctrl-C and service-manager stops on to the server (which takes a repeated signal as the same
// stop), and exit with its status once it has recorded its last events.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
// `npm start` stopped without passing the stop on (killed, or a shell in between that did not
// forward it): the server must not run on unseen. An orphan is adopted by another process.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill("SIGTERM");
}, 1_000).unref();

child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
