// Export a recorded run as one JSON bundle, and import a bundle as a new run that draws the same.
// bundle-export.ts writes it a page of events at a time; bundle-import.ts reads and writes it as
// it arrives.
import type { Db } from "@/lib/store/db";
import type { RunInfo } from "@/lib/trace/types";
import { importBundleStream, type ImportOptions } from "./bundle-import";

export { importBundle, importBundleStream, type ImportOptions, type ImportProgress } from "./bundle-import";
export { exportRun, exportRunText } from "./bundle-export";

/** Characters of a text handed to the reader at a time. */
const TEXT_PIECE = 64 * 1024;

/** importBundle for the bundle's JSON text; text that is not JSON is a 400 `invalid_json`. */
export function importBundleText(db: Db, text: string, options?: ImportOptions): Promise<RunInfo> {
  async function* pieces(): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += TEXT_PIECE) yield text.slice(i, i + TEXT_PIECE);
  }
  return importBundleStream(db, pieces(), options);
}
