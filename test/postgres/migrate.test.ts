// The PostgreSQL migrator against a real server: the whole history on first use and nothing on the
// second, Prisma's bookkeeping, several processes starting at once (the advisory lock), a changed
// migration refused and a failed one leaving the database as it was.
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { QueryResultRow } from "pg";
import { migrationsDir, projectRoot } from "@/lib/store/location";
import { migratePostgres } from "@/lib/store/migrate-postgres";
import { readMigrationFiles, type MigrationFile } from "@/lib/store/migration-files";
import { connectPgClient } from "@/lib/store/pg-connection";
import { createPostgresDatabase } from "@/lib/store/testing/postgres-database";

let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
beforeEach(async () => {
  database = await createPostgresDatabase();
});
afterEach(() => database.drop());

const migrations = () => readMigrationFiles(migrationsDir("postgresql"));

async function query<Row extends QueryResultRow>(sql: string): Promise<Row[]> {
  const client = await connectPgClient(database.url, "wakeline-tests");
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

const tables = async () =>
  (await query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((row) => row.name);

describe("migratePostgres", () => {
  it("applies the whole history on first use, with Prisma's bookkeeping, and nothing on the second", async () => {
    const all = migrations();
    expect(all.length).toBeGreaterThan(1);
    expect((await migratePostgres(database.url, all)).applied).toEqual(all.map((m) => m.name));
    expect(await tables()).toEqual(expect.arrayContaining(["Run", "Event", "Cycle", "EngineLease", "_prisma_migrations"]));
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((row) => [row.migration_name, row.checksum, row.applied_steps_count])).toEqual(all.map((m) => [m.name, m.checksum, 1]));
    expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);
    expect((await migratePostgres(database.url, all)).applied).toEqual([]);
  });

  it("lets several processes start on the same new database at once: one applies, the others wait", async () => {
    const runs = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, ["--import", "tsx", "lib/store/testing/migrate-file.ts", database.url], { cwd: projectRoot() });
            let out = "";
            let err = "";
            child.stdout.on("data", (chunk) => (out += chunk));
            child.stderr.on("data", (chunk) => (err += chunk));
            child.on("close", (code) => resolve({ code, out, err }));
          }),
      ),
    );
    expect(runs.map((r) => [r.code, r.err])).toEqual([
      [0, ""],
      [0, ""],
      [0, ""],
    ]);
    const applied = runs.map((r) => JSON.parse(r.out) as string[]);
    expect(applied.filter((names) => names.length > 0)).toEqual([migrations().map((m) => m.name)]);
  }, 60_000);

  it("refuses a migration that changed after it was applied", async () => {
    const all = migrations();
    await migratePostgres(database.url, all);
    const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(migratePostgres(database.url, edited)).rejects.toMatchObject({ code: "migration_modified" });
  });

  it("rolls back everything when a migration fails", async () => {
    const broken: MigrationFile = { name: "29990101000000_broken", sql: "CREATE TABLE x (id TEXT); NOT SQL;", checksum: "c" };
    await expect(migratePostgres(database.url, [...migrations(), broken])).rejects.toMatchObject({ code: "migration_failed" });
    expect(await tables()).toEqual([]);
  });
});

