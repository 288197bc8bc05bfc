// A fresh, migrated database, one per test file or test: a SQLite file in a temporary folder, or,
// with WAKELINE_TEST_DB=postgresql (the PostgreSQL test run), a new database on the test server.
// `dir` is a temporary folder either way, for the other files a test writes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb, openDb, type Db } from "../db";
import type { DatabaseProvider } from "../location";
import { createPostgresDatabase } from "./postgres-database";

export interface TempDb {
  db: Db;
  url: string;
  dir: string;
  provider: DatabaseProvider;
  cleanup(): Promise<void>;
}

/** The provider the tests run against: SQLite unless WAKELINE_TEST_DB=postgresql. */
export function testDatabaseProvider(): DatabaseProvider {
  return process.env.WAKELINE_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
}

/** True in the PostgreSQL test run: SQLite-only tests skip themselves with it. */
export const onPostgres = testDatabaseProvider() === "postgresql";

export async function createTempDb(): Promise<TempDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-test-"));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  if (testDatabaseProvider() === "postgresql") {
    const database = await createPostgresDatabase();
    const db = await openDb(database.url);
    return {
      db,
      url: database.url,
      dir,
      provider: "postgresql",
      async cleanup() {
        await closeDb(database.url);
        await database.drop();
        removeDir();
      },
    };
  }
  const url = `file:${path.join(dir, "test.db")}`;
  const db = await openDb(url);
  return {
    db,
    url,
    dir,
    provider: "sqlite",
    async cleanup() {
      await closeDb(url);
      removeDir();
    },
  };
}
