// A fresh PostgreSQL database per test file (or test) on the server named by
// WAKELINE_TEST_POSTGRES_URL, dropped afterwards. The PostgreSQL test run (vitest.postgres.config.ts)
// sets that variable, starting a throwaway server when none is given.
import { randomBytes } from "node:crypto";
import { connectPgClient } from "../pg-connection";

export function testPostgresServerUrl(): string {
  const url = process.env.WAKELINE_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error("WAKELINE_TEST_POSTGRES_URL is not set: run the PostgreSQL tests with `npm run test:postgres`");
  }
  return url;
}

/** The URL of `database` on the same server as `serverUrl` (same user, password and options). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database with a random name; returns its URL and how to drop it. */
export async function createPostgresDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const serverUrl = testPostgresServerUrl();
  const name = `wakeline_test_${randomBytes(6).toString("hex")}`;
  const admin = await connectPgClient(serverUrl, "wakeline-tests");
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(serverUrl, name),
    name,
    async drop() {
      const client = await connectPgClient(serverUrl, "wakeline-tests");
      try {
        // FORCE ends connections a test left open (a pool the test did not close).
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
