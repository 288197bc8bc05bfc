// Which Chromium the browser tests drive: PLAYWRIGHT_CHROMIUM_PATH, Debian's /usr/bin/chromium, or
// Playwright's own download (`npx playwright install chromium`) when one is present.
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The browser's path, or null when there is none on this machine. */
export function findChromium() {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", playwrightsOwn()];
  return candidates.find((candidate) => candidate && fs.existsSync(candidate)) ?? null;
}

export const CHROMIUM_MISSING =
  "No Chromium for the browser tests: install Debian's package (apt-get install chromium), " +
  "set PLAYWRIGHT_CHROMIUM_PATH to a Chromium binary, or run `npx playwright install chromium`.";

function playwrightsOwn() {
  try {
    return require("playwright-core").chromium.executablePath();
  } catch {
    return undefined;
  }
}
