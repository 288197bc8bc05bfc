// Runs left "running" by a server that stopped (a restart, a crash) are closed at start-up, so the
// dashboard never shows a recording that nothing is writing any more. Their events are kept; their
// cycles are computed from what was recorded.
import type { Db } from "@/lib/store/db";
import { finishRun, findRuns, loadEvents } from "@/lib/store/trace-store";
import { computeCycles } from "@/lib/trace/cycles";

export const INTERRUPTED_ERROR = "the server stopped while this run was recording";

/** Closes every run still marked running; returns their ids. Call before this process records. */
export async function closeInterruptedRuns(db: Db, now: Date = new Date()): Promise<string[]> {
  const running = (await findRuns(db)).filter((run) => run.status === "running");
  for (const run of running) {
    const events = await loadEvents(db, run.id);
    const { cycles, cycleOf } = computeCycles(run.id, events);
    await finishRun(db, run.id, { status: "failed", error: INTERRUPTED_ERROR, endedAt: now, cycles, cycleOf });
  }
  return running.map((run) => run.id);
}
