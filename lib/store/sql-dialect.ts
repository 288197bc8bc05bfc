// What differs between SQLite and PostgreSQL in the store's few raw statements, as one small object
// per provider, so each statement is written once. db.ts records the location of every client it
// opens; a client it did not open (none today) counts as SQLite, the historical default.
import type { Db } from "./db";
import type { DatabaseLocation, DatabaseProvider } from "./location";

export interface SqlDialect {
  provider: DatabaseProvider;
  /** The placeholder of the n-th parameter (1-based). */
  placeholder(n: number): string;
  /** A boolean as a parameter: SQLite stores 0/1. */
  boolean(value: boolean): unknown;
  /**
   * Prisma's filter for "contains this text, whatever the case": SQLite's LIKE ignores ASCII case
   * already, PostgreSQL's needs `mode: "insensitive"` (which SQLite's client does not accept).
   */
  containsText(text: string): { contains: string };
}

const dialects: Record<DatabaseProvider, SqlDialect> = {
  sqlite: { provider: "sqlite", placeholder: () => "?", boolean: (value) => (value ? 1 : 0), containsText: (text) => ({ contains: text }) },
  postgresql: {
    provider: "postgresql",
    placeholder: (n) => `$${n}`,
    boolean: (value) => value,
    containsText: (text) => ({ contains: text, mode: "insensitive" }) as { contains: string },
  },
};

/** Kept on globalThis for the same reason as the writers (event-writer.ts): one module, two copies. */
const locations: WeakMap<Db, DatabaseLocation> = ((globalThis as Record<string, unknown>).__wakelineDbLocations ??=
  new WeakMap<Db, DatabaseLocation>()) as WeakMap<Db, DatabaseLocation>;

export function registerLocation(db: Db, location: DatabaseLocation): void {
  locations.set(db, location);
}

/** Where a client opened by db.ts connects (null for any other client). */
export function locationOf(db: Db): DatabaseLocation | null {
  return locations.get(db) ?? null;
}

export function providerOf(db: Db): DatabaseProvider {
  return locations.get(db)?.provider ?? "sqlite";
}

export function dialectFor(provider: DatabaseProvider): SqlDialect {
  return dialects[provider];
}

export function dialectOf(db: Db): SqlDialect {
  return dialects[providerOf(db)];
}

/** Collects the parameters of one statement and hands out their placeholders in order. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}

  /** The placeholder for `value`, appended to the parameters. */
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }

  list(values: readonly unknown[]): string {
    return values.map((value) => this.add(value)).join(", ");
  }
}
