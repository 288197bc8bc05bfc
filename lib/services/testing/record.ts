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
