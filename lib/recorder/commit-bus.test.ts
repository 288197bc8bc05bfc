import { describe, expect, it, vi } from "vitest";
import { notifyCommitted, onCommitted, waitForCommit } from "./commit-bus";

describe("commit bus", () => {
  it("wakes a waiting reader on the run's next commit, not on another run's", async () => {
    const waiting = waitForCommit("run-a", 10_000);
    notifyCommitted("run-b", 3);
    notifyCommitted("run-a", 7);
    await expect(waiting).resolves.toBe(true);
  });

  it("gives up after the timeout or when aborted, and leaves no listener behind", async () => {
    await expect(waitForCommit("run-c", 5)).resolves.toBe(false);
    const abort = new AbortController();
    const waiting = waitForCommit("run-c", 10_000, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBe(false);
    const seen: number[] = [];
    const off = onCommitted("run-c", (notice) => seen.push(notice.lastSeq));
    notifyCommitted("run-c", 1);
    off();
    notifyCommitted("run-c", 2);
    expect(seen).toEqual([1]);
  });

  it("is shared by separate copies of the module in one process (server.ts and the Next.js bundle)", async () => {
    vi.resetModules();
    const other = (await import("./commit-bus?copy=2" as string)) as typeof import("./commit-bus");
    const waiting = other.waitForCommit("run-d", 10_000);
    notifyCommitted("run-d", 1);
    await expect(waiting).resolves.toBe(true);
  });
});
