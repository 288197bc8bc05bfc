import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultDatabaseUrl, projectRoot, resolveDatabase } from "./location";

const savedRoot = process.env.WAKELINE_ROOT;
afterEach(() => {
  if (savedRoot === undefined) delete process.env.WAKELINE_ROOT;
  else process.env.WAKELINE_ROOT = savedRoot;
});

describe("resolveDatabase", () => {
  it("defaults to data/wakeline.db under the project root", () => {
    process.env.WAKELINE_ROOT = "/srv/wakeline";
    expect(defaultDatabaseUrl()).toBe("file:/srv/wakeline/data/wakeline.db");
    expect(resolveDatabase("")).toEqual({
      provider: "sqlite",
      url: "file:/srv/wakeline/data/wakeline.db",
      file: "/srv/wakeline/data/wakeline.db",
    });
  });

  it("resolves a relative file against the project root and drops query parameters", () => {
    expect(resolveDatabase("file:./tmp/x.db?connection_limit=1").file).toBe(path.join(projectRoot(), "tmp", "x.db"));
    expect(resolveDatabase("file:/abs/y.db").url).toBe("file:/abs/y.db");
  });

  it("recognises PostgreSQL URLs and rejects anything else with a coded error", () => {
    expect(resolveDatabase("postgresql://u:p@localhost/db").provider).toBe("postgresql");
    expect(resolveDatabase("postgres://localhost/db").provider).toBe("postgresql");
    expect(() => resolveDatabase("mysql://localhost/db")).toThrow(expect.objectContaining({ code: "invalid_database_url" }));
    expect(() => resolveDatabase("file::memory:")).toThrow(expect.objectContaining({ code: "invalid_database_url" }));
  });

  it("finds the project root from the working directory", () => {
    delete process.env.WAKELINE_ROOT;
    expect(projectRoot()).toBe(path.resolve(__dirname, "..", ".."));
  });
});
