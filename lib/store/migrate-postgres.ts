// Applies pending migrations to a PostgreSQL database (prisma/migrations-postgresql), in one
// transaction that first takes a transaction-level advisory lock: of two processes starting at
// once, one applies, the other waits on the lock and then finds everything applied. PostgreSQL's
// DDL is transactional, so a failed migration leaves the database as it was.
import { randomUUID } from "node:crypto";
import { StoreError } from "./errors";
import { messageOf, pendingMigrations, type MigrationFile, type MigrationResult } from "./migration-files";
import { connectPgClient, pgConnectionError } from "./pg-connection";

/** The advisory lock key of Wakeline's migrator ("wakeline" as a number); any other user picks its own. */
const MIGRATION_LOCK_KEY = 0x77616b656c696e;

/** Prisma Migrate's own table, as `prisma migrate deploy` creates it on PostgreSQL. */
const BOOKKEEPING_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export async function migratePostgres(url: string, migrations: MigrationFile[]): Promise<MigrationResult> {
  const client = await connectPgClient(url, "wakeline-migrate");
  try {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      await client.query(BOOKKEEPING_TABLE);
      const { rows } = await client.query<{ name: string; checksum: string }>(
        `SELECT migration_name AS name, checksum FROM "_prisma_migrations"
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const applied: string[] = [];
      for (const migration of pendingMigrations(migrations, new Map(rows.map((row) => [row.name, row.checksum])))) {
        const startedAt = new Date();
        try {
          // Without parameters the whole file goes as one simple query: several statements at once.
          await client.query(migration.sql);
        } catch (err) {
          throw new StoreError("migration_failed", `Migration ${migration.name} failed: ${messageOf(err)}`);
        }
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        applied.push(migration.name);
      }
      await client.query("COMMIT");
      return { applied };
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw pgConnectionError(err, url);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
