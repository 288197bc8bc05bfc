// Every note the engine and its transports record: one closed union, each type with its payload.
// A note is what a participant says it did or decided (a lifeline's box in the diagram); the
// payload is what a reader of the trace, or the live engine storing actor state, relies on.
import type { ParticipantRef } from "../../trace/types";
import type { ActorState } from "../world";

export interface NotePayloads {
  // Actor workflow
  state: { from: ActorState; to: ActorState; generation: number; runnerId: string | null };
  allocate: null;
  "no-runners-pending": null;
  "defer-wake": null;
  "deferred-wake": null;
  "ignored-wake": { state: ActorState; retry: boolean };
  "ignored-sleep-intent": null;
  "publish-ready": null;
  "mark-sleeping": null;
  "mark-stopping": null;
  deallocate: { runnerId: string | null; generation: number; why: "stopped" | "crashed" | "lost"; reason: string | null };
  "send-stopped": null;
  backoff: { delayMs: number; attempt: number };
  "deadline-expired": { generation: number };
  destroyed: null;
  "alarm-set": { alarmAt: number };
  "alarm-cleared": null;
  "alarm-restored": { alarmAt: number };
  "alarm-wake": null;
  "alarm-due": null;
  // Runner workflow
  "allocate-pending": null;
  "remove-from-index": null;
  "evict-running-actors": { reason: string };
  // Serverless and its endpoint
  desired: { desiredSlots: number; desiredRunners: number; active: number };
  "endpoint-failed": { status: number; reason: string; delayMs: number; failures: number };
  "after-grace": null;
  "runner-lost": null;
  // Gateway
  "actor-running": null;
  "actor-sleeping": null;
  "actor-starting": null;
  "await-ready": null;
  "request-retry": { attempt: number; delayMs: number };
  "websocket-hibernating": { requestId: string };
  "websocket-restored": { requestId: string; queued: number };
  "websocket-failed": { code: string };
  // Runners (built-in and real)
  "start-actor": null;
  "stop-actor": null;
  "handle-request": { method: string; path: string };
  "restore-websockets": { requestIds: string[] };
  "actor-crashed": null;
  "process-killed": null;
  "process-silent": null;
  "resend-commands": { commands: { actorId: string; generation: number; index: number; kind: "start" | "stop" }[] };
  // The runtime and the transports
  narrative: null;
  dropped: unknown;
  "duplicate-events": { duplicates: number };
  "unknown-tunnel-request": { tag: string };
  "rejected-frame": Record<string, unknown>;
  "unsupported-chunk": { bytes: number };
  "connection-refused": Record<string, unknown>;
  "connection-closed": Record<string, unknown>;
  "connection-timeout": { code: number; reason: string };
}

export type NoteType = keyof NotePayloads;

/** Where a note sits and what it is about, beyond the participant that records it. */
export interface NoteTarget {
  /** A second participant the note spans to. */
  to?: ParticipantRef;
  actorId?: string | null;
  runnerId?: string | null;
  housekeeping?: boolean;
}

export type Note = {
  [T in NoteType]: { type: T; label: string } & (NotePayloads[T] extends null ? { payload?: null } : { payload: NotePayloads[T] }) & NoteTarget;
}[NoteType];
