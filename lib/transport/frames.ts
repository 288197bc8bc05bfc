// Conversions between runner protocol v7 values (BARE, via @rivetkit/engine-runner-protocol) and
// the engine's messages: ids, bodies, headers, events. Pure.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import type { Message } from "../engine/messages";

export const RUNNER_PROTOCOL_VERSION = 7;

/** A 4-byte tunnel id (gateway id, request id) from a number. */
export function tunnelId(n: number): ArrayBuffer {
  const buffer = new ArrayBuffer(4);
  new DataView(buffer).setUint32(0, n >>> 0, false);
  return buffer;
}

export function hexOf(buffer: ArrayBuffer): string {
  return Buffer.from(buffer).toString("hex");
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes as recorded text: UTF-8 when they are text, else base64 (with `bodyEncoding`). */
export function encodeBody(bytes: Uint8Array | ArrayBuffer | null): { body: string | null; bodyEncoding?: "base64" } {
  if (bytes === null) return { body: null };
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  try {
    return { body: strictUtf8.decode(view) };
  } catch {
    return { body: Buffer.from(view).toString("base64"), bodyEncoding: "base64" };
  }
}

export function decodeBody(body: string | null, encoding: "base64" | undefined): Uint8Array | null {
  if (body === null) return null;
  return encoding === "base64" ? new Uint8Array(Buffer.from(body, "base64")) : new TextEncoder().encode(body);
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

export function headersToRecord(headers: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries([...headers].map(([name, value]) => [name.toLowerCase(), value]));
}

export function recordToHeaders(headers: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(headers));
}

/** One runner event as the engine message it stands for. */
export function eventMessage(wrapper: protocol.EventWrapper): Extract<Message, { type: "EventActorIntent" | "EventActorStateUpdate" | "EventActorSetAlarm" }> {
  const checkpoint = { actorId: wrapper.checkpoint.actorId, generation: wrapper.checkpoint.generation, index: Number(wrapper.checkpoint.index) };
  const inner = wrapper.inner;
  switch (inner.tag) {
    case "EventActorIntent":
      return { type: "EventActorIntent", checkpoint, intent: inner.val.intent.tag === "ActorIntentSleep" ? "Sleep" : "Stop" };
    case "EventActorStateUpdate": {
      const state = inner.val.state;
      return state.tag === "ActorStateRunning"
        ? { type: "EventActorStateUpdate", checkpoint, update: { state: "Running" } }
        : { type: "EventActorStateUpdate", checkpoint, update: { state: "Stopped", code: state.val.code === "Ok" ? "Ok" : "Error", message: state.val.message } };
    }
    case "EventActorSetAlarm":
      return { type: "EventActorSetAlarm", checkpoint, alarmTs: inner.val.alarmTs === null ? null : Number(inner.val.alarmTs) };
  }
}

/** The first bytes of a frame that could not be read, for the trace. */
export function framePreview(bytes: Uint8Array, max = 32): string {
  const hex = Buffer.from(bytes.subarray(0, max)).toString("hex");
  return bytes.length > max ? `${hex}…` : hex;
}
