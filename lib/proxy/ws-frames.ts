// Reads WebSocket frames (RFC 6455) out of a byte stream that is forwarded unchanged. The proxy
// never terminates a WebSocket: it copies bytes both ways and feeds a copy to one reader per
// direction, which reassembles fragmented messages for the trace. Pure.

export type WsMessage =
  | { kind: "text" | "binary"; data: Buffer }
  | { kind: "close"; code: number | null; reason: string }
  | { kind: "ping" | "pong"; data: Buffer };

/** Past this many bytes a message is no longer buffered for decoding (it is still forwarded). */
export const MAX_DECODED_MESSAGE_BYTES = 32 * 1024 * 1024;

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export class WsFrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentKind: "text" | "binary" | null = null;
  private fragmentBytes = 0;
  private oversized = false;
  /** Set once the stream is not WebSocket framing we understand; the reader then stays quiet. */
  failed: string | null = null;

  /** Feeds forwarded bytes in; returns the messages they completed. */
  push(chunk: Buffer): WsMessage[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: WsMessage[] = [];
    for (;;) {
      const frame = this.nextFrame();
      if (frame === null) break;
      const message = this.take(frame);
      if (message) out.push(message);
      if (this.failed) break;
    }
    return out;
  }

  private nextFrame(): { fin: boolean; rsv: number; opcode: number; payload: Buffer } | null {
    const buf = this.buffer;
    if (buf.length < 2) return null;
    const fin = (buf[0] & 0x80) !== 0;
    const rsv = (buf[0] >> 4) & 0x7;
    const opcode = buf[0] & 0x0f;
    const masked = (buf[1] & 0x80) !== 0;
    let length = buf[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return null;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return null;
      const big = buf.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
        this.failed = "frame length out of range";
        return null;
      }
      length = Number(big);
      offset = 10;
    }
    const maskOffset = offset;
    if (masked) offset += 4;
    if (buf.length < offset + length) return null;
    let payload = buf.subarray(offset, offset + length);
    if (masked) {
      const key = buf.subarray(maskOffset, maskOffset + 4);
      const unmasked = Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i++) unmasked[i] = payload[i] ^ key[i & 3];
      payload = unmasked;
    } else {
      payload = Buffer.from(payload);
    }
    this.buffer = buf.subarray(offset + length);
    return { fin, rsv, opcode, payload };
  }

  private take(frame: { fin: boolean; rsv: number; opcode: number; payload: Buffer }): WsMessage | null {
    if (frame.rsv !== 0) {
      // An extension (compression) is in use: the bytes still flow, but cannot be read here.
      this.failed = "compressed or extended frames cannot be decoded";
      return null;
    }
    switch (frame.opcode) {
      case OP_CLOSE: {
        const code = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null;
        return { kind: "close", code, reason: frame.payload.subarray(2).toString("utf8") };
      }
      case OP_PING:
        return { kind: "ping", data: frame.payload };
      case OP_PONG:
        return { kind: "pong", data: frame.payload };
      case OP_TEXT:
      case OP_BINARY: {
        const kind = frame.opcode === OP_TEXT ? "text" : "binary";
        if (frame.fin) return { kind, data: frame.payload };
        this.fragmentKind = kind;
        this.fragments = [];
        this.fragmentBytes = 0;
        this.oversized = false;
        this.addFragment(frame.payload);
        return null;
      }
      case OP_CONTINUATION: {
        if (this.fragmentKind === null) return null;
        this.addFragment(frame.payload);
        if (!frame.fin) return null;
        const kind = this.fragmentKind;
        const data = this.oversized ? Buffer.alloc(0) : Buffer.concat(this.fragments);
        this.fragmentKind = null;
        this.fragments = [];
        return { kind, data };
      }
      default:
        this.failed = `unknown opcode ${frame.opcode}`;
        return null;
    }
  }

  private addFragment(payload: Buffer): void {
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > MAX_DECODED_MESSAGE_BYTES) {
      this.oversized = true;
      this.fragments = [];
      return;
    }
    if (!this.oversized) this.fragments.push(payload);
  }
}

/** Builds one frame, for tests and for answering on a socket the proxy owns. */
export function encodeWsFrame(kind: "text" | "binary" | "close", data: Buffer, mask: Buffer | null = null): Buffer {
  const opcode = kind === "text" ? OP_TEXT : kind === "binary" ? OP_BINARY : OP_CLOSE;
  const length = data.length;
  const header: number[] = [0x80 | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 0x10000) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    header.push(...big);
  }
  let payload = data;
  if (mask) {
    header.push(...mask);
    payload = Buffer.from(data.map((byte, i) => byte ^ mask[i & 3]));
  }
  return Buffer.concat([Buffer.from(header), payload]);
}
