// prisma/postgresql/schema.prisma is derived from prisma/schema.prisma (scripts/postgres-schema.mjs,
// on every `node scripts/prisma.mjs` call): the file in the tree must be what the derivation gives.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA, toPostgresSchema } from "../../scripts/postgres-schema.mjs";
import { projectRoot } from "./location";

const read = (file: string) => fs.readFileSync(path.join(projectRoot(), file), "utf8");

describe("the PostgreSQL schema", () => {
  it("is derived from prisma/schema.prisma, with only the datasource and the client's folder changed", () => {
    const sqlite = read(path.join("prisma", "schema.prisma"));
    const derived = toPostgresSchema(sqlite);
    expect(read(POSTGRES_SCHEMA)).toBe(derived);
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain('output       = "../../lib/generated/prisma-pg"');
    const models = (text: string) => text.slice(text.indexOf("\nmodel "));
    expect(models(derived)).toBe(models(sqlite));
  });

  it("refuses a schema it cannot derive from", () => {
    expect(() => toPostgresSchema('datasource db {\n  provider = "mysql"\n}')).toThrow(/datasource provider/);
  });
});
