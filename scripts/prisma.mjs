#!/usr/bin/env node
// Runs the Prisma CLI fully offline. Prisma 6 looks for its native schema/query engines
// before it starts even when the JavaScript engine (driver adapters) is used; they are never
// executed on that path, so pointing the variables at any existing file is enough.
//
// Every call first refreshes prisma/postgresql/schema.prisma from prisma/schema.prisma (see
// postgres-schema.mjs), and `generate` without --schema generates both clients: SQLite's in
// lib/generated/prisma and PostgreSQL's in lib/generated/prisma-pg.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writePostgresSchema } from "./postgres-schema.mjs";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_QUERY_ENGINE_LIBRARY ??= process.execPath;
if (!env.DATABASE_URL) {
  // The same default database as the app and the CLI; SQLite needs its folder to exist.
  fs.mkdirSync(path.join(root, "data"), { recursive: true });
  env.DATABASE_URL = `file:${path.join(root, "data", "wakeline.db")}`;
}

const postgresSchema = writePostgresSchema(root);

const cli = require.resolve("prisma/build/index.js");
const args = process.argv.slice(2);
const runs = args[0] === "generate" && !args.includes("--schema") ? [args, [...args, "--schema", postgresSchema]] : [args];
for (const run of runs) {
  const result = spawnSync(process.execPath, [cli, ...run], { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
