// The PostgreSQL schema is derived from prisma/schema.prisma, so the models are written once. Only
// the datasource and the generator's output differ: the model attributes used here mean the same on
// both providers (no @db.* types; Float → double precision, DateTime → timestamp(3), Bytes → bytea).
// The URL in the datasource is a placeholder: the app and the migrator connect through driver
// adapters and never read it.
import fs from "node:fs";
import path from "node:path";

export const POSTGRES_SCHEMA = path.join("prisma", "postgresql", "schema.prisma");

const HEADER = "// Generated from prisma/schema.prisma by scripts/prisma.mjs: edit that file, not this one.\n";

/** The PostgreSQL schema text for a SQLite schema text; throws when the input has an unexpected shape. */
export function toPostgresSchema(sqliteSchema) {
  let out = sqliteSchema;
  out = replaceOnce(out, /(datasource db \{[^}]*?provider\s*=\s*)"sqlite"/, '$1"postgresql"', "datasource provider");
  out = replaceOnce(out, /(datasource db \{[^}]*?url\s*=\s*)"[^"]*"/, '$1"postgresql://localhost/wakeline"', "datasource url");
  out = replaceOnce(out, /(generator client \{[^}]*?output\s*=\s*)"\.\.\/lib\/generated\/prisma"/, '$1"../../lib/generated/prisma-pg"', "generator output");
  if (/@db\./.test(out)) throw new Error("prisma/schema.prisma uses @db.* types: map them for PostgreSQL in scripts/postgres-schema.mjs");
  return HEADER + out;
}

/** Writes the derived schema under `root` when it differs; returns its path. */
export function writePostgresSchema(root) {
  const source = fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
  const target = path.join(root, POSTGRES_SCHEMA);
  const text = toPostgresSchema(source);
  if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== text) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return target;
}

function replaceOnce(text, pattern, replacement, what) {
  if (!pattern.test(text)) throw new Error(`prisma/schema.prisma: cannot find the ${what} to derive the PostgreSQL schema`);
  return text.replace(pattern, replacement);
}
