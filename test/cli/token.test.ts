// `wakeline token` prints the token a server generated when it first listened beyond loopback.
import { afterAll, describe, expect, it } from "vitest";
import { TOKEN_SETTING } from "@/lib/auth/settings";
import { closeDb, openDb } from "@/lib/store/db";
import { settleSetting } from "@/lib/store/settings";
import { createSandbox, isOneLineError } from "./run-cli";

const sandbox = createSandbox();
afterAll(async () => {
  await closeDb(sandbox.databaseUrl);
  sandbox.cleanup();
});

describe("wakeline token", () => {
  it("says plainly that there is none before a server stored one, then prints the stored one", async () => {
    const none = await sandbox.run(["token"], { env: { WAKELINE_TOKEN: "" } });
    expect(none.code).toBe(1);
    expect(isOneLineError(none)).toBe(true);
    expect(none.stderr).toContain("no token is stored");

    await settleSetting(await openDb(sandbox.databaseUrl), TOKEN_SETTING, "stored-token");
    const stored = await sandbox.run(["token"], { env: { WAKELINE_TOKEN: "" } });
    expect(stored).toMatchObject({ code: 0, stdout: "stored-token\n" });
    expect((await sandbox.run(["token"], { env: { WAKELINE_TOKEN: "from-env" } })).stdout).toBe("from-env\n");
  });
});
