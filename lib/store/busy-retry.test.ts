import { describe, expect, it } from "vitest";
import { isBusy, retryWhileBusy } from "./busy-retry";

describe("writes while another process writes", () => {
  it("are tried again while SQLite says busy, and succeed once it is free", async () => {
    let attempts = 0;
    const result = await retryWhileBusy(async () => {
      attempts++;
      if (attempts < 4) throw Object.assign(new Error("Raw query failed. Code: `SQLITE_BUSY`. Message: `database is locked`"), { code: "P2010" });
      return "written";
    });
    expect(result).toBe("written");
    expect(attempts).toBe(4);
  });

  it("pass every other error on at once", async () => {
    let attempts = 0;
    await expect(
      retryWhileBusy(async () => {
        attempts++;
        throw new Error("UNIQUE constraint failed");
      }),
    ).rejects.toThrow("UNIQUE");
    expect(attempts).toBe(1);
    expect(isBusy(new Error("SQLITE_BUSY_SNAPSHOT"))).toBe(true);
  });
});
