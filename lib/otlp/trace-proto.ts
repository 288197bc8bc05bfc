// The part of the OpenTelemetry protocol (OTLP) that carries traces: the messages of
// `opentelemetry/proto/{common,resource,trace}/v1` and the collector's TraceService, field numbers
// as the specification defines them. Only what a trace receiver reads is declared; protobuf skips
// the rest. Parsed once, by protobufjs.
import protobuf from "protobufjs";

const SCHEMA = `
syntax = "proto3";
package opentelemetry.proto.collector.trace.v1;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }

message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }

message Status { string message = 2; int32 code = 3; }
message SpanEvent { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  repeated SpanEvent events = 11;
  Status status = 15;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }

service TraceService {
  rpc Export(ExportTraceServiceRequest) returns (ExportTraceServiceResponse);
}
`;

/** The gRPC method OTLP exporters call. */
export const EXPORT_METHOD_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

let root: protobuf.Root | null = null;

function types() {
  root ??= protobuf.parse(SCHEMA, { keepCase: false }).root;
  return {
    request: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
    response: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"),
  };
}

/** A decoded export request, as plain objects (bytes as Uint8Array, 64-bit numbers as strings). */
export function decodeExportRequest(bytes: Uint8Array): unknown {
  const { request } = types();
  return request.toObject(request.decode(bytes), { longs: String, bytes: Array, defaults: false, oneofs: false });
}

/** An export request from plain objects (what tests and other senders build). */
export function encodeExportRequest(value: unknown): Uint8Array {
  const { request } = types();
  // fromObject, not verify: it takes 64-bit times as decimal strings, as OTLP/JSON writes them.
  return request.encode(request.fromObject(value as Record<string, unknown>)).finish();
}

/** The empty success answer (no partial rejection). */
export function encodeExportResponse(): Uint8Array {
  const { response } = types();
  return response.encode(response.create({})).finish();
}
