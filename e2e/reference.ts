// Reads the hand-drawn reference flows (the copy in lib/conformance/reference) and counts what they draw.
import fs from "node:fs";
import path from "node:path";
import type { ShapeCounts } from "./api";

/** The reference flows kept in the repository (a fresh clone has nothing beside the project). */
export const REFERENCE_DIR = path.resolve(__dirname, "..", "lib", "conformance", "reference");

/** Counts `->>` messages, `-->` relations and `note over` lines, skipping `%%` comments. */
export function countReferenceShapes(fileName: string): ShapeCounts {
  const lines = fs
    .readFileSync(path.join(REFERENCE_DIR, fileName), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("%%"));
  return {
    arrows: lines.filter((line) => /^\w+->>\w+/.test(line)).length,
    relations: lines.filter((line) => /^\w+-->\w+/.test(line)).length,
    notes: lines.filter((line) => /^note over /i.test(line)).length,
  };
}
