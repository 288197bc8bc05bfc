// Opens the database for one command and closes it afterwards, so the process exits at once.
import type { Db } from "@/lib/store/db";

export async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const { closeDb, getDb } = await import("@/lib/store/db");
  try {
    return await work(await getDb());
  } finally {
    await closeDb();
  }
}
