// SQLite's search index (the EventSearch FTS5 table) is filled in batches: the rows past its
// largest rowid are indexed in one statement, at the end of each write transaction of the event
// writers and before each text search. One INSERT … SELECT costs a fraction of indexing the same
// rows one by one (`npm run bench` prints both), and a writer that does not index (Prisma's
// createMany in a history import, a tool) is caught up by the next one. The triggers of migration
// 20261202113000_search_per_batch keep deletes and updates in step. PostgreSQL indexes a stored,
// generated text vector, which follows every insert by itself.
import type { Db } from "./db";
import { retryWhileBusy } from "./busy-retry";
import { dialectOf } from "./sql-dialect";

/** Indexes every event past the index's largest rowid (those are exactly the unindexed ones). */
export const INDEX_PENDING_EVENTS = `INSERT INTO "EventSearch"(rowid, "label", "payload")
  SELECT rowid, "label", "payload" FROM "Event"
  WHERE rowid > (SELECT coalesce(max("id"), 0) FROM "EventSearch_docsize")`;

/** Brings SQLite's search index up to date (nothing to do on PostgreSQL). */
export async function catchUpSearchIndex(db: Db): Promise<void> {
  const statements = indexPendingEvents(db);
  if (statements.length > 0) await retryWhileBusy(() => db.$transaction(statements));
}

/** The statement that indexes the pending events, to end a Prisma batch transaction with (none on PostgreSQL). */
export function indexPendingEvents(db: Db): ReturnType<Db["$executeRawUnsafe"]>[] {
  return dialectOf(db).provider === "sqlite" ? [db.$executeRawUnsafe(INDEX_PENDING_EVENTS)] : [];
}
