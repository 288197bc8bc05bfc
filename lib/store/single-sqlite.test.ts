// Two copies of SQLite in one process corrupt a WAL database: when one copy closes its connection it
// drops the file locks and deletes the -wal/-shm files the other copy still writes to. Exactly one
// better-sqlite3 may be installed, and every package that loads it must get that one.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { onPostgres } from "./testing/temp-db";

const root = path.resolve(__dirname, "..", "..");

/** Every installed better-sqlite3 package folder below node_modules. */
function installedCopies(dir: string, found: string[] = []): string[] {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === ".bin" || entry.name === ".cache") continue;
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith("@")) {
      installedCopies(full, found);
      continue;
    }
    if (entry.name === "better-sqlite3" && packageName(full) === "better-sqlite3") found.push(full);
    installedCopies(path.join(full, "node_modules"), found);
  }
  return found;
}

function packageName(dir: string): string | null {
  const file = path.join(dir, "package.json");
  return fs.existsSync(file) ? ((JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string }).name ?? null) : null;
}

describe.skipIf(onPostgres)("one SQLite library in the tree", () => {
  it("has a single better-sqlite3 installed", () => {
    expect(installedCopies(path.join(root, "node_modules")).map((copy) => path.relative(root, copy))).toEqual([path.join("node_modules", "better-sqlite3")]);
  });

  it("gives the Prisma adapter the same copy as the migrator", () => {
    const fromRoot = createRequire(path.join(root, "package.json")).resolve("better-sqlite3");
    const adapter = createRequire(path.join(root, "package.json")).resolve("@prisma/adapter-better-sqlite3");
    expect(createRequire(adapter).resolve("better-sqlite3")).toBe(fromRoot);
  });
});
