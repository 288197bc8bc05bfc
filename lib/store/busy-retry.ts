// SQLite lets one writer at a time. Prisma's driver adapter opens every transaction with a plain
// (deferred) BEGIN, and a deferred transaction that has to wait for another process's write can
// fail at once with SQLITE_BUSY instead of waiting out the busy timeout (its view of the file is
// stale by then). The write is simply tried again: a transaction that failed wrote nothing.
// PostgreSQL waits for locks itself; what it can still refuse and expect to be retried is a
// transaction chosen as a deadlock victim (40P01) or a serialization failure (40001).
export const MAX_WAIT_MS = 30_000;
/** The waits between tries: 10, 20, 40 … ms, at most 250 ms, each jittered (see busyWaitMs). */
export const BUSY_WAIT = { firstMs: 10, longestMs: 250 } as const;
/** What a busy database says, in an error's message or code. */
export const BUSY_TEXT = /SQLITE_BUSY|database is locked|deadlock detected|could not serialize access/i;

export function isBusy(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? "");
  if (code === "40P01" || code === "40001") return true;
  const text = err instanceof Error ? `${err.message} ${code}` : String(err);
  return BUSY_TEXT.test(text);
}

/** The wait before try `attempt + 1`, jittered so that waiting writers do not collide again. */
function busyWaitMs(attempt: number): number {
  return Math.min(BUSY_WAIT.longestMs, BUSY_WAIT.firstMs * 2 ** attempt) * (0.5 + Math.random());
}

/** Runs a write, again after a short wait while the database is busy, for up to 30 s. */
export async function retryWhileBusy<T>(write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + MAX_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isBusy(err) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, busyWaitMs(attempt)));
    }
  }
}
