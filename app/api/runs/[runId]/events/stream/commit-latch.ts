// Wakes a stream reader on the recorder's commits without missing one that lands while it reads.
// Subscribing only while waiting (waitForCommit) loses a commit made between the read and the next
// wait, and the reader then sleeps until the fallback poll: up to a second for a live event.
import { onCommitted } from "@/lib/recorder/commit-bus";

export interface CommitLatch {
  /**
   * Resolves true at once when `runId` was committed since the previous wait returned, else on the
   * next commit; false after `timeoutMs` or when `signal` aborts.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Stops listening (the stream ended). */
  close(): void;
}

export function commitLatch(runId: string): CommitLatch {
  let committed = false;
  let wake: (() => void) | null = null;
  const unsubscribe = onCommitted(runId, () => {
    committed = true;
    wake?.();
  });
  return {
    wait(timeoutMs, signal) {
      if (committed || signal?.aborted) {
        const woken = committed;
        committed = false;
        return Promise.resolve(woken);
      }
      return new Promise<boolean>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", finish);
          wake = null;
          const woken = committed;
          committed = false;
          resolve(woken);
        };
        const timer = setTimeout(finish, timeoutMs);
        signal?.addEventListener("abort", finish);
        wake = finish;
      });
    },
    close() {
      wake?.();
      unsubscribe();
    },
  };
}
