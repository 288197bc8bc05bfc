// A PostgreSQL URL that cannot work gives a coded StoreError with a message that says what to fix,
// names the server and never the password: nothing is left of the driver's stack.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { closeDb, openDb } from "@/lib/store/db";
import { StoreError } from "@/lib/store/errors";
import { createPostgresDatabase, databaseUrl, testPostgresServerUrl } from "@/lib/store/testing/postgres-database";

async function openError(url: string): Promise<StoreError> {
  const err = await openDb(url).then(
    () => new Error("opened"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("opening a PostgreSQL database that cannot be used", () => {
  it("an unreachable server: database_unavailable", async () => {
    const err = await openError(`postgresql://wakeline:secret-pw@127.0.0.1:${await closedPort()}/wakeline`);
    expect(err.code).toBe("database_unavailable");
    expect(err.message).toMatch(/^Cannot reach PostgreSQL at postgresql:\/\/wakeline@127\.0\.0\.1:\d+\/wakeline/);
    expect(err.message).not.toContain("secret-pw");
  });

  it("a wrong password: database_auth_failed", async (context) => {
    const database = await createPostgresDatabase();
    try {
      const url = new URL(database.url);
      url.password = "certainly-not-the-password";
      const err = await openDb(url.toString()).then(
        async () => {
          await closeDb(url.toString());
          return null;
        },
        (e: unknown) => e as StoreError,
      );
      // A server that trusts every local login (an external one may) cannot refuse a password.
      if (!err) return context.skip();
      expect(err).toBeInstanceOf(StoreError);
      expect(err.code).toBe("database_auth_failed");
      expect(err.message).toContain("Check the user and password in DATABASE_URL");
      expect(err.message).not.toContain("certainly-not-the-password");
    } finally {
      await database.drop();
    }
  });

  it("a database that does not exist: database_not_found", async () => {
    const err = await openError(databaseUrl(testPostgresServerUrl(), "wakeline_no_such_database"));
    expect(err.code).toBe("database_not_found");
    expect(err.message).toContain("CREATE DATABASE");
  });
});
