import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationsDir, projectRoot } from "./location";
import { migrateSqlite, readMigrationFiles, type MigrationFile } from "./migrate";
import { onPostgres } from "./testing/temp-db";

let dir: string;
let file: string;
beforeEach(() => {
  if (onPostgres) return; // SQLite only: skipped in the PostgreSQL run
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-migrate-"));
  file = path.join(dir, "nested", "folder", "db.sqlite");
});
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const migrations = () => readMigrationFiles(migrationsDir("sqlite"));

function tables(): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (row) => row.name,
    );
  } finally {
    db.close();
  }
}

describe.skipIf(onPostgres)("migrateSqlite", () => {
  it("creates the folder, the tables and WAL mode on first use, and nothing on the second", () => {
    const all = migrations();
    expect(all.length).toBeGreaterThan(0);
    expect(migrateSqlite(file, all).applied).toEqual(all.map((m) => m.name));
    expect(tables()).toEqual(expect.arrayContaining(["Run", "Event", "Cycle", "ShareLink", "_prisma_migrations"]));
    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    expect(migrateSqlite(file, all).applied).toEqual([]);
  });

  it("applies only the migrations added since the last time, in name order", () => {
    const [init] = migrations();
    migrateSqlite(file, [init]);
    const later: MigrationFile[] = [
      { name: "29990102000000_second", sql: 'CREATE TABLE "Second" (id TEXT);', checksum: "b" },
      { name: "29990101000000_first", sql: 'CREATE TABLE "First" (id TEXT);', checksum: "a" },
    ].sort((a, b) => a.name.localeCompare(b.name));
    expect(migrateSqlite(file, [init, ...later]).applied).toEqual(["29990101000000_first", "29990102000000_second"]);
    expect(tables()).toEqual(expect.arrayContaining(["First", "Second"]));
  });

  it("refuses a migration that changed after it was applied", () => {
    const all = migrations();
    migrateSqlite(file, all);
    const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    expect(() => migrateSqlite(file, edited)).toThrow(expect.objectContaining({ code: "migration_modified" }));
  });

  it("rolls back everything when a migration fails", () => {
    const broken: MigrationFile = { name: "29990101000000_broken", sql: "CREATE TABLE x (id TEXT); NOT SQL;", checksum: "c" };
    expect(() => migrateSqlite(file, [...migrations(), broken])).toThrow(
      expect.objectContaining({ code: "migration_failed" }),
    );
    expect(tables()).toEqual([]);
  });

  it("lets several processes start on the same new file at once: one applies, the others wait", async () => {
    const runs = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(
              process.execPath,
              [path.join(projectRoot(), "node_modules", "tsx", "dist", "cli.mjs"), "lib/store/testing/migrate-file.ts", file],
              { cwd: projectRoot() },
            );
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
  });

  it("keeps Prisma Migrate's bookkeeping, so `prisma migrate status` agrees", () => {
    migrateSqlite(file, migrations());
    const status = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "status"], {
      cwd: projectRoot(),
      env: { ...process.env, DATABASE_URL: `file:${file}` },
      encoding: "utf8",
    });
    expect(status.stdout).toContain("Database schema is up to date");
    expect(status.status).toBe(0);
  });
});

describe.skipIf(onPostgres)("upgrading a database that holds recordings", () => {
  it("moves run configs to their own table and keeps every run, event, cycle and share link", () => {
    const all = migrations();
    const split = all.findIndex((migration) => migration.name.endsWith("_run_config_apart"));
    expect(split).toBeGreaterThan(0);
    migrateSqlite(file, all.slice(0, split));
    const db = new Database(file);
    db.prepare(`INSERT INTO "Run" (id, name, source, config, status, eventCount, startedAt) VALUES ('r1', 'old', 'scenario', '{"big":true}', 'finished', 1, 0)`).run();
    db.prepare(`INSERT INTO "Event" (runId, seq, time, kind, type, label) VALUES ('r1', 1, 0, 'note', 'narrative', 'hello')`).run();
    db.prepare(`INSERT INTO "Cycle" (id, runId, actorId, ordinal, firstSeq, lastSeq, startTime, outcome) VALUES ('c1', 'r1', 'a', 1, 1, 1, 0, 'slept')`).run();
    db.prepare(`INSERT INTO "ShareLink" (token, runId, view, createdAt) VALUES ('t1', 'r1', '{}', 0)`).run();
    db.close();

    migrateSqlite(file, all);
    const after = new Database(file, { readonly: true });
    try {
      const count = (table: string) => (after.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
      expect([count("Run"), count("Event"), count("Cycle"), count("ShareLink")]).toEqual([1, 1, 1, 1]);
      expect(after.prepare(`SELECT config FROM "RunConfig" WHERE runId = 'r1'`).get()).toEqual({ config: '{"big":true}' });
      expect(String(after.pragma("integrity_check", { simple: true }))).toBe("ok");
    } finally {
      after.close();
    }
  });
});
