// The OTLP receiver takes traces the way exporters send them — OTLP/HTTP with protobuf or JSON
// bodies (gzip or not) and OTLP/gRPC through a real gRPC client — and answers bad input with a
// code, never a crash.
import { gzipSync } from "node:zlib";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "./receiver";
import type { Span } from "./spans";
import { spanTiming } from "./timing";
import { encodeExportRequest, EXPORT_METHOD_PATH } from "./trace-proto";

const TRACE = "b30fa3f93f130f5253940b1e6a859903";
const START_NS = "1796156422013034000"; // 2026-12-01T20:20:22.013034Z

/** One span as the protobuf encoding holds it (ids as bytes, times as 64-bit numbers). */
function protoRequest(name: string, attributes: Record<string, string | number>) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "rivet" } }, { key: "service.version", value: { stringValue: "2.3.19" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: Buffer.from(TRACE, "hex"),
                spanId: Buffer.from("872546ab1aae9f7c", "hex"),
                name,
                startTimeUnixNano: START_NS,
                endTimeUnixNano: "1796156422116653000",
                attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: typeof value === "number" ? { intValue: value } : { stringValue: value } })),
              },
            ],
          },
        ],
      },
    ],
  };
}

/** The same in OTLP/JSON: hex ids, decimal-string times, camelCase keys. */
function jsonRequest(name: string, signalId: string) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "rivet" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: TRACE,
                spanId: "94103ab927e8a491",
                parentSpanId: "c1608e6df06b59be",
                name,
                startTimeUnixNano: START_NS,
                endTimeUnixNano: START_NS,
                attributes: [
                  { key: "signal_name", value: { stringValue: "pegboard_actor_wake" } },
                  { key: "signal_id", value: { stringValue: signalId } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

describe("the OTLP receiver", () => {
  let receiver: OtlpReceiver;
  const received: Span[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver({ httpPort: 0, grpcPort: 0, maxBodyBytes: 64 * 1024, onSpans: (spans) => received.push(...spans) });
  });
  afterAll(async () => receiver?.close());

  const post = (body: BodyInit | Uint8Array, headers: Record<string, string>, path = "/v1/traces", method = "POST") => fetch(`${receiver.httpUrl}${path}`, { method, headers, body: method === "POST" ? (body as BodyInit) : undefined });

  it("takes protobuf over HTTP, plain and gzipped", async () => {
    const bytes = encodeExportRequest(protoRequest("guard_request", { "http.path": "/actors", "http.response.status_code": 200 }));
    const plain = await post(bytes, { "content-type": "application/x-protobuf" });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toBe("application/x-protobuf");
    const zipped = await post(gzipSync(bytes), { "content-type": "application/x-protobuf", "content-encoding": "gzip" });
    expect(zipped.status).toBe(200);
    const spans = received.splice(0);
    expect(spans).toHaveLength(2);
    expect(spans[0]).toMatchObject({
      traceId: TRACE,
      spanId: "872546ab1aae9f7c",
      parentSpanId: null,
      name: "guard_request",
      service: "rivet",
      serviceVersion: "2.3.19",
      attributes: { "http.path": "/actors", "http.response.status_code": 200 },
    });
    expect(spans[0].startMs).toBeCloseTo(Date.parse("2026-12-01T20:20:22.013Z") + 0.034, 3);
    expect(spans[0].endMs - spans[0].startMs).toBeCloseTo(103.619, 3);
  });

  it("takes OTLP/JSON over HTTP, and gives the send time of a signal by its id", async () => {
    const answer = await post(JSON.stringify(jsonRequest("send", "wake-1")), { "content-type": "application/json" });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({});
    const spans = received.splice(0);
    expect(spans[0]).toMatchObject({ traceId: TRACE, spanId: "94103ab927e8a491", parentSpanId: "c1608e6df06b59be" });
    expect(spanTiming(spans).signalSentAt("wake-1")).toBeCloseTo(Date.parse("2026-12-01T20:20:22.013Z") + 0.034, 3);
    expect(spanTiming(spans).signalSentAt("unknown")).toBeNull();
  });

  it("takes TraceService/Export over gRPC from a gRPC client", async () => {
    const Client = grpc.makeGenericClientConstructor(
      {
        Export: {
          path: EXPORT_METHOD_PATH,
          requestStream: false,
          responseStream: false,
          requestSerialize: (value: Uint8Array) => Buffer.from(value),
          requestDeserialize: (bytes: Buffer) => bytes,
          responseSerialize: (value: Buffer) => value,
          responseDeserialize: (bytes: Buffer) => bytes,
        },
      },
      "TraceService",
    );
    const client = new Client(receiver.grpcUrl!.replace("http://", ""), grpc.credentials.createInsecure());
    const call = (bytes: Uint8Array) =>
      new Promise<{ error: grpc.ServiceError | null }>((resolve) =>
        (client as unknown as { Export(v: Uint8Array, cb: (e: grpc.ServiceError | null) => void): void }).Export(bytes, (error) => resolve({ error })),
      );
    try {
      expect((await call(encodeExportRequest(protoRequest("workflow", { workflow_id: "wf-1" })))).error).toBeNull();
      expect(received.splice(0).map((s) => [s.name, s.attributes.workflow_id])).toEqual([["workflow", "wf-1"]]);
      const bad = await call(new Uint8Array([0x0a, 0xff, 0xff]));
      expect(bad.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    } finally {
      client.close();
    }
  });

  it("answers bad requests with a code and keeps serving", async () => {
    const cases: [Response, number, string][] = [
      [await post("{}", { "content-type": "text/plain" }), 415, "unsupported_media_type"],
      [await post("", {}, "/v1/traces", "GET"), 405, "method_not_allowed"],
      [await post("{}", { "content-type": "application/json" }, "/v1/metrics"), 404, "not_found"],
      [await post("{not json", { "content-type": "application/json" }), 400, "invalid_otlp"],
      [await post(JSON.stringify({ resourceSpans: "x" }), { "content-type": "application/json" }), 400, "invalid_otlp"],
      [await post(new Uint8Array([0x0a, 0xff, 0xff]), { "content-type": "application/x-protobuf" }), 400, "invalid_otlp"],
      [await post(new Uint8Array(70 * 1024), { "content-type": "application/x-protobuf" }), 413, "body_too_large"],
      [await post(gzipSync(Buffer.alloc(200 * 1024)), { "content-type": "application/x-protobuf", "content-encoding": "gzip" }), 400, "invalid_otlp"],
    ];
    for (const [response, status, code] of cases) {
      expect(response.status).toBe(status);
      expect((await response.json()).code).toBe(code);
    }
    expect(received).toHaveLength(0);
    const still = await post(JSON.stringify(jsonRequest("send", "after")), { "content-type": "application/json" });
    expect(still.status).toBe(200);
  });
});
