import { describe, expect, it, vi } from "vitest";

describe("the owner identity of this process", () => {
  it("is the same from every copy of the module one process loads (server.ts and the Next.js bundle)", async () => {
    const first = await import("./run-owner");
    first.setProcessOwnerKind("server");
    vi.resetModules();
    const second = await import("./run-owner");
    expect(second).not.toBe(first);
    expect(second.processOwnerId()).toBe(first.processOwnerId());
    expect(second.processOwnerKind()).toBe("server");
    expect(second.isOwnerGone({ owner: first.processOwnerId(), heartbeatAt: null })).toBe(false);
  });
});
