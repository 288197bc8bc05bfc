// A server-sent-event stream reader and the serverless init payload. Pure.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import { codec } from "./codec";
import { RUNNER_PROTOCOL_VERSION } from "./frames";

export interface SseEvent {
  event: string;
  data: string;
}

/** Longest stretch of stream without an event boundary that is still taken for an event. */
export const MAX_SSE_EVENT_BYTES = 64 * 1024;

export class SseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SseError";
  }
}

/** Feeds text chunks in, gets complete events out (default event name "message"). */
export class SseParser {
  private buffer = "";

  push(chunk: string): SseEvent[] {
    this.buffer += chunk.replace(/\r\n?/g, "\n");
    const events: SseEvent[] = [];
    let boundary = this.buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      const event = parseBlock(block);
      if (event) events.push(event);
      boundary = this.buffer.indexOf("\n\n");
    }
    if (this.buffer.length > MAX_SSE_EVENT_BYTES) throw new SseError(`no event boundary in ${this.buffer.length} characters`);
    return events;
  }
}

function parseBlock(block: string): SseEvent | null {
  let event = "message";
  const data: string[] = [];
  let fields = 0;
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (name === "event") event = value;
    else if (name === "data") data.push(value);
    else if (name !== "id" && name !== "retry") throw new SseError(`unknown field ${JSON.stringify(name.slice(0, 40))}`);
    fields += 1;
  }
  return fields === 0 ? null : { event, data: data.join("\n") };
}

/** The `/start` stream's first message: base64 of [u16 LE protocol version] + ToServerlessServerInit. */
export function decodeServerlessInit(base64: string): { runnerId: string; runnerProtocolVersion: number } {
  if (!/^[A-Za-z0-9+/]+=*$/.test(base64.trim())) throw new SseError("init payload is not base64");
  const bytes = new Uint8Array(Buffer.from(base64.trim(), "base64"));
  if (bytes.length < 3) throw new SseError(`init payload is too short (${bytes.length} bytes)`);
  const version = bytes[0] | (bytes[1] << 8);
  if (version !== RUNNER_PROTOCOL_VERSION) throw new SseError(`init payload has protocol version ${version}, expected ${RUNNER_PROTOCOL_VERSION}`);
  let decoded: protocol.ToServerlessServer;
  try {
    decoded = codec().decodeToServerlessServer(bytes.subarray(2));
  } catch (err) {
    throw new SseError(`init payload cannot be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { runnerId: decoded.val.runnerId, runnerProtocolVersion: decoded.val.runnerProtocolVersion };
}

export function encodeServerlessInit(runnerId: string): string {
  const body = codec().encodeToServerlessServer({ tag: "ToServerlessServerInit", val: { runnerId, runnerProtocolVersion: RUNNER_PROTOCOL_VERSION } });
  const bytes = new Uint8Array(body.length + 2);
  bytes[0] = RUNNER_PROTOCOL_VERSION & 0xff;
  bytes[1] = RUNNER_PROTOCOL_VERSION >> 8;
  bytes.set(body, 2);
  return Buffer.from(bytes).toString("base64");
}
