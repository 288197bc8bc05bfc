#!/usr/bin/env node
// Creates the next migration from the changes in prisma/schema.prisma, for both providers:
//   node scripts/new-migration.mjs <name>        (npm run db:migration -- <name>)
// writes prisma/migrations/<stamp>_<name>/migration.sql (SQLite) and
// prisma/migrations-postgresql/<stamp>_<name>/migration.sql (PostgreSQL, from the derived schema).
//
// The existing SQLite migrations are applied to a scratch file and Prisma reads that database back
// as a datamodel: the schema as of the last migration. `prisma migrate diff` turns its difference
// with the schema into SQL — for SQLite directly, for PostgreSQL between the same two datamodels
// with the provider switched (postgres-schema.mjs). Both histories thus follow the one schema,
// without a PostgreSQL server. (`migrate diff --from-migrations` needs a shadow database, which the
// driver-adapter setup cannot provide offline; `migrate dev` fails on a fresh database.)
// What a migration adds by hand (SQLite's FTS5 table, PostgreSQL's search index, the partial index
// of phase ends) is not part of the datamodels, so no diff ever drops it; review both files before
// committing them.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { POSTGRES_SCHEMA, writePostgresSchema } from "./postgres-schema.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schema = path.join(root, "prisma", "schema.prisma");
const histories = {
  sqlite: path.join(root, "prisma", "migrations"),
  postgresql: path.join(root, "prisma", "migrations-postgresql"),
};
/** Tables a migration made by hand (SQLite's FTS5 index and its shadow tables): not models. */
const HAND_MADE_TABLES = /^EventSearch(_\w+)?$/;

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: node scripts/new-migration.mjs <name>   (lower-case letters, digits and _)");
  process.exit(2);
}

try {
  console.log(createMigrations(name).join("\n"));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}

/** Returns what was done; throws with Prisma's output when a step fails. */
function createMigrations(migrationName) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-migration-"));
  try {
    writePostgresSchema(root);
    const current = currentDatamodel(scratch);
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const done = [];
    for (const provider of ["sqlite", "postgresql"]) {
      let fromArgs = ["--from-empty"];
      if (current) {
        const file = path.join(scratch, `current-${provider}.prisma`);
        fs.writeFileSync(file, provider === "sqlite" ? current : switchProvider(current));
        fromArgs = ["--from-schema-datamodel", file];
      }
      const target = provider === "sqlite" ? schema : path.join(root, POSTGRES_SCHEMA);
      const sql = prisma(["migrate", "diff", ...fromArgs, "--to-schema-datamodel", target, "--script"], `file:${path.join(scratch, "diff.db")}`);
      if (!/^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|PRAGMA)\b/im.test(sql)) {
        done.push(`No schema changes for ${provider}: no migration created.`);
        continue;
      }
      const folder = path.join(histories[provider], `${stamp}_${migrationName}`);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, "migration.sql"), sql);
      writeLockFile(histories[provider], provider);
      done.push(`Created ${path.relative(root, path.join(folder, "migration.sql"))}; the app and the CLI apply it on next start.`);
    }
    return done;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The datamodel as of the last SQLite migration (null when there is none), without hand-made tables. */
function currentDatamodel(scratch) {
  const dir = histories.sqlite;
  const existing = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
        .map((e) => e.name)
        .sort()
    : [];
  if (existing.length === 0) return null;
  const file = path.join(scratch, "current.db");
  const db = new Database(file);
  for (const m of existing) db.exec(fs.readFileSync(path.join(dir, m, "migration.sql"), "utf8"));
  db.close();
  const pulled = prisma(["db", "pull", "--print", "--schema", schema], `file:${file}`);
  // The printed schema can be preceded by warnings (e.g. about the datasource url); keep the schema.
  const start = pulled.search(/^(generator|datasource)\s/m);
  if (start < 0) throw new Error(`prisma db pull printed no schema:\n${pulled}`);
  return withoutHandMadeTables(pulled.slice(start));
}

/** Drops the model blocks of hand-made tables (and the comments above them) from a printed schema. */
function withoutHandMadeTables(text) {
  return text.replace(/(^\/\/\/[^\n]*\n)*^model (\w+) \{[\s\S]*?^\}\n*/gm, (block, _comment, model) => (HAND_MADE_TABLES.test(model) ? "" : block));
}

/** The same datamodel for PostgreSQL: only the datasource changes (as in postgres-schema.mjs). */
function switchProvider(text) {
  return text
    .replace(/(datasource db \{[^}]*?provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/(datasource db \{[^}]*?url\s*=\s*)(env\([^)]*\)|"[^"]*")/, '$1"postgresql://localhost/wakeline"');
}

function writeLockFile(dir, provider) {
  const lock = path.join(dir, "migration_lock.toml");
  if (!fs.existsSync(lock)) {
    fs.writeFileSync(lock, `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`);
  }
}

/** Runs the offline Prisma CLI with DATABASE_URL pointing at a scratch database; returns stdout. */
function prisma(args, databaseUrl) {
  const result = spawnSync(process.execPath, [path.join(root, "scripts", "prisma.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${result.stderr || result.stdout}\nprisma ${args.slice(0, 2).join(" ")} failed`);
  return result.stdout;
}
