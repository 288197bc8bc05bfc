// OTLP export requests → plain spans. Both encodings land here: protobuf (decoded by
// trace-proto.ts: ids as bytes, times as decimal strings) and OTLP/JSON (ids as hex, times as
// strings or numbers, camelCase or snake_case keys). Pure.

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export interface SpanEvent {
  name: string;
  /** Epoch milliseconds. */
  timeMs: number;
  attributes: Record<string, AttributeValue>;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** Epoch milliseconds (fractional: OTLP gives nanoseconds). */
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  events: SpanEvent[];
  /** The resource's `service.name` and `service.version`. */
  service: string | null;
  serviceVersion: string | null;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

export class OtlpFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OtlpFormatError";
  }
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === "object" && value !== null && !Array.isArray(value);

/** A field under its camelCase or snake_case name. */
function field(object: Loose, camel: string): unknown {
  if (camel in object) return object[camel];
  return object[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function list(object: Loose, camel: string): Loose[] {
  const value = field(object, camel);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpFormatError(`${camel} must be a list`);
  return value.filter(isObject);
}

function hexId(value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  if (typeof value === "string") return value.toLowerCase();
  if (value instanceof Uint8Array || Array.isArray(value)) return Buffer.from(value as number[]).toString("hex");
  throw new OtlpFormatError("span ids must be bytes or hex strings");
}

/** Nanoseconds (a decimal string, a number or a bigint) → epoch milliseconds. */
function nanosToMs(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "bigint" ? BigInt(Math.trunc(Number(value))).toString() : null;
  if (text === null || !/^\d+$/.test(text)) throw new OtlpFormatError(`a time must be nanoseconds, not ${JSON.stringify(value)}`);
  const nanos = BigInt(text);
  return Number(nanos / 1000n) / 1000;
}

function anyValue(value: unknown): AttributeValue {
  if (!isObject(value)) return null;
  const string = field(value, "stringValue");
  if (typeof string === "string") return string;
  const bool = field(value, "boolValue");
  if (typeof bool === "boolean") return bool;
  const int = field(value, "intValue");
  if (int !== undefined && int !== null) return Number(int);
  const double = field(value, "doubleValue");
  if (double !== undefined && double !== null) return Number(double);
  const array = field(value, "arrayValue");
  if (isObject(array)) return list(array, "values").map(anyValue);
  const kvlist = field(value, "kvlistValue");
  if (isObject(kvlist)) return attributes(kvlist, "values");
  const bytes = field(value, "bytesValue");
  if (bytes !== undefined && bytes !== null) return typeof bytes === "string" ? bytes : Buffer.from(bytes as number[]).toString("base64");
  return null;
}

function attributes(object: Loose, camel = "attributes"): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of list(object, camel)) {
    const key = field(kv, "key");
    if (typeof key === "string") out[key] = anyValue(field(kv, "value"));
  }
  return out;
}

/** Every span of an export request (either encoding, already parsed into objects). */
export function spansOfExport(request: unknown): Span[] {
  if (!isObject(request)) throw new OtlpFormatError("an OTLP export request is an object with resourceSpans");
  const spans: Span[] = [];
  for (const resourceSpans of list(request, "resourceSpans")) {
    const resource = field(resourceSpans, "resource");
    const resourceAttributes = isObject(resource) ? attributes(resource) : {};
    const service = typeof resourceAttributes["service.name"] === "string" ? resourceAttributes["service.name"] : null;
    const serviceVersion = typeof resourceAttributes["service.version"] === "string" ? resourceAttributes["service.version"] : null;
    for (const scopeSpans of list(resourceSpans, "scopeSpans")) {
      for (const span of list(scopeSpans, "spans")) {
        const status = field(span, "status");
        const name = field(span, "name");
        spans.push({
          traceId: hexId(field(span, "traceId")),
          spanId: hexId(field(span, "spanId")),
          parentSpanId: hexId(field(span, "parentSpanId")) || null,
          name: typeof name === "string" ? name : "",
          startMs: nanosToMs(field(span, "startTimeUnixNano")),
          endMs: nanosToMs(field(span, "endTimeUnixNano")),
          attributes: attributes(span),
          events: list(span, "events").map((event) => ({
            name: String(field(event, "name") ?? ""),
            timeMs: nanosToMs(field(event, "timeUnixNano")),
            attributes: attributes(event),
          })),
          service,
          serviceVersion,
          statusCode: isObject(status) ? Number(field(status, "code") ?? 0) : 0,
        });
      }
    }
  }
  return spans;
}
