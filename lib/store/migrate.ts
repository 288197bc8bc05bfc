// Applies pending migration files on first use, so neither the app nor the CLI needs a setup step.
// Bookkeeping uses Prisma Migrate's own `_prisma_migrations` table and checksums, so
// `prisma migrate status` agrees with what this module applied.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { StoreError } from "./errors";
import { migrationsDir, type DatabaseLocation } from "./location";
import { messageOf, pendingMigrations, readMigrationFiles, type MigrationFile, type MigrationResult } from "./migration-files";

export { readMigrationFiles, type MigrationFile, type MigrationResult };

/** Busy timeout while another process holds the write lock (e.g. two CLIs starting at once). */
const LOCK_WAIT_MS = 15_000;

const BOOKKEEPING_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Brings the database at `location` up to date. Idempotent and safe across processes. */
export async function migrateDatabase(location: DatabaseLocation): Promise<MigrationResult> {
  switch (location.provider) {
    case "sqlite":
      if (!location.file) throw new StoreError("invalid_database_url", "SQLite location without a file");
      return migrateSqlite(location.file, readMigrationFiles(migrationsDir("sqlite")));
    case "postgresql": {
      // Loaded on demand: a SQLite installation never loads the PostgreSQL driver.
      const { migratePostgres } = await import("./migrate-postgres");
      return migratePostgres(location.url, readMigrationFiles(migrationsDir("postgresql")));
    }
  }
}

/**
 * Applies the given migrations to one SQLite file. The whole check-and-apply runs inside
 * `BEGIN IMMEDIATE`, which takes the write lock up front: a second process waits, then finds
 * everything applied and does nothing.
 */
export function migrateSqlite(file: string, migrations: MigrationFile[]): MigrationResult {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: LOCK_WAIT_MS });
  } catch (err) {
    throw new StoreError("database_unavailable", `Cannot open the database ${file}: ${messageOf(err)}`);
  }
  try {
    // WAL lets readers (the app) work while a run is being recorded; the mode is stored in the file.
    db.pragma("journal_mode = WAL");
    db.exec("BEGIN IMMEDIATE");
    try {
      const applied = applyPending(db, migrations);
      db.exec("COMMIT");
      return { applied };
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  } finally {
    db.close();
  }
}

function applyPending(db: Database.Database, migrations: MigrationFile[]): string[] {
  db.exec(BOOKKEEPING_TABLE);
  const rows = db
    .prepare(
      `SELECT migration_name AS name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    )
    .all() as { name: string; checksum: string }[];
  const done = new Map(rows.map((row) => [row.name, row.checksum]));
  const insert = db.prepare(
    `INSERT INTO "_prisma_migrations"
       (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
     VALUES (?, ?, ?, ?, ?, 1)`,
  );
  const applied: string[] = [];
  for (const migration of pendingMigrations(migrations, done)) {
    const startedAt = new Date().toISOString();
    try {
      db.exec(migration.sql);
    } catch (err) {
      throw new StoreError("migration_failed", `Migration ${migration.name} failed: ${messageOf(err)}`);
    }
    insert.run(randomUUID(), migration.checksum, new Date().toISOString(), migration.name, startedAt);
    applied.push(migration.name);
  }
  return applied;
}

