// Deleting a run in small transactions: its events go BATCH rows at a time, with a turn of the
// event loop between batches, so a run of millions of events never holds the write lock (or the
// process) for long. Cycles, share links and the run row go last, in one transaction.
import type { Db } from "./db";
import { dialectOf, SqlParams } from "./sql-dialect";

export const DELETE_BATCH = 5_000;

export interface DeletionProgress {
  /** Event rows removed so far. */
  events: number;
  batches: number;
}

/** Removes the run and everything recorded for it; false when there was no such run. */
export async function deleteRunRows(
  db: Db,
  runId: string,
  options: { batchSize?: number; onBatch?: (progress: DeletionProgress) => void } = {},
): Promise<boolean> {
  const batchSize = options.batchSize ?? DELETE_BATCH;
  const progress: DeletionProgress = { events: 0, batches: 0 };
  for (;;) {
    // By primary key order: each batch is one index range, no scan of what was deleted already.
    const p = new SqlParams(dialectOf(db));
    const removed = await db.$executeRawUnsafe(
      `DELETE FROM "Event" WHERE "runId" = ${p.add(runId)} AND "seq" IN (SELECT "seq" FROM "Event" WHERE "runId" = ${p.add(runId)} ORDER BY "seq" LIMIT ${p.add(batchSize)})`,
      ...p.values,
    );
    if (removed === 0) break;
    progress.events += removed;
    progress.batches++;
    options.onBatch?.({ ...progress });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Each table by name rather than through ON DELETE CASCADE, whatever the connection's foreign_keys.
  const [, , , run] = await db.$transaction([
    db.cycle.deleteMany({ where: { runId } }),
    db.shareLink.deleteMany({ where: { runId } }),
    db.runConfig.deleteMany({ where: { runId } }),
    db.run.deleteMany({ where: { id: runId } }),
  ]);
  return run.count > 0 || progress.events > 0;
}

/** Ids of ended runs that started before `before` (oldest first), at most `limit`. */
export async function findEndedRunsBefore(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db.run.findMany({
    where: { status: { not: "running" }, startedAt: { lt: before } },
    orderBy: { startedAt: "asc" },
    select: { id: true },
    take: limit,
  });
  return rows.map((row) => row.id);
}
