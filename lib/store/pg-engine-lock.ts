// PostgreSQL's half of the engine lease (engine-lease.ts): a session-level advisory lock per
// namespace, held on a connection of its own for as long as the engine runs. The server releases
// it the moment that connection ends — a clean stop, a crash, a kill -9 or a lost network — so a
// second engine can take over at once, without waiting for a heartbeat to go stale.
import type { Client } from "pg";
import { connectPgClient, pgConnectionError } from "./pg-connection";

/** The first key of Wakeline's engine locks ("wkln"); the second is a hash of the namespace. */
const ENGINE_LOCK_CLASS = 0x776b6c6e;

export interface PgEngineLock {
  /** Resolves when the connection holding the lock is lost (the lock with it). */
  lost: Promise<void>;
  release(): Promise<void>;
}

/** Takes the namespace's lock, or returns null when another session holds it. */
export async function tryPgEngineLock(url: string, namespace: string): Promise<PgEngineLock | null> {
  const client: Client = await connectPgClient(url, `wakeline-engine:${namespace}`.slice(0, 63));
  let acquired = false;
  try {
    const { rows } = await client.query<{ acquired: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS acquired", [ENGINE_LOCK_CLASS, namespace]);
    acquired = rows[0]?.acquired === true;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw pgConnectionError(err, url);
  }
  if (!acquired) {
    await client.end().catch(() => undefined);
    return null;
  }
  let releasing = false;
  const lost = new Promise<void>((resolve) => {
    client.on("end", () => {
      if (!releasing) resolve();
    });
    client.on("error", () => {
      if (!releasing) resolve();
    });
  });
  return {
    lost,
    async release() {
      releasing = true;
      // Ending the session releases the lock; no unlock statement is needed.
      await client.end().catch(() => undefined);
    },
  };
}
