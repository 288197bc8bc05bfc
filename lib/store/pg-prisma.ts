// The Prisma client of a PostgreSQL database, on a pool this module owns. Prisma's own pool can
// hang `$disconnect` for good: a transaction begun just as the client disconnects is never ended,
// and the pool waits for its connection forever. Owning the pool, closeDb can give such a
// connection a moment and then close it.
import { PrismaPg } from "@prisma/adapter-pg";
import type { Client } from "pg";
import { PrismaClient as PgPrismaClient } from "@/lib/generated/prisma-pg/client";
import type { Db } from "./db";
import { createPgPool } from "./pg-connection";

/** Prisma's default pool size for a server database is larger; the app's reads are few and short. */
const POOL_SIZE = 8;
/** How long closing waits for connections still in use before it closes them. */
const CLOSE_GRACE_MS = 2_000;

export async function createPgPrismaClient(url: string): Promise<{ db: Db; release(): Promise<void> }> {
  const pool = createPgPool(url, "wakeline", POOL_SIZE);
  // The pool's connections, each a pg Client (the pool makes them with `new Client`), so that
  // closing can end one that is still checked out.
  const open = new Set<Client>();
  pool.on("connect", (client) => open.add(client as unknown as Client));
  pool.on("remove", (client) => open.delete(client as unknown as Client));
  const client = new PgPrismaClient({ adapter: new PrismaPg(pool) });
  return {
    // The two generated clients have the same models and methods; only their nominal types differ.
    db: client as unknown as Db,
    async release() {
      const ended = pool.end().then(() => true);
      const inTime = await Promise.race([ended, new Promise<false>((resolve) => setTimeout(() => resolve(false), CLOSE_GRACE_MS).unref())]);
      if (!inTime) await Promise.all([...open].map((connection) => connection.end().catch(() => undefined)));
    },
  };
}
