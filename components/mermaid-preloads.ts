// The files of Mermaid's ES module build that drawing a sequence diagram needs, for a page to ask
// for them all at once (<link rel="modulepreload">) instead of the browser finding them one import
// level at a time, each level waiting for the main thread to parse the one before (which, while the
// page hydrates, it is slow to do). Read from the installed build once per server process. Server
// code only (it reads files), but no `server-only`: server.ts uses it too, outside Next.js.
import fs from "node:fs";
import path from "node:path";
import { MERMAID_MODULE_URL, MERMAID_VENDOR_PREFIX, MERMAID_VERSION } from "./mermaid-module";

export const MERMAID_DIST = path.join(process.env.WAKELINE_ROOT ?? process.cwd(), "node_modules", "mermaid", "dist");
const CHUNKS = "chunks/mermaid.esm.min";
/** Static imports in the minified build: `from"./x.mjs"` or `import"./x.mjs"` (not `import("…")`). */
const STATIC_IMPORT = /(?:from|import)\s*"\.\/((?:chunks\/mermaid\.esm\.min\/)?[\w.-]+\.mjs)"/g;

let cached: string[] | null = null;

/** `relative` (a path under dist/) and everything it imports statically, transitively. */
function withImports(relative: string, seen: Set<string>): void {
  if (seen.has(relative)) return;
  seen.add(relative);
  const source = fs.readFileSync(path.join(MERMAID_DIST, relative), "utf8");
  const directory = path.posix.dirname(relative);
  for (const match of source.matchAll(STATIC_IMPORT)) withImports(path.posix.join(directory, match[1]), seen);
}

/** URLs of Mermaid's entry module, the sequence-diagram module and all they import; [] if unreadable. */
export function mermaidPreloadUrls(): string[] {
  if (cached) return cached;
  try {
    const seen = new Set<string>();
    withImports("mermaid.esm.min.mjs", seen);
    const sequence = fs.readdirSync(path.join(MERMAID_DIST, CHUNKS)).find((name) => /^sequenceDiagram-[\w]+\.mjs$/.test(name));
    if (sequence) withImports(`${CHUNKS}/${sequence}`, seen);
    cached = [...seen].map((relative) => (relative === "mermaid.esm.min.mjs" ? MERMAID_MODULE_URL : `${MERMAID_VENDOR_PREFIX}/${MERMAID_VERSION}/${relative}`));
  } catch {
    cached = [];
  }
  return cached;
}
