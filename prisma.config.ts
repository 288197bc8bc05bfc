import path from "node:path";
import type { PrismaConfig } from "prisma";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The CLI talks to SQLite through the same driver adapter as the app, so no native engine is needed.
export default {
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    const url = process.env.DATABASE_URL ?? "file:./data/wakeline.db";
    return new PrismaBetterSQLite3({ url });
  },
} satisfies PrismaConfig;
