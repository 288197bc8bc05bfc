// The migration files of one provider and what is left to apply of them; shared by the SQLite and
// the PostgreSQL migrator.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { StoreError } from "./errors";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
}

/** Reads `<dir>/<name>/migration.sql` folders in name order (names start with a timestamp). */
export function readMigrationFiles(dir: string): MigrationFile[] {
  if (!fs.existsSync(dir)) {
    throw new StoreError("migrations_missing", `No migrations folder at ${dir}`);
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * The migrations still to apply, given the names and checksums already recorded. A recorded
 * migration whose file changed since is refused: the databases that applied it would differ.
 */
export function pendingMigrations(migrations: MigrationFile[], applied: ReadonlyMap<string, string>): MigrationFile[] {
  return migrations.filter((migration) => {
    const checksum = applied.get(migration.name);
    if (checksum === undefined) return true;
    if (checksum !== migration.checksum) {
      throw new StoreError(
        "migration_modified",
        `Migration ${migration.name} was changed after it was applied; create a new migration instead`,
      );
    }
    return false;
  });
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
