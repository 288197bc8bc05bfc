// Invariant checks of a stored run.
import type { Db } from "@/lib/store/db";
import { loadEvents } from "@/lib/store/trace-store";
import { checkRun, type Violation } from "@/lib/trace/check";
import type { RunInfo } from "@/lib/trace/types";
import { getRun } from "./run-queries";

export async function checkRecordedRun(db: Db, runId: string): Promise<{ run: RunInfo; violations: Violation[] }> {
  const run = await getRun(db, runId);
  const events = await loadEvents(db, runId);
  // A run still recording has requests and phases legitimately in flight.
  return { run, violations: checkRun(events, { finished: run.status !== "running" }) };
}
