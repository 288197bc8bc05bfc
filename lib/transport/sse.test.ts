import { beforeAll, describe, expect, it } from "vitest";
import { loadRunnerPackages } from "./codec";
import { SseError, SseParser, decodeServerlessInit, encodeServerlessInit } from "./sse";

beforeAll(loadRunnerPackages);

describe("SseParser", () => {
  it("splits events across chunks, with the default event name and multi-line data", () => {
    const parser = new SseParser();
    expect(parser.push("data: ab")).toEqual([]);
    expect(parser.push("c\n\nevent: ping\ndata:\n\n: comment\n\ndata: x\r\ndata: y\r\n\r\n")).toEqual([
      { event: "message", data: "abc" },
      { event: "ping", data: "" },
      { event: "message", data: "x\ny" },
    ]);
  });

  it("refuses garbage: unknown fields and endless text without a boundary", () => {
    expect(() => new SseParser().push("<html>\n\n")).toThrow(SseError);
    expect(() => new SseParser().push("x".repeat(70_000))).toThrow(/no event boundary/);
  });
});

describe("serverless init payload", () => {
  it("round-trips the runner id with the version prefix", () => {
    expect(decodeServerlessInit(encodeServerlessInit("runner-abc"))).toEqual({ runnerId: "runner-abc", runnerProtocolVersion: 7 });
  });

  it("refuses another protocol version, short and non-base64 payloads", () => {
    const wrongVersion = Buffer.from(encodeServerlessInit("r"), "base64");
    wrongVersion[0] = 6;
    expect(() => decodeServerlessInit(wrongVersion.toString("base64"))).toThrow(/version 6/);
    expect(() => decodeServerlessInit("AA==")).toThrow(/too short/);
    expect(() => decodeServerlessInit("not base64!")).toThrow(/not base64/);
  });
});
