// The reliability suite: `npm start` as a child process (engine and production dashboard), stopped
// and killed the ways users and service managers do, with CLIs writing to the same database. It needs
// the production build (`npm run build`; the global setup makes one when there is none).
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["test/reliability/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/reliability/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Each test starts servers of its own: one file at a time keeps two cores from thrashing.
    fileParallelism: false,
  },
});
