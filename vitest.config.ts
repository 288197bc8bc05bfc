import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
    // The reliability suite runs `npm start` processes against the production build (vitest.reliability.config.ts);
    // test/postgres needs a PostgreSQL server (vitest.postgres.config.ts, which also reruns the store's tests there).
    exclude: ["test/reliability/**", "test/postgres/**", "**/node_modules/**"],
    environment: "node",
    testTimeout: 20_000,
    pool: "forks",
  },
});
