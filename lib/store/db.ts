// The Prisma client for the recorded data. One client per database URL per process; the database
// is created (SQLite) and migrated on first use. SQLite and PostgreSQL each have a client generated
// from the same models (prisma/schema.prisma, and prisma/postgresql/schema.prisma derived from it),
// so callers see one type, `Db`, whichever database serves them.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { registerEventWriter, type EventWriter } from "./event-writer";
import { SqliteEventWriter } from "./sqlite-event-writer";
import { closeSqliteReader } from "./sqlite-reads";
import { resolveDatabase, type DatabaseLocation } from "./location";
import { migrateDatabase } from "./migrate";
import { registerLocation } from "./sql-dialect";

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
  const writer = ownWriters.get(location.url);
  ownWriters.delete(location.url);
  await writer?.close();
  await db?.$disconnect();
  if (location.file) closeSqliteReader(location.file);
  const release = releasers.get(location.url);
  releasers.delete(location.url);
  await release?.();
}

/** What else a client holds and closeDb lets go after `$disconnect` (PostgreSQL's pool). */
const releasers: Map<string, () => Promise<void>> = ((globalThis as Record<string, unknown>).__wakelineDbReleasers ??=
  new Map<string, () => Promise<void>>()) as Map<string, () => Promise<void>>;

type ClosableWriter = EventWriter & { close(): Promise<void> };

/** The recording writer of each open database, closed along with its client. */
const ownWriters: Map<string, ClosableWriter> = ((globalThis as Record<string, unknown>).__wakelineOwnWriters ??=
  new Map<string, ClosableWriter>()) as Map<string, ClosableWriter>;

async function connect(location: DatabaseLocation): Promise<Db> {
  await migrateDatabase(location);
  const { db, writer, release } = await createClient(location);
  if (release) releasers.set(location.url, release);
  registerLocation(db, location);
  ownWriters.set(location.url, writer);
  registerEventWriter(db, writer);
  return db;
}

async function createClient(location: DatabaseLocation): Promise<{ db: Db; writer: ClosableWriter; release?: () => Promise<void> }> {
  switch (location.provider) {
    case "sqlite": {
      // `timeout` is SQLite's busy wait: a writer in another process delays us instead of failing.
      const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: location.url, timeout: 15_000 }) });
      return { db, writer: new SqliteEventWriter(location.file!) };
    }
    case "postgresql": {
      // Loaded on demand: a SQLite installation never loads the PostgreSQL client or driver.
      const [{ createPgPrismaClient }, { PgEventWriter }] = await Promise.all([import("./pg-prisma"), import("./pg-event-writer")]);
      const { db, release } = await createPgPrismaClient(location.url);
      return { db, writer: new PgEventWriter(location.url), release };
    }
  }
}
