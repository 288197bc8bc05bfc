// Commits of other processes, on PostgreSQL: every recorder batch sends a NOTIFY on COMMIT_CHANNEL
// with "<runId> <lastSeq> <process>" (delivered when its transaction commits), and each process that
// serves live streams LISTENs on one connection of its own and hands the commits of the others to
// the process's commit bus. So a dashboard on one instance follows a run another instance records as
// fast as one recorded here, instead of at the stream's fallback poll. Resume stays by seq: a notice
// only wakes a reader, which reads from the last seq it sent.
import type { Client } from "pg";
import type { Db } from "@/lib/store/db";
import { COMMIT_CHANNEL, PROCESS_COMMIT_TAG } from "@/lib/store/commit-channel";
import { connectPgClient } from "@/lib/store/pg-connection";
import { locationOf } from "@/lib/store/sql-dialect";
import { notifyCommitted } from "./commit-bus";

/** Survives module reloads and the app's own copy of this module: one listener per URL per process. */
const listeners: Map<string, Promise<Client | null>> = ((globalThis as Record<string, unknown>).__wakelineRemoteCommits ??= new Map()) as Map<string, Promise<Client | null>>;

/**
 * Starts following other processes' commits on `db` (PostgreSQL only; SQLite has no notifications).
 * Resolves once listening (at once when already, or for SQLite); never rejects.
 */
export async function followRemoteCommits(db: Db): Promise<void> {
  const location = locationOf(db);
  if (!location || location.provider !== "postgresql") return;
  const url = location.url;
  const existing = listeners.get(url);
  if (existing) {
    await existing;
    return;
  }
  const listening = listen(url).catch((err: unknown) => {
    // The fallback poll still serves the streams; a later stream tries again.
    console.error(`[wakeline] following other instances' commits failed: ${err instanceof Error ? err.message : String(err)}`);
    listeners.delete(url);
    return null;
  });
  listeners.set(url, listening);
  await listening;
}

async function listen(url: string): Promise<Client> {
  const client = await connectPgClient(url, "wakeline-commits");
  client.on("notification", (message) => {
    if (message.channel !== COMMIT_CHANNEL || !message.payload) return;
    const [runId, seq, tag] = message.payload.split(" ");
    // This process's own commits reach its bus directly, already.
    if (tag === PROCESS_COMMIT_TAG || !runId || !Number.isFinite(Number(seq))) return;
    notifyCommitted(runId, Number(seq));
  });
  // A lost connection is followed again by the next stream.
  client.on("end", () => listeners.delete(url));
  await client.query(`LISTEN ${COMMIT_CHANNEL}`);
  return client;
}

/** Stops following (the server is closing its database): the listening connection ends. */
export async function stopFollowingRemoteCommits(db: Db): Promise<void> {
  const location = locationOf(db);
  const listening = location ? listeners.get(location.url) : undefined;
  if (!location || !listening) return;
  listeners.delete(location.url);
  const client = await listening;
  await client?.end().catch(() => undefined);
}
