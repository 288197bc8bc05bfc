// Stores a hand-made trace as a run through the real recorder (tests of services and views).
import { createRecorder, type NewRun } from "@/lib/recorder";
import type { Db } from "@/lib/store/db";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";

export async function recordTrace(
  db: Db,
  events: readonly TraceEvent[],
  init: Partial<NewRun> & { finish?: boolean } = {},
): Promise<{ run: RunInfo; cycles: CycleInfo[] }> {
  const recorder = createRecorder(db, { name: "hand-made", source: "live", ...init });
  for (const event of events) recorder.record(event);
  if (init.finish === false) {
    await recorder.flush();
    return { run: recorder.run, cycles: [] };
  }
  return recorder.finish();
}

/** The same trace stored twice: as a run that has ended, and as one still recording. */
export async function recordEndedAndLive(db: Db, events: readonly TraceEvent[]): Promise<{ ended: RunInfo; live: RunInfo }> {
  const ended = (await recordTrace(db, events, { name: "ended", source: "scenario" })).run;
  const live = (await recordTrace(db, events, { name: "live", finish: false })).run;
  return { ended, live };
}
