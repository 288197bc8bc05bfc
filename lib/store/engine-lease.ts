// One engine per namespace and database (issue 12 §2). Two live engines serving the same namespace
// from one database would each restore, wake and save the same actors; the second one is refused
// with a coded error that names the first, and takes over once the first is gone.
//
// The lease is a row per namespace (EngineLease) naming its holder, `host:pid:token:lease`. On
// SQLite the holder renews its heartbeat; a lease counts as free when its holder's process is gone
// (same host, pid not running) or its heartbeat is older than `staleMs`. On PostgreSQL the lease is
// an advisory lock held by a connection of its own (pg-engine-lock.ts), released by the server as
// soon as the holder's connection ends; the row then only says who holds it.
import os from "node:os";
import { randomBytes } from "node:crypto";
import { retryWhileBusy } from "./busy-retry";
import type { Db } from "./db";
import { StoreError } from "./errors";
import { tryPgEngineLock, type PgEngineLock } from "./pg-engine-lock";
import { isOwnerGone, processOwnerId } from "./run-owner";
import { locationOf } from "./sql-dialect";

/** How often a holder renews its heartbeat. */
export const LEASE_HEARTBEAT_MS = 5_000;
/** A lease whose heartbeat is older than this is free (SQLite; PostgreSQL needs no heartbeat). */
export const LEASE_STALE_MS = 20_000;

export interface EngineLeaseOptions {
  heartbeatMs?: number;
  staleMs?: number;
  /** Called once if the lease is lost while held (taken over after a stall, or the lock connection lost). */
  onLost?: (err: StoreError) => void;
}

export interface EngineLease {
  namespace: string;
  /** `host:pid:token:lease` of this holder. */
  owner: string;
  /** Gives the lease up (idempotent); the next engine may start at once. */
  release(): Promise<void>;
}

/**
 * Takes the lease of `namespace` on `db` for the engine this process is starting, or throws
 * StoreError("engine_already_running") naming the holder.
 */
export async function acquireEngineLease(db: Db, namespace: string, options: EngineLeaseOptions = {}): Promise<EngineLease> {
  const owner = `${processOwnerId()}:${randomBytes(4).toString("hex")}`;
  const staleMs = options.staleMs ?? LEASE_STALE_MS;
  const location = locationOf(db);
  let lock: PgEngineLock | null = null;
  if (location?.provider === "postgresql") {
    lock = await tryPgEngineLock(location.url, namespace);
    if (!lock) throw alreadyRunning(namespace, await db.engineLease.findUnique({ where: { namespace } }));
    // The lock decides; the row only names the holder, whatever an earlier holder left in it.
    await writeLease(db, namespace, owner).catch(async (err: unknown) => {
      await lock?.release();
      throw err;
    });
  } else {
    await takeLeaseRow(db, namespace, owner, staleMs);
  }
  return holdLease(db, namespace, owner, lock, options);
}

/** The holder's heartbeat, and what happens on release or loss. */
function holdLease(db: Db, namespace: string, owner: string, lock: PgEngineLock | null, options: EngineLeaseOptions): EngineLease {
  let released = false;
  const lose = (err: StoreError) => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    options.onLost?.(err);
  };
  const heartbeat = setInterval(() => {
    db.engineLease
      .updateMany({ where: { namespace, owner }, data: { heartbeatAt: new Date() } })
      .then(({ count }) => {
        if (count === 0 && !lock) lose(new StoreError("engine_lease_lost", `Another engine took over namespace "${namespace}" (this one stalled)`));
      })
      // A missed heartbeat is retried at the next one; the lease is lost only when taken.
      .catch(() => undefined);
  }, options.heartbeatMs ?? LEASE_HEARTBEAT_MS);
  heartbeat.unref();
  void lock?.lost.then(() => lose(new StoreError("engine_lease_lost", `The connection holding namespace "${namespace}" was lost`)));
  return {
    namespace,
    owner,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      await db.engineLease.deleteMany({ where: { namespace, owner } }).catch(() => undefined);
      await lock?.release();
    },
  };
}

interface LeaseRow {
  owner: string;
  heartbeatAt: Date;
}

/** Takes the row when it is free: created if missing, else swapped only if it still holds what was read. */
async function takeLeaseRow(db: Db, namespace: string, owner: string, staleMs: number): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = new Date();
    const current = await db.engineLease.findUnique({ where: { namespace } });
    if (!current) {
      // Retried while SQLite is busy (a CLI recording into the same file): see busy-retry.ts.
      const created = await retryWhileBusy(() => db.engineLease.create({ data: { namespace, owner, acquiredAt: now, heartbeatAt: now } })).then(
        () => true,
        (err: unknown) => (isUniqueViolation(err) ? false : Promise.reject(err)),
      );
      if (created) return;
      continue; // another engine created it meanwhile: look again
    }
    if (!isHolderGone(current, now, staleMs)) throw alreadyRunning(namespace, current);
    const { count } = await retryWhileBusy(() =>
      db.engineLease.updateMany({
        where: { namespace, owner: current.owner, heartbeatAt: current.heartbeatAt },
        data: { owner, acquiredAt: now, heartbeatAt: now },
      }),
    );
    if (count === 1) return;
  }
  throw alreadyRunning(namespace, await db.engineLease.findUnique({ where: { namespace } }));
}

async function writeLease(db: Db, namespace: string, owner: string): Promise<void> {
  const now = new Date();
  await retryWhileBusy(() => db.engineLease.upsert({ where: { namespace }, create: { namespace, owner, acquiredAt: now, heartbeatAt: now }, update: { owner, acquiredAt: now, heartbeatAt: now } }));
}

/** Another engine of this very process holds it while this process lives; others as run owners are judged. */
function isHolderGone(row: LeaseRow, now: Date, staleMs: number): boolean {
  const holderProcess = row.owner.split(":").slice(0, 3).join(":");
  if (holderProcess === processOwnerId()) return false;
  return isOwnerGone({ owner: holderProcess, heartbeatAt: row.heartbeatAt }, now, staleMs);
}

function alreadyRunning(namespace: string, row: LeaseRow | null): StoreError {
  const [host, pid] = (row?.owner ?? "").split(":");
  const holder = row ? `${host}:${pid}${host === os.hostname() && Number(pid) === process.pid ? " (this process)" : ""}` : "another process";
  const since = row ? `, last heartbeat ${Math.max(0, Math.round((Date.now() - row.heartbeatAt.getTime()) / 1000))} s ago` : "";
  return new StoreError(
    "engine_already_running",
    `An engine already runs namespace "${namespace}" on this database: owner ${holder}${since}. Stop it first, or use another namespace or database.`,
  );
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown }).code === "P2002";
}
