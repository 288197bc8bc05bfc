import { afterEach, describe, expect, it, vi } from "vitest";
import { notifyCommitted } from "@/lib/recorder/commit-bus";
import { commitLatch, type CommitLatch } from "./commit-latch";

describe("commitLatch", () => {
  let latch: CommitLatch | null = null;
  afterEach(() => {
    latch?.close();
    latch = null;
    vi.useRealTimers();
  });

  it("keeps a commit made while the reader was busy, so the next wait returns at once", async () => {
    latch = commitLatch("run-a");
    notifyCommitted("run-a", 5); // lands between two waits (while the stream reads)
    expect(await latch.wait(60_000)).toBe(true);
  });

  it("wakes a waiting reader on the next commit of its run only", async () => {
    vi.useFakeTimers();
    latch = commitLatch("run-b");
    const waiting = latch.wait(1_000);
    notifyCommitted("run-other", 1);
    notifyCommitted("run-b", 2);
    expect(await waiting).toBe(true);
    // That commit is used up: the next wait sleeps until the fallback period.
    const next = latch.wait(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await next).toBe(false);
  });

  it("gives up when the client leaves, and listens no more once closed", async () => {
    latch = commitLatch("run-c");
    const abort = new AbortController();
    const waiting = latch.wait(60_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
    latch.close();
    notifyCommitted("run-c", 3);
    expect(await latch.wait(0)).toBe(false);
  });
});
