// Housekeeping: deleting a run on request, and removing ended runs older than the retention
// setting (WAKELINE_RETENTION_DAYS) from the server's periodic sweep.
import type { Db } from "@/lib/store/db";
import { deleteRunRows, findEndedRunsBefore, type DeletionProgress } from "@/lib/store/run-deletion";
import { conflict, invalidInput } from "./errors";
import { getRun } from "./run-queries";

/** Runs removed by one sweep at most; the next sweep takes the rest. */
const RETENTION_RUNS_PER_SWEEP = 20;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DeleteRunOptions {
  batchSize?: number;
  onBatch?: (progress: DeletionProgress) => void;
}

/** Deletes a run that is no longer recording (404 when unknown, 409 `run_running` while it records). */
export async function deleteRun(db: Db, runId: string, options: DeleteRunOptions = {}): Promise<{ id: string; deleted: true }> {
  const run = await getRun(db, runId);
  if (run.status === "running") {
    throw conflict(`Run ${runId} is still recording; it can be deleted once it has ended.`, "run_running");
  }
  await deleteRunRows(db, runId, options);
  return { id: runId, deleted: true };
}

/** Days from WAKELINE_RETENTION_DAYS; null (keep everything) when unset or empty. */
export function retentionDays(env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  const raw = env.WAKELINE_RETENTION_DAYS?.trim();
  if (!raw) return null;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0) {
    throw invalidInput(`WAKELINE_RETENTION_DAYS must be a positive number of days, not "${raw}"`, "invalid_retention");
  }
  return days;
}

export interface RetentionResult {
  /** Ids of the runs removed by this sweep. */
  deleted: string[];
  /** The cut-off (runs started before it are removed), null when retention is off. */
  before: string | null;
}

/**
 * Removes ended runs (finished, failed, stopped, interrupted) that started more than the retention
 * period before `now`. Running runs are never touched. Without a retention setting it does nothing.
 */
export async function applyRetention(
  db: Db,
  now: Date = new Date(),
  options: { days?: number | null; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<RetentionResult> {
  const days = options.days !== undefined ? options.days : retentionDays(options.env);
  if (days === null) return { deleted: [], before: null };
  const before = new Date(now.getTime() - days * DAY_MS);
  const deleted: string[] = [];
  for (const id of await findEndedRunsBefore(db, before, RETENTION_RUNS_PER_SWEEP)) {
    if (await deleteRunRows(db, id)) deleted.push(id);
  }
  return { deleted, before: before.toISOString() };
}
