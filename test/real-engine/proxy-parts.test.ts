// The recording proxy's pure parts: reading WebSocket frames out of a forwarded byte stream,
// classifying requests, and reading a reference diagram the way the real engine works.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMermaidSequence } from "@/lib/conformance";
import { adaptForRealEngine } from "@/lib/history/conformance";
import { classify, decodeServerlessTarget, serverlessProxyUrl } from "@/lib/proxy/routes";
import { SseReader } from "@/lib/proxy/sse";
import { WsFrameReader, encodeWsFrame } from "@/lib/proxy/ws-frames";

describe("reading WebSocket frames from a forwarded stream", () => {
  it("reassembles masked, split and fragmented messages and reads close frames", () => {
    const mask = Buffer.from([1, 2, 3, 4]);
    const big = Buffer.alloc(70_000, 7);
    const first = encodeWsFrame("binary", Buffer.from([9, 8, 7]), mask);
    const fragment = Buffer.from(encodeWsFrame("text", Buffer.from("hel")));
    fragment[0] &= 0x7f; // not FIN: a first fragment
    const rest = Buffer.from(encodeWsFrame("text", Buffer.from("lo")));
    rest[0] = 0x80; // FIN, continuation
    const close = encodeWsFrame("close", Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from("bye")]));
    const stream = Buffer.concat([first, encodeWsFrame("binary", big), fragment, rest, close]);
    const reader = new WsFrameReader();
    const messages = [];
    for (let i = 0; i < stream.length; i += 1000) messages.push(...reader.push(stream.subarray(i, i + 1000)));
    expect(messages.map((m) => m.kind)).toEqual(["binary", "binary", "text", "close"]);
    expect([...(messages[0] as { data: Buffer }).data]).toEqual([9, 8, 7]);
    expect((messages[1] as { data: Buffer }).data.length).toBe(70_000);
    expect((messages[2] as { data: Buffer }).data.toString()).toBe("hello");
    expect(messages[3]).toEqual({ kind: "close", code: 1000, reason: "bye" });
  });

  it("stays quiet on compressed frames instead of guessing", () => {
    const frame = Buffer.from(encodeWsFrame("binary", Buffer.from([1])));
    frame[0] |= 0x40; // RSV1: permessage-deflate
    const reader = new WsFrameReader();
    expect(reader.push(frame)).toEqual([]);
    expect(reader.failed).toMatch(/compressed/);
  });
});

describe("classifying what reaches the proxy", () => {
  it("tells gateway, runner, envoy, serverless and API requests apart", () => {
    expect(classify("/gateway/h0znnhdj76xgnmhujvdq5to0owcl00/hello?a=1", {})).toEqual({ kind: "gateway", actorId: "h0znnhdj76xgnmhujvdq5to0owcl00", actorPath: "/hello?a=1" });
    expect(classify("/gateway/h0znnhdj76xgnmhujvdq5to0owcl00@tok/", {})).toMatchObject({ actorId: "h0znnhdj76xgnmhujvdq5to0owcl00", actorPath: "/" });
    expect(classify("/gateway/counter/action/x?rvt-method=getOrCreate", {})).toMatchObject({ kind: "gateway", actorId: null });
    expect(classify("/ping", { "x-rivet-target": "actor", "x-rivet-actor": "h0znnhdj76xgnmhujvdq5to0owcl00" })).toMatchObject({ kind: "gateway", actorId: "h0znnhdj76xgnmhujvdq5to0owcl00" });
    expect(classify("/runners/connect?protocol_version=7", {})).toEqual({ kind: "runner-connect" });
    expect(classify("/envoys/connect?protocol_version=8", {})).toEqual({ kind: "envoy-connect" });
    expect(classify("/actors?namespace=default", {})).toEqual({ kind: "api", path: "/actors?namespace=default" });
  });

  it("round-trips a serverless endpoint URL through the proxy URL", () => {
    const target = "http://127.0.0.1:9000/api/rivet";
    const proxied = serverlessProxyUrl("http://127.0.0.1:6520", target);
    const [, encoded] = /\/_serverless\/([^/]+)$/.exec(proxied)!;
    expect(decodeServerlessTarget(encoded)).toBe(target);
    expect(classify(`${new URL(proxied).pathname}/start`, {})).toEqual({ kind: "serverless", target, rest: "/start" });
  });

  it("reads server-sent events split anywhere", () => {
    const reader = new SseReader();
    const text = "data: aGVsbG8=\n\nevent: ping\ndata:\n\n";
    const events = [...Buffer.from(text)].flatMap((byte) => reader.push(Uint8Array.of(byte)));
    expect(events).toEqual([
      { event: "message", data: "aGVsbG8=" },
      { event: "ping", data: "" },
    ]);
  });
});

describe("reading a reference the way the real engine works", () => {
  const reference = parseMermaidSequence(fs.readFileSync(path.join(__dirname, "..", "..", "lib/conformance/reference/ideal-serverless-flow.mmd"), "utf8"));
  const text = (items: { kind: string }[]) =>
    items.map((item) => {
      const i = item as { kind: string; from?: string; to?: string; label?: string; over?: string[]; text?: string };
      return i.kind === "arrow" ? `${i.from}->>${i.to}: ${i.label}` : i.kind === "note" ? `note ${i.over?.join(",")}: ${i.text}` : i.kind;
    });

  it("routes relays around the Runner Workflow and keeps what it really does", () => {
    const { expected } = adaptForRealEngine(reference, { participants: reference.participants, items: reference.items });
    const lines = text(expected.items);
    expect(lines).toContain("AWF->>RWS: Send StartActor");
    expect(lines).toContain("RWS->>AWF: ");
    expect(lines).not.toContain("RWF->>RWS: ");
    expect(lines).toContain("RWS->>RWF: Create runner workflow");
    expect(lines).toContain("RWF->>AWF: Allocate");
    expect(lines).toContain("note RWF: Allocate pending actors");
  });

  it("can skip the reference's precondition and lifelines only one side has", () => {
    const actual = { participants: [{ id: "U", title: "User" }, { id: "G", title: "Gateway" }], items: [{ kind: "arrow" as const, from: "U", to: "G", label: "GET / (request to actor)" }] };
    const { expected } = adaptForRealEngine(reference, actual, { ignorePreconditions: true });
    expect(text(expected.items)).toEqual(["block-start", "U->>G: Request to actor", "note G: Actor sleeping", "note G: Await actor ready", "block-start", "block-start", "block-end", "block-end", "G->>U: ", "block-end"]);
  });
});
