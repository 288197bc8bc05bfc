// Tunnel ids for HTTP requests and WebSockets sent to runners: every attempt gets a fresh 4-byte
// request id under this engine's 4-byte gateway id, and keeps its own message index (the open or
// request start is index 0, so the first WebSocket message is index 1). Each tunnel belongs to the
// runner it was sent to: only that runner's frames may answer it.
import { hexOf, tunnelId } from "./frames";
import type { RunnerKeyState } from "./runner-state";

export interface TunnelEntry {
  /** Hex of the 4-byte request id. */
  key: string;
  requestId: ArrayBuffer;
  /** The engine's id of the user request this attempt serves. */
  engineRequestId: string;
  actorId: string;
  kind: "http" | "ws";
  /**
   * The runner (by runner key, so across its reconnects) the request was sent to; a hibernating
   * WebSocket moves to the runner its actor's next CommandStartActor goes to.
   */
  runner: RunnerKeyState;
  /** A WebSocket the runner accepted as hibernatable: it outlives its actor's sleep and its runner. */
  canHibernate: boolean;
  /** Next message index to send (engine → runner). */
  nextIndex: number;
  /** Recorded delivery of the request start / open to the runner, and its phase. */
  cause: number;
  phase: number | null;
}

export class TunnelRegistry {
  readonly gatewayId: ArrayBuffer;
  private counter = 0;
  private readonly byKey = new Map<string, TunnelEntry>();
  private readonly byRequest = new Map<string, TunnelEntry>();

  constructor(gatewayNumber: number) {
    this.gatewayId = tunnelId(gatewayNumber);
  }

  open(engineRequestId: string, actorId: string, kind: TunnelEntry["kind"], runner: RunnerKeyState, cause: number, phase: number | null): TunnelEntry {
    const previous = this.byRequest.get(engineRequestId);
    if (previous) this.byKey.delete(previous.key);
    this.counter = (this.counter + 1) >>> 0;
    const requestId = tunnelId(this.counter);
    const entry: TunnelEntry = { key: hexOf(requestId), requestId, engineRequestId, actorId, kind, runner, canHibernate: false, nextIndex: 0, cause, phase };
    this.byKey.set(entry.key, entry);
    this.byRequest.set(engineRequestId, entry);
    return entry;
  }

  forRequest(engineRequestId: string): TunnelEntry | undefined {
    return this.byRequest.get(engineRequestId);
  }

  forKey(requestId: ArrayBuffer): TunnelEntry | undefined {
    return this.byKey.get(hexOf(requestId));
  }

  /** The message index for the next engine → runner message of this tunnel. */
  takeIndex(entry: TunnelEntry): number {
    const index = entry.nextIndex;
    entry.nextIndex = (entry.nextIndex + 1) % 65536;
    return index;
  }

  close(entry: TunnelEntry): void {
    this.byKey.delete(entry.key);
    if (this.byRequest.get(entry.engineRequestId) === entry) this.byRequest.delete(entry.engineRequestId);
  }

  /** The newest HTTP request in flight to an actor (what a sleep intent during it answers to). */
  httpInFlight(actorId: string): TunnelEntry | undefined {
    let latest: TunnelEntry | undefined;
    for (const entry of this.byKey.values()) if (entry.kind === "http" && entry.actorId === actorId) latest = entry;
    return latest;
  }

  /** An actor stopped: the runner dropped its HTTP requests without a word. */
  dropHttp(actorId: string): void {
    for (const entry of [...this.byKey.values()]) if (entry.kind === "http" && entry.actorId === actorId) this.close(entry);
  }

  /**
   * A runner gone for good: nothing will answer, or close, the tunnels sent to it — except the
   * hibernatable WebSockets, which the actor's next runner restores (same ids, same indexes).
   */
  dropRunner(runner: RunnerKeyState): void {
    for (const entry of [...this.byKey.values()]) if (entry.runner === runner && !entry.canHibernate) this.close(entry);
  }

  /** The gateway let go of a request (a hibernating client left): its tunnel goes too. */
  forgetRequest(engineRequestId: string): void {
    const entry = this.byRequest.get(engineRequestId);
    if (entry) this.close(entry);
  }

  /** Tunnels open now (what a long-running engine must not accumulate). */
  get size(): number {
    return this.byKey.size;
  }
}
