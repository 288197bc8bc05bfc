// `wakeline token` prints the token a server generated when it first listened beyond loopback.
import { afterAll, describe, expect, it } from "vitest";
import { grantRefusal, readRunnerToken } from "@/lib/auth/runner-tokens";
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

  it("prints a runner token that admits that runner name and versions up to the one given", async () => {
    const printed = await sandbox.run(["token", "--runner", "pool-a", "--max-version", "4"], { env: { WAKELINE_TOKEN: "server-token" } });
    expect(printed.code).toBe(0);
    const grant = readRunnerToken(printed.stdout.trim(), "server-token");
    expect(grant).toEqual({ name: "pool-a", maxVersion: 4 });
    expect(grantRefusal(grant, "pool-a", 4)).toBeNull();
    expect(grantRefusal(grant, "pool-a", 5)).toContain("up to 4");
    expect(grantRefusal(grant, "pool-b", 1)).toContain("pool-a");
    // Signed with the server's token: another server's token does not read it.
    expect(readRunnerToken(printed.stdout.trim(), "other-token")).toBeNull();
  });

  it("refuses --max-version without --runner", async () => {
    const refused = await sandbox.run(["token", "--max-version", "2"], { env: { WAKELINE_TOKEN: "server-token" } });
    expect(refused.code).not.toBe(0);
    expect(isOneLineError(refused)).toBe(true);
    expect(refused.stderr).toContain("--max-version goes with --runner");
  });
});
