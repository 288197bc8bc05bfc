// The server under test serves the production dashboard: build it once when there is no build.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./server-process";

export default function ensureBuild(): void {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (fs.existsSync(path.join(ROOT, distDir, "BUILD_ID"))) return;
  const built = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (built.status !== 0) throw new Error("npm run build failed; the reliability tests need the dashboard build");
}
