// A process-wide notifier of committed batches: the recorder tells it "run X is committed up to
// seq N", live readers (the SSE stream) wake on it instead of polling the database. server.ts and
// the Next.js bundle load separate copies of this module in the same process, so the listeners
// live on globalThis under one well-known symbol: every copy sees the same set.
export interface CommitNotice {
  runId: string;
  lastSeq: number;
}

export type CommitListener = (notice: CommitNotice) => void;

const KEY = Symbol.for("wakeline.commit-bus");

interface Bus {
  listeners: Map<string, Set<CommitListener>>;
}

function bus(): Bus {
  const holder = globalThis as unknown as Record<symbol, Bus | undefined>;
  let value = holder[KEY];
  if (!value) {
    value = { listeners: new Map() };
    holder[KEY] = value;
  }
  return value;
}

/** Called by the recorder after each committed batch of a run. Never throws. */
export function notifyCommitted(runId: string, lastSeq: number): void {
  const set = bus().listeners.get(runId);
  if (!set) return;
  for (const listener of [...set]) {
    try {
      listener({ runId, lastSeq });
    } catch {
      // a broken reader must not cost the recorder anything
    }
  }
}

/** Calls `listener` after every commit of `runId` in this process; returns the unsubscribe. */
export function onCommitted(runId: string, listener: CommitListener): () => void {
  const listeners = bus().listeners;
  let set = listeners.get(runId);
  if (!set) {
    set = new Set();
    listeners.set(runId, set);
  }
  set.add(listener);
  return () => {
    const current = listeners.get(runId);
    if (!current) return;
    current.delete(listener);
    if (current.size === 0) listeners.delete(runId);
  };
}

/**
 * Resolves on the next commit of `runId`, after `timeoutMs`, or when `signal` aborts, whichever
 * comes first (true when a commit woke it).
 */
export function waitForCommit(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (woken: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener("abort", onAbort);
      resolve(woken);
    };
    const onAbort = () => finish(false);
    const unsubscribe = onCommitted(runId, () => finish(true));
    const timer = setTimeout(() => finish(false), timeoutMs);
    if (signal?.aborted) finish(false);
    else signal?.addEventListener("abort", onAbort);
  });
}
