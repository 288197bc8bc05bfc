// Global setup of the PostgreSQL test run: the server named by WAKELINE_TEST_POSTGRES_URL, else a
// throwaway one started here (vitest.postgres.config.ts decides beforehand whether one can be).
// The tests then create a database of their own on it (lib/store/testing/temp-db.ts).
import { findPostgresBin, startThrowawayServer, type ThrowawayServer } from "./throwaway-server";

let server: ThrowawayServer | null = null;

export async function setup(): Promise<void> {
  if (process.env.WAKELINE_TEST_POSTGRES_URL) return;
  const bin = findPostgresBin();
  if (!bin) throw new Error("No PostgreSQL server to test against (set WAKELINE_TEST_POSTGRES_URL or install postgresql)");
  server = await startThrowawayServer(bin);
  // The test workers are started after this and inherit the variable.
  process.env.WAKELINE_TEST_POSTGRES_URL = server.url;
}

export function teardown(): void {
  server?.stop();
  server = null;
}
