// Export a recorded run as one JSON bundle, and import a bundle as a new run that draws the same
// (bundle-import.ts reads and writes it as it arrives).
import type { Db } from "@/lib/store/db";
import type { RunInfo, TraceBundle } from "@/lib/trace/types";
import { importBundleStream, importBundleValue, type ImportOptions } from "./bundle-import";
import { getRun } from "./run-queries";
import { loadRunTrace } from "./selection";

export { importBundleStream, type ImportOptions, type ImportProgress } from "./bundle-import";
export { exportRunText } from "./bundle-export";

export async function exportRun(db: Db, runId: string): Promise<TraceBundle> {
  const run = await getRun(db, runId);
  const { events, cycles } = await loadRunTrace(db, run);
  return { format: "wakeline-bundle", version: 1, run: { ...run, eventCount: events.length }, events, cycles };
}

/**
 * Stores a parsed bundle as a new run (source "import"), checked as it is written; a bad one is a
 * 400 `invalid_bundle` naming its first problem, and leaves no run behind.
 */
export function importBundle(db: Db, input: unknown, options?: ImportOptions): Promise<RunInfo> {
  return importBundleValue(db, input, options);
}

/** Characters of a text handed to the reader at a time. */
const TEXT_PIECE = 64 * 1024;

/** importBundle for the bundle's JSON text; text that is not JSON is a 400 `invalid_json`. */
export function importBundleText(db: Db, text: string, options?: ImportOptions): Promise<RunInfo> {
  async function* pieces(): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += TEXT_PIECE) yield text.slice(i, i + TEXT_PIECE);
  }
  return importBundleStream(db, pieces(), options);
}
