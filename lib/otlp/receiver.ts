// An OTLP trace receiver on loopback: OTLP/HTTP (`POST /v1/traces`, protobuf or JSON, gzip or
// not; 4318 by convention) and OTLP/gRPC (TraceService/Export; 4317 by convention), which is what
// rivet-engine exports (`RIVET_OTEL_GRPC_ENDPOINT`). Every span received goes to the sink. Bad
// input gets a coded answer (HTTP `{code, message}`, gRPC INVALID_ARGUMENT) and loses nothing.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import zlib from "node:zlib";
import * as grpc from "@grpc/grpc-js";
import { OtlpFormatError, spansOfExport, type Span } from "./spans";
import { decodeExportRequest, encodeExportResponse, EXPORT_METHOD_PATH } from "./trace-proto";

export interface OtlpReceiverOptions {
  host?: string;
  /** 0 picks a free port; null leaves that receiver off. */
  httpPort?: number | null;
  grpcPort?: number | null;
  /** Largest request body taken (compressed and uncompressed). */
  maxBodyBytes?: number;
  onSpans(spans: Span[]): void;
}

export interface OtlpReceiver {
  /** `http://host:port` of the OTLP/HTTP receiver (traces at `/v1/traces`), or null. */
  httpUrl: string | null;
  /** `http://host:port` of the OTLP/gRPC receiver, or null. */
  grpcUrl: string | null;
  close(): Promise<void>;
}

export const DEFAULT_OTLP_HTTP_PORT = 4318;
export const DEFAULT_OTLP_GRPC_PORT = 4317;
const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

const gunzip = promisify(zlib.gunzip);

export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const httpServer = options.httpPort === null ? null : await startHttp(host, options.httpPort ?? DEFAULT_OTLP_HTTP_PORT, maxBodyBytes, options.onSpans);
  let grpcServer: { server: grpc.Server; port: number } | null = null;
  try {
    grpcServer = options.grpcPort === null ? null : await startGrpc(host, options.grpcPort ?? DEFAULT_OTLP_GRPC_PORT, maxBodyBytes, options.onSpans);
  } catch (err) {
    httpServer?.close();
    throw err;
  }
  const urlOf = (port: number) => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    httpUrl: httpServer ? urlOf((httpServer.address() as AddressInfo).port) : null,
    grpcUrl: grpcServer ? urlOf(grpcServer.port) : null,
    async close() {
      await Promise.all([
        httpServer ? new Promise<void>((resolve) => httpServer.close(() => resolve())) : null,
        grpcServer ? new Promise<void>((resolve) => grpcServer.server.tryShutdown(() => resolve())) : null,
      ]);
      httpServer?.closeAllConnections();
    },
  };
}

// ── OTLP/HTTP ────────────────────────────────────────────────────────────────

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function startHttp(host: string, port: number, maxBodyBytes: number, onSpans: (spans: Span[]) => void): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    handleHttp(req, res, maxBodyBytes, onSpans).catch((err: unknown) => {
      const failure = err instanceof HttpFailure ? err : err instanceof OtlpFormatError ? new HttpFailure(400, "invalid_otlp", err.message) : new HttpFailure(400, "invalid_otlp", messageOf(err));
      if (failure.status === 413) res.setHeader("connection", "close");
      sendJson(res, failure.status, { code: failure.code, message: failure.message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

async function handleHttp(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number, onSpans: (spans: Span[]) => void): Promise<void> {
  const pathname = new URL(req.url ?? "/", "http://otlp").pathname;
  if (pathname !== "/v1/traces") throw new HttpFailure(404, "not_found", `this receiver takes traces at /v1/traces, not ${pathname}`);
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    throw new HttpFailure(405, "method_not_allowed", "traces are sent with POST");
  }
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-protobuf" && type !== "application/json") {
    throw new HttpFailure(415, "unsupported_media_type", `send application/x-protobuf or application/json, not ${JSON.stringify(type)}`);
  }
  let body = await readBody(req, maxBodyBytes);
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding === "gzip") {
    body = await gunzip(body, { maxOutputLength: maxBodyBytes }).catch((err: unknown) => {
      throw new HttpFailure(400, "invalid_otlp", `the gzip body does not inflate (or inflates past ${maxBodyBytes} bytes): ${messageOf(err)}`);
    });
  } else if (encoding !== "identity") {
    throw new HttpFailure(415, "unsupported_encoding", `content-encoding ${encoding} is not supported (gzip is)`);
  }
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (err) {
      throw new HttpFailure(400, "invalid_otlp", `the body is not JSON: ${messageOf(err)}`);
    }
    onSpans(spansOfExport(parsed));
    return sendJson(res, 200, {});
  }
  onSpans(spansOfExport(decodeProtobuf(body)));
  res.writeHead(200, { "content-type": "application/x-protobuf" });
  res.end(Buffer.from(encodeExportResponse()));
}

function decodeProtobuf(body: Uint8Array): unknown {
  try {
    return decodeExportRequest(body);
  } catch (err) {
    throw new OtlpFormatError(`the body is not an OTLP ExportTraceServiceRequest: ${messageOf(err)}`);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new HttpFailure(413, "body_too_large", `the body is over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ── OTLP/gRPC ────────────────────────────────────────────────────────────────

async function startGrpc(host: string, port: number, maxBodyBytes: number, onSpans: (spans: Span[]) => void): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": maxBodyBytes });
  // Raw bytes in: decoding happens in the handler, so a bad message is INVALID_ARGUMENT, not INTERNAL.
  const service: grpc.ServiceDefinition = {
    Export: {
      path: EXPORT_METHOD_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: Buffer) => value,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: () => Buffer.from(encodeExportResponse()),
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  };
  server.addService(service, {
    Export: (call: grpc.ServerUnaryCall<Buffer, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      try {
        onSpans(spansOfExport(decodeProtobuf(call.request)));
        callback(null, {});
      } catch (err) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: messageOf(err) });
      }
    },
  });
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host.includes(":") ? `[${host}]` : host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, actual) => (err ? reject(err) : resolve(actual))),
  );
  return { server, port: bound };
}
