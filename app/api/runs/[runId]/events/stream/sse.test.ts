import { describe, expect, it } from "vitest";
import { formatSse, formatSseComment, formatSseRetry, resumeAfter } from "./sse";

describe("resumeAfter", () => {
  it("starts at the beginning without any hint", () => {
    expect(resumeAfter(null, null)).toBe(0);
    expect(resumeAfter("", null)).toBe(0);
  });

  it("starts after the `after` seq of a first connection", () => {
    expect(resumeAfter("42", null)).toBe(42);
  });

  it("resumes after Last-Event-ID when the browser reconnects with its original URL", () => {
    // The URL still says after=10; the client has meanwhile received up to seq 57.
    expect(resumeAfter("10", "57")).toBe(57);
    expect(resumeAfter(null, " 57 ")).toBe(57);
  });

  it("never goes back: a stale Last-Event-ID does not repeat events", () => {
    expect(resumeAfter("80", "57")).toBe(80);
  });

  it("refuses a malformed after with a coded error and ignores a malformed header", () => {
    for (const bad of ["-1", "1.5", "abc", "1e3"]) {
      expect(() => resumeAfter(bad, null)).toThrow(expect.objectContaining({ code: "invalid_after" }));
    }
    expect(resumeAfter("5", "garbage")).toBe(5);
  });
});

describe("formatSse", () => {
  it("writes id, event and data lines ending with a blank line", () => {
    expect(formatSse({ id: 7, data: '{"seq":7}' })).toBe('id: 7\ndata: {"seq":7}\n\n');
    expect(formatSse({ event: "status", data: "done" })).toBe("event: status\ndata: done\n\n");
  });

  it("splits multi-line data so a newline in a payload cannot end the message early", () => {
    expect(formatSse({ data: "a\nb\r\nc" })).toBe("data: a\ndata: b\ndata: c\n\n");
    expect(formatSse({ event: "x\ny", data: "" })).toBe("event: x y\ndata: \n\n");
  });

  it("writes comments and the retry hint", () => {
    expect(formatSseComment("heartbeat")).toBe(": heartbeat\n\n");
    expect(formatSseRetry(1000.4)).toBe("retry: 1000\n\n");
  });
});
