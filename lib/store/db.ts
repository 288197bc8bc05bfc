// The Prisma client for the recorded data. One client per database URL per process; the database
// is created and migrated on first use.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { StoreError } from "./errors";
import { registerEventWriter } from "./event-writer";
import { SqliteEventWriter } from "./sqlite-event-writer";
import { resolveDatabase, type DatabaseLocation } from "./location";
import { migrateDatabase } from "./migrate";

export type Db = PrismaClient;

/** Survives module reloads (Next.js dev) so one process keeps one connection per database. */
const clients: Map<string, Promise<Db>> = ((globalThis as Record<string, unknown>).__wakelineDbClients ??=
  new Map<string, Promise<Db>>()) as Map<string, Promise<Db>>;

/** The shared client for DATABASE_URL (or the embedded SQLite file), migrated before first use. */
export function getDb(): Promise<Db> {
  return openDb(process.env.DATABASE_URL);
}

/** The shared client for a given URL. Tests pass a temporary file URL. */
export function openDb(url: string | undefined): Promise<Db> {
  const location = resolveDatabase(url);
  let client = clients.get(location.url);
  if (!client) {
    client = connect(location);
    clients.set(location.url, client);
    // A failed connection must not stay cached: the next call retries.
    client.catch(() => clients.delete(location.url));
  }
  return client;
}

/** Closes the client for a URL (tests, CLI exit). */
export async function closeDb(url: string | undefined = process.env.DATABASE_URL): Promise<void> {
  const location = resolveDatabase(url);
  const client = clients.get(location.url);
  if (!client) return;
  clients.delete(location.url);
  const db = await client.catch(() => null);
  const writer = sqliteWriters.get(location.url);
  sqliteWriters.delete(location.url);
  await writer?.close();
  await db?.$disconnect();
}

/** The recording writer of each open SQLite database, closed along with its client. */
const sqliteWriters: Map<string, SqliteEventWriter> = ((globalThis as Record<string, unknown>).__wakelineSqliteWriters ??=
  new Map<string, SqliteEventWriter>()) as Map<string, SqliteEventWriter>;

async function connect(location: DatabaseLocation): Promise<Db> {
  await migrateDatabase(location);
  const db = new PrismaClient({ adapter: createAdapter(location) });
  if (location.provider === "sqlite" && location.file) {
    const writer = new SqliteEventWriter(location.file);
    sqliteWriters.set(location.url, writer);
    registerEventWriter(db, writer);
  }
  return db;
}

function createAdapter(location: DatabaseLocation) {
  switch (location.provider) {
    case "sqlite":
      // `timeout` is SQLite's busy wait: a writer in another process delays us instead of failing.
      return new PrismaBetterSQLite3({ url: location.url, timeout: 15_000 });
    case "postgresql":
      // Needs a client generated from a PostgreSQL schema (then `new PrismaPg({ connectionString })`).
      throw new StoreError(
        "unsupported_database",
        "PostgreSQL is not supported yet: set DATABASE_URL to a file: URL (SQLite)",
      );
  }
}
