// By default the server listens on loopback only. Listening on every interface needs a token: one is
// generated on the first start, stored, and the same one is required after a restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_SETTING } from "@/lib/auth/settings";
import { readSetting } from "@/lib/store/settings";
import { createTempDb, type TempDb } from "@/lib/store/testing/temp-db";
import { startServer } from "@/server";

describe("where the server listens", () => {
  let temp: TempDb;
  beforeAll(async () => {
    temp = await createTempDb();
  });
  afterAll(() => temp.cleanup());

  it("listens on loopback by default and asks no token there", async () => {
    const server = await startServer({ port: 0, ui: false, databaseUrl: temp.url, security: { hostname: undefined } });
    try {
      expect(server.security.hostname).toBe("127.0.0.1");
      expect(server.security.token).toBeNull();
      expect((await fetch(`${server.url}/metadata`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("on every interface, makes a token once, keeps it, and requires it", async () => {
    const first = await startServer({ port: 0, ui: false, databaseUrl: temp.url, security: { hostname: "0.0.0.0" } });
    let token: string | null;
    try {
      expect(first.security.tokenSource).toBe("generated");
      token = first.security.token;
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(await readSetting(temp.db, TOKEN_SETTING)).toBe(token);
      const port = new URL(first.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/metadata`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/metadata`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await first.close();
    }
    const second = await startServer({ port: 0, ui: false, databaseUrl: temp.url, security: { hostname: "0.0.0.0" } });
    try {
      expect(second.security).toMatchObject({ tokenSource: "stored", token });
    } finally {
      await second.close();
    }
  });

  it("takes WAKELINE_TOKEN over a stored token", async () => {
    const server = await startServer({ port: 0, ui: false, databaseUrl: temp.url, security: { hostname: "0.0.0.0", token: "chosen" } });
    try {
      expect(server.security).toMatchObject({ tokenSource: "environment", token: "chosen" });
    } finally {
      await server.close();
    }
  });
});

