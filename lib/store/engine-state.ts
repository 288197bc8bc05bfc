// The embedded engine's own durable state, as the real platform keeps it in its database:
// namespaces, actors (identity and the part of the lifecycle that outlives a process) and runner
// configurations. KV entries live in KvEntry, keyed by actor id. Recorded traces are elsewhere.
import { retryWhileBusy } from "./busy-retry";
import type { Db } from "./db";

export type StoredActorState = "sleeping" | "awake" | "destroyed";

export interface StoredActor {
  actorId: string;
  namespace: string;
  name: string;
  key: string | null;
  runnerNameSelector: string;
  crashPolicy: string;
  input: string | null;
  /** Epoch milliseconds. */
  createTs: number;
  generation: number;
  state: StoredActorState;
  /** Epoch milliseconds. */
  sleepTs: number | null;
  destroyTs: number | null;
  /** The actor's alarm, epoch milliseconds (null: none); a restarted engine arms it again. */
  alarmTs: number | null;
}

export interface StoredRunnerConfig {
  name: string;
  /** The pool settings as the engine keeps them (JSON-serialisable). */
  config: unknown;
}

export interface EngineState {
  actors: StoredActor[];
  runnerConfigs: StoredRunnerConfig[];
}

/** Everything stored for a namespace; creates the namespace on first use. */
export async function loadEngineState(db: Db, namespace: string): Promise<EngineState> {
  // Not an upsert: Prisma runs that in a transaction with a 5 s limit, which a CLI recording into the
  // same file can outlast. A plain insert waits out the busy timeout, and only a new namespace needs one.
  if (!(await db.engineNamespace.findUnique({ where: { name: namespace } }))) {
    await retryWhileBusy(() =>
      db.engineNamespace.create({ data: { name: namespace, createdAt: new Date() } }).catch((err: unknown) => {
        // Another process created it meanwhile.
        if ((err as { code?: unknown }).code !== "P2002") throw err;
      }),
    );
  }
  const [actors, configs] = await Promise.all([
    db.engineActor.findMany({ where: { namespace }, orderBy: { createTs: "asc" } }),
    db.engineRunnerConfig.findMany({ where: { namespace }, orderBy: { name: "asc" } }),
  ]);
  return {
    actors: actors.map((row) => ({ ...row, state: row.state as StoredActorState })),
    runnerConfigs: configs.map((row) => ({ name: row.name, config: JSON.parse(row.config) as unknown })),
  };
}

/** Writes the actors given, whole (identity and lifecycle), in one transaction. */
export async function saveActors(db: Db, actors: readonly StoredActor[]): Promise<void> {
  if (actors.length === 0) return;
  await db.$transaction(
    actors.map((actor) => db.engineActor.upsert({ where: { actorId: actor.actorId }, create: actor, update: actor })),
  );
}

export async function saveRunnerConfig(db: Db, namespace: string, config: StoredRunnerConfig): Promise<void> {
  const data = { config: JSON.stringify(config.config), updatedAt: new Date() };
  await db.engineRunnerConfig.upsert({
    where: { namespace_name: { namespace, name: config.name } },
    create: { namespace, name: config.name, ...data },
    update: data,
  });
}

/** The newest live run of this engine, which a restarted engine's run continues. */
export async function lastLiveRunId(db: Db): Promise<string | null> {
  const row = await db.run.findFirst({ where: { source: "live" }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], select: { id: true } });
  return row?.id ?? null;
}
