// The store's tests once more, against PostgreSQL: the store, the recorder, the services and the
// live engine's restart tests run on a real server (WAKELINE_TEST_DB=postgresql makes
// lib/store/testing/temp-db.ts create a PostgreSQL database per test file). The server is
// WAKELINE_TEST_POSTGRES_URL, else a throwaway one the global setup starts from the installed
// binaries; with neither, the run fails under CI and is skipped (one line says so) elsewhere.
import path from "node:path";
import { defineConfig } from "vitest/config";
import { findPostgresBin } from "./test/postgres/throwaway-server";

const serverAvailable = Boolean(process.env.WAKELINE_TEST_POSTGRES_URL) || findPostgresBin() !== null;
if (!serverAvailable && !process.env.CI) {
  console.log("PostgreSQL tests skipped: no server (set WAKELINE_TEST_POSTGRES_URL or install postgresql).");
}
const skip = !serverAvailable && !process.env.CI;

process.env.WAKELINE_TEST_DB = "postgresql";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: skip
      ? []
      : [
          "lib/store/**/*.test.ts",
          "lib/recorder/**/*.test.ts",
          "lib/services/**/*.test.ts",
          "test/postgres/**/*.test.ts",
          // The live engine's own state and its restarts go through the store; the other live
          // tests exercise the protocol, not the database, and run on SQLite only.
          "test/live/restart.test.ts",
          "test/live/alarm-restart.test.ts",
        ],
    passWithNoTests: skip,
    // Under CI without a server the global setup fails loudly rather than skipping.
    globalSetup: skip ? [] : ["test/postgres/global-setup.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
