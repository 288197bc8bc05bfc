// Reads server-sent events out of a forwarded byte stream (a copy of it). Pure and lenient:
// unknown fields are ignored, as an EventSource would.

export interface SseEvent {
  event: string;
  data: string;
}

const MAX_PENDING_CHARS = 256 * 1024;

export class SseReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array): SseEvent[] {
    this.buffer += this.decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, "\n");
    const events: SseEvent[] = [];
    for (let boundary = this.buffer.indexOf("\n\n"); boundary >= 0; boundary = this.buffer.indexOf("\n\n")) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      const event = parseBlock(block);
      if (event) events.push(event);
    }
    // A stream that never ends an event is not SSE; stop holding it.
    if (this.buffer.length > MAX_PENDING_CHARS) this.buffer = "";
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
    fields += 1;
  }
  return fields === 0 ? null : { event, data: data.join("\n") };
}
