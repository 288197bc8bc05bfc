// Where the database lives and which provider serves it. Kept free of Prisma imports so the
// CLI and the migrator can resolve a location without loading the client.
import fs from "node:fs";
import path from "node:path";
import { StoreError } from "./errors";

export type DatabaseProvider = "sqlite" | "postgresql";

export interface DatabaseLocation {
  provider: DatabaseProvider;
  url: string;
  /** Absolute file path for SQLite; null for server databases. */
  file: string | null;
}

/**
 * The project root holds `prisma/migrations` and the default `data/` folder. The CLI sets
 * WAKELINE_ROOT (it may be started from any directory); Next.js and the tests run from the root.
 */
export function projectRoot(): string {
  const fromEnv = process.env.WAKELINE_ROOT;
  if (fromEnv) return path.resolve(fromEnv);
  let dir = process.cwd();
  for (;;) {
    if (fs.existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function migrationsDir(provider: DatabaseProvider = "sqlite"): string {
  // One migration history per provider; SQLite's is Prisma's default folder.
  const folder = provider === "sqlite" ? "migrations" : `migrations-${provider}`;
  return path.join(/*turbopackIgnore: true*/ projectRoot(), "prisma", folder);
}

export function defaultDatabaseUrl(): string {
  return `file:${path.join(/*turbopackIgnore: true*/ projectRoot(), "data", "wakeline.db")}`;
}

/** Resolves a database URL (default: DATABASE_URL, else the embedded SQLite file). */
export function resolveDatabase(url: string | undefined = process.env.DATABASE_URL): DatabaseLocation {
  const effective = url && url.trim() !== "" ? url.trim() : defaultDatabaseUrl();
  if (/^postgres(ql)?:\/\//i.test(effective)) {
    return { provider: "postgresql", url: effective, file: null };
  }
  if (effective.startsWith("file:")) {
    const raw = effective.slice("file:".length).replace(/\?.*$/, "");
    if (raw === "") throw new StoreError("invalid_database_url", `DATABASE_URL has no file path: ${effective}`);
    if (raw === ":memory:") {
      // The migrator and the client open separate connections; each would see its own empty database.
      throw new StoreError("invalid_database_url", "An in-memory SQLite database is not supported; use a file");
    }
    const file = path.isAbsolute(raw) ? raw : path.resolve(/*turbopackIgnore: true*/ projectRoot(), raw);
    return { provider: "sqlite", url: `file:${file}`, file };
  }
  throw new StoreError(
    "invalid_database_url",
    `DATABASE_URL must start with file: (SQLite) or postgresql:// — got "${effective.slice(0, 40)}"`,
  );
}
