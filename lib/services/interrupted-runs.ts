// Runs whose recording process died (a crash, kill -9, a closed terminal) stay "running" in the
// database. A sweep ends them as "interrupted", keeping their events and computing their cycles
// from what was committed — but only once their owner is provably gone (run-owner.ts): another
// process on the same database may be recording right now.
import type { Db } from "@/lib/store/db";
import { isOwnerGone } from "@/lib/store/run-owner";
import { finishRun, findRunningRuns, loadEvents, type RunningRun } from "@/lib/store/trace-store";
import { computeCycles } from "@/lib/trace/cycles";

export const SERVER_INTERRUPTED_ERROR = "the server stopped while this run was recording";
export const CLI_INTERRUPTED_ERROR = "the wakeline command recording this run stopped before the run ended";

export function interruptedError(ownerKind: string | null): string {
  return ownerKind === "cli" ? CLI_INTERRUPTED_ERROR : SERVER_INTERRUPTED_ERROR;
}

/** Ends every running run whose owner is gone; returns their ids. */
export async function closeInterruptedRuns(db: Db, now: Date = new Date()): Promise<string[]> {
  const abandoned = (await findRunningRuns(db)).filter((run) => isOwnerGone(run, now));
  for (const run of abandoned) await closeRun(db, run, now);
  return abandoned.map((run) => run.id);
}

async function closeRun(db: Db, run: RunningRun, now: Date): Promise<void> {
  const events = await loadEvents(db, run.id);
  const { cycles, cycleOf } = computeCycles(run.id, events);
  await finishRun(db, run.id, { status: "interrupted", error: interruptedError(run.ownerKind), endedAt: now, cycles, cycleOf });
}
