// Who is recording a run. Several processes may record into one database (the server, CLI runs);
// a run still marked "running" must be ended only by its owner, or once the owner is provably
// gone — never by another process that merely started later.
import os from "node:os";

export type OwnerKind = "server" | "cli";

export interface RunOwner {
  kind: OwnerKind;
  /** `host:pid:token`: the token tells this process from an earlier one that had the same pid. */
  id: string;
}

/** How often an owner renews its heartbeat while it records. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** An owner on another host whose heartbeat is older than this is taken as gone. */
export const HEARTBEAT_STALE_MS = 60_000;

// This module may be loaded twice in one process (server.ts, and the Next.js bundle it serves), so
// what identifies the process is taken from the process itself or kept on globalThis: the start
// time tells this process from an earlier one that had the same pid.
const processToken = Math.round(performance.timeOrigin).toString(36);
const shared = globalThis as { __wakelineOwnerKind?: OwnerKind };

/** The server says so at start-up; every other process records as a CLI. */
export function setProcessOwnerKind(kind: OwnerKind): void {
  shared.__wakelineOwnerKind = kind;
}

export function processOwnerKind(): OwnerKind {
  return shared.__wakelineOwnerKind ?? "cli";
}

export function processOwnerId(): string {
  return `${os.hostname()}:${process.pid}:${processToken}`;
}

export function ownerOf(kind: OwnerKind): RunOwner {
  return { kind, id: processOwnerId() };
}

export interface RecordedOwner {
  owner: string | null;
  heartbeatAt: Date | null;
}

/**
 * True when the process that recorded a run can no longer be recording it: on this host its pid
 * is gone, or it is another process now (a different token); on any host its heartbeat is stale.
 * Runs recorded before owners were stored have no owner and count as gone.
 */
export function isOwnerGone(run: RecordedOwner, now: Date = new Date(), staleMs: number = HEARTBEAT_STALE_MS): boolean {
  if (!run.owner) return true;
  if (run.owner === processOwnerId()) return false;
  const [host, pidText] = run.owner.split(":");
  const pid = Number(pidText);
  if (host === os.hostname() && Number.isInteger(pid) && pid > 0 && !isPidAlive(pid)) return true;
  if (host === os.hostname() && pid === process.pid) return true; // our pid, another token: an earlier life
  const heartbeat = run.heartbeatAt?.getTime() ?? 0;
  return now.getTime() - heartbeat > staleMs;
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
