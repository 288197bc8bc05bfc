// The wire trace: every hop the proxy sees becomes one TraceEvent, numbered in the order the proxy
// saw it and timed in milliseconds since the recording started (epoch-based, so workflow history
// timestamps can be placed on the same axis later). Causes are set where the wire itself proves
// them (a reply to a frame, a relay of a frame); everything else is left to the history import.
import type { EventKind, ParticipantRef, TraceEvent } from "@/lib/trace/types";

export interface EmitInput {
  kind?: EventKind;
  from: ParticipantRef | null;
  to?: ParticipantRef | null;
  type: string;
  label: string;
  payload?: unknown;
  actorId?: string | null;
  runnerId?: string | null;
  cause?: number | null;
  relayOf?: number | null;
  housekeeping?: boolean;
  /** Epoch milliseconds; default: now. */
  at?: number;
}

export type EventSink = (event: TraceEvent) => void;

export class WireTrace {
  private seq = 0;

  constructor(
    private readonly sink: EventSink,
    /** Epoch milliseconds of the recording's start: time 0 of the run. */
    readonly startEpochMs: number,
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  /** Epoch milliseconds, sub-millisecond precise. */
  static nowEpochMs(): number {
    return performance.timeOrigin + performance.now();
  }

  emit(input: EmitInput): number {
    this.seq += 1;
    const at = input.at ?? WireTrace.nowEpochMs();
    const event: TraceEvent = {
      seq: this.seq,
      time: Math.round((at - this.startEpochMs) * 1000) / 1000,
      kind: input.kind ?? "message",
      from: input.from,
      to: input.to ?? null,
      type: input.type,
      label: input.label,
      payload: input.payload ?? null,
      actorId: input.actorId ?? null,
      runnerId: input.runnerId ?? null,
      cycleId: null,
      causeSeq: input.cause ?? null,
      relayOf: input.relayOf ?? null,
      phaseId: null,
      housekeeping: input.housekeeping ?? false,
    };
    this.sink(event);
    return this.seq;
  }

  note(over: ParticipantRef, type: string, label: string, rest: Omit<EmitInput, "from" | "type" | "label" | "kind"> = {}): number {
    return this.emit({ ...rest, kind: "note", from: over, type, label });
  }
}

/** Lifelines of the real engine's parts as the proxy names them. */
export const GATEWAY: ParticipantRef = { role: "Gateway", id: "gateway" };
export const API: ParticipantRef = { role: "API", id: "api" };

export function user(id: string): ParticipantRef {
  return { role: "User", id };
}
export function serverlessPool(pool: string): ParticipantRef {
  return { role: "Serverless", id: pool };
}
export function endpointOf(pool: string): ParticipantRef {
  return { role: "ServerlessEndpoint", id: pool };
}
export function actorWorkflow(actorId: string): ParticipantRef {
  return { role: "ActorWorkflow", id: actorId };
}
export function runnerWorkflow(runnerId: string): ParticipantRef {
  return { role: "RunnerWorkflow", id: runnerId };
}

/** Bodies are kept when small, else summarised; binary bodies as base64. */
export const MAX_BODY_CHARS = 4096;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function bodyPayload(bytes: Uint8Array | ArrayBuffer | null, total?: number): { body: string | null; bodyEncoding?: "base64"; bytes: number; truncated?: true } {
  if (bytes === null) return { body: null, bytes: total ?? 0 };
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const size = total ?? view.byteLength;
  const head = view.subarray(0, MAX_BODY_CHARS);
  const truncated = size > head.byteLength ? ({ truncated: true } as const) : {};
  try {
    return { body: strictUtf8.decode(head), bytes: size, ...truncated };
  } catch {
    return { body: Buffer.from(head).toString("base64"), bodyEncoding: "base64", bytes: size, ...truncated };
  }
}

export function headerRecord(headers: ReadonlyMap<string, string> | Record<string, string | string[] | undefined>): Record<string, string> {
  const entries = headers instanceof Map ? [...headers] : Object.entries(headers as Record<string, string | string[] | undefined>);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

export function hex(buffer: ArrayBuffer | Uint8Array): string {
  return Buffer.from(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer)).toString("hex");
}

export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id;
}
