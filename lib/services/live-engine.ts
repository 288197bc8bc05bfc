// One live engine: the engine's participants on the real clock, recording everything into one Run
// (source "live"), with a default namespace, a default serverless pool and a demo actor asleep.
// The transports (lib/transport) feed it; the dashboard reads what it recorded from the database.
import { randomBytes, randomInt } from "node:crypto";
import { DEFAULT_REDACTION, redactEvent, type RedactionPolicy } from "../auth/redact";
import type { OutboundGuard } from "../auth/outbound";
import type { ActorWorkflowState } from "../engine/actor-workflow/state";
import { outside } from "../engine/core/module";
import { newActorRecord, type ActorRecord } from "../engine/world";
import { DEFAULT_POOL, engineConfig, type EngineConfig, type PoolConfig, type TimingConfig } from "../engine/config";
import type { CrashPolicy } from "../engine/messages";
import { API, actorWorkflow } from "../engine/core/refs";
import { createRecorder, type Recorder } from "../recorder";
import { addActor, addPool, buildEngine } from "../runtime/engine";
import type { EngineRuntime } from "../runtime/runtime";
import type { Db } from "../store/db";
import { saveActors, saveRunnerConfig, type EngineState, type StoredActor, type StoredActorState } from "../store/engine-state";
import type { ParticipantRef } from "../trace/types";
import type { EngineHost } from "../transport/host";
import { KvStore } from "../transport/kv-store";
import type { ActorStartConfig, CauseContext } from "../transport/remote-runner";
import { ServerlessStartClient } from "../transport/serverless-client";
import { TunnelRegistry } from "../transport/tunnels";
import { ActorDirectory, type ActorIdentity, type CreateActorInput } from "../transport/actor-directory";
import type { EngineApiHost } from "../transport/engine-api";
import { wallClock, type Clock } from "../runtime/clock";
import { WallDriver } from "../runtime/drivers/wall";

export const DEMO_ACTOR_ID = "demo";
export const DEFAULT_START_TIMEOUT_MS = 30_000;

export interface LiveSessionOptions {
  db: Db;
  /** This engine's URL as runners reach it (sent to serverless endpoints as x-rivet-endpoint). */
  engineUrl: string;
  clock?: Clock;
  namespace?: string;
  timing?: Partial<TimingConfig>;
  /** The default pool (runner name "default"); its `url` defaults to the built-in endpoint. null: no default pool. */
  defaultPool?: Partial<PoolConfig> | null;
  /** Create the demo actor, asleep, at start (default true). */
  demoActor?: boolean;
  /** How long a serverless `/start` may take to deliver its runner's init. */
  startTimeoutMs?: number;
  runName?: string;
  /** What an earlier life of this engine stored (actors, runner configs); they are served again. */
  restore?: EngineState;
  /** The live run this session's run continues. */
  followsRunId?: string | null;
  /** What is kept out of the recording (default: credentials redacted). */
  redaction?: RedactionPolicy;
  /** The access token, sent to serverless endpoints as x-rivet-token (null: none). */
  token?: string | null;
  /** Where serverless `/start` calls may go. */
  outbound?: OutboundGuard;
}

export class LiveSession implements EngineHost, EngineApiHost {
  readonly runtime: EngineRuntime;
  readonly driver: WallDriver;
  readonly recorder: Recorder;
  readonly namespace: string;
  readonly config: EngineConfig;
  readonly directory = new ActorDirectory();
  readonly tunnels = new TunnelRegistry(randomBytes(4).readUInt32BE(0));
  readonly kv: KvStore;
  private readonly endpoints = new Map<string, ServerlessStartClient>();
  private readonly kvToDrop = new Set<string>();
  /** Actors a step may have changed since they were last stored (from the recorded events). */
  private readonly touchedActors = new Set<string>();
  /** What was last stored of each actor's lifecycle, to write only what changed. */
  private readonly storedLifecycle = new Map<string, string>();
  /** Writes of engine state, one after another; close() waits for them. */
  private stateWrites: Promise<void> = Promise.resolve();
  private recordError: unknown = null;
  private closed = false;

  constructor(private readonly options: LiveSessionOptions) {
    this.namespace = options.namespace ?? "default";
    const storedPools = (options.restore?.runnerConfigs ?? []).map((stored) => ({ ...(stored.config as Omit<PoolConfig, "name">), name: stored.name }));
    const defaultPools = options.defaultPool === null ? [] : [{ ...DEFAULT_POOL, url: `${options.engineUrl}/api/serverless`, ...options.defaultPool }];
    // A pool the API configured wins over the built-in default of the same name.
    const pools = [...defaultPools.filter((pool) => !storedPools.some((stored) => stored.name === pool.name)), ...storedPools];
    this.config = engineConfig({
      namespace: this.namespace,
      timing: options.timing,
      // Real time passes on its own: no simulated hop or step latency.
      latency: { defaultHopMs: 0, processingMs: { ActorWorkflow: 0, RunnerWorkflow: 0, Serverless: 0 } },
      pools,
    });
    this.kv = new KvStore(options.db);
    const redaction = options.redaction ?? DEFAULT_REDACTION;
    this.recorder = createRecorder(options.db, {
      name: options.runName ?? "Live engine",
      source: "live",
      // The run's details say whether secrets were recorded (an explicit opt-out for local debugging).
      config: { ...this.config, recording: { secretsRedacted: redaction.enabled, secretHeaders: redaction.secretHeaders } },
      followsRunId: options.followsRunId ?? null,
    });
    this.runtime = buildEngine({
      config: this.config,
      seed: randomInt(0, 2 ** 31),
      endpointFor: (pool) => outside(this.startClient(pool)),
      onForgetRequest: (requestId) => this.tunnels.forgetRequest(requestId),
      sink: (event) => {
        // Whatever happens after the run ended (sockets closing on shutdown) is not part of it.
        if (this.closed) return;
        if (event.actorId) this.touchedActors.add(event.actorId);
        try {
          this.recorder.record(redactEvent(event, redaction));
        } catch (err) {
          // The database stopped taking events: keep serving, say it once.
          if (this.recordError === null) console.error("[wakeline] live recording failed:", err);
          this.recordError ??= err;
        }
      },
    });
    this.runtime.observe((effects) => {
      for (const endpoint of this.endpoints.values()) endpoint.onEffects(effects);
    });
    this.driver = new WallDriver(this.runtime, options.clock ?? wallClock);
    // Runners give times (alarms) as epoch milliseconds; engine time 0 is when the driver started.
    this.config.epochMs = this.driver.epoch;
    this.driver.onAfterStep(() => this.afterStep());
    this.driver.input(() => {
      for (const actor of options.restore?.actors ?? []) this.restoreActor(actor);
      if (options.demoActor !== false && pools.length > 0 && !this.directory.get(DEMO_ACTOR_ID)) this.addDemoActor(pools[0].name);
    });
  }

  /** Where the engine may send requests (serverless endpoints), when a guard is configured. */
  get outbound(): OutboundGuard | undefined {
    return this.options.outbound;
  }

  get runId(): string {
    return this.recorder.run.id;
  }

  /** Engine milliseconds → epoch milliseconds. */
  toEpoch(engineMs: number): number {
    return this.driver.toEpoch(engineMs);
  }

  actorStartConfig(actorId: string): ActorStartConfig | null {
    const identity = this.directory.get(actorId);
    return identity ? { name: identity.name, key: identity.key, createTs: identity.createTs, input: identity.input } : null;
  }

  claimServerlessStart(runnerName: string, runner: ParticipantRef): CauseContext | null {
    return this.endpoints.get(runnerName)?.claim(runner) ?? null;
  }

  pools(): PoolConfig[] {
    return this.config.pools;
  }

  /** Creates or updates a serverless pool (a runner config); updates apply to the next decisions. */
  upsertPool(name: string, settings: Omit<PoolConfig, "name">): { created: boolean } {
    const existing = this.config.pools.find((pool) => pool.name === name);
    if (existing) {
      Object.assign(existing, settings);
      this.persistPool(existing);
      return { created: false };
    }
    const pool: PoolConfig = { ...settings, name };
    this.config.pools.push(pool);
    this.driver.input(() => addPool(this.runtime, pool, outside(this.startClient(pool))));
    this.persistPool(pool);
    return { created: true };
  }

  createActor(input: CreateActorInput): ActorIdentity {
    const identity: ActorIdentity = { actorId: newActorId(), namespace: this.namespace, createTs: Date.now(), ...input };
    this.directory.add(identity);
    this.touchedActors.add(identity.actorId);
    this.driver.input(() =>
      this.runtime.command(API, {
        command: "create",
        msg: {
        type: "CreateActor",
        actorId: identity.actorId,
        name: identity.runnerNameSelector,
        key: identity.key,
        pool: identity.runnerNameSelector,
        crashPolicy: identity.crashPolicy,
        input: identity.input,
        },
      }),
    );
    return identity;
  }

  destroyActor(actorId: string): void {
    this.kvToDrop.add(actorId);
    this.driver.input(() => this.runtime.command(API, { command: "destroy", msg: { type: "DestroyActor", actorId } }));
  }

  /** Stops the engine and ends the run (its cycles are computed and stored). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const endpoint of this.endpoints.values()) endpoint.closeAll();
    this.driver.stop();
    this.persistActors();
    await this.stateWrites;
    // The engine stopped on purpose: the run ends "stopped", with everything it recorded.
    await this.recorder.finish(this.recordError ? "failed" : "stopped", this.recordError ? String(this.recordError) : null).catch(() => undefined);
  }

  /** An engine client that failed to authenticate: recorded as a note on the API lifeline. */
  noteRefused(what: string, remoteAddress: string | undefined): void {
    if (this.closed) return;
    this.driver.input(() => this.runtime.narrative(API, `Refused: ${what}`, { payload: { refused: what, remoteAddress: remoteAddress ?? null } }));
  }

  /** Everything recorded so far is in the database, and so is the engine's state. */
  async flush(): Promise<void> {
    this.persistActors();
    await Promise.all([this.recorder.flush(), this.stateWrites]);
  }

  /** The adapter that makes a pool's /start requests real. */
  private startClient(pool: PoolConfig): ServerlessStartClient {
    const client = new ServerlessStartClient(pool, this, {
      engineUrl: this.options.engineUrl,
      startTimeoutMs: this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      token: this.options.token ?? null,
      outbound: this.options.outbound,
    });
    this.endpoints.set(pool.name, client);
    return client;
  }

  private addDemoActor(pool: string): void {
    this.directory.add({ actorId: DEMO_ACTOR_ID, name: "demo", key: "demo", namespace: this.namespace, runnerNameSelector: pool, crashPolicy: "sleep", input: null, createTs: Date.now() });
    this.touchedActors.add(DEMO_ACTOR_ID);
    addActor(this.runtime, newActorRecord({ actorId: DEMO_ACTOR_ID, name: pool, key: "demo", pool, crashPolicy: "sleep", input: null, createTs: 0, state: "Sleeping" }));
    this.runtime.narrative(actorWorkflow(DEMO_ACTOR_ID), "Actor already<br/>created and sleeping", { actorId: DEMO_ACTOR_ID });
  }

  /**
   * An actor an earlier life of the engine stored. Its runners are gone with that process, so an
   * actor that was awake comes back asleep; its generation carries on, so a runner still holding
   * the old generation is told apart. The demo actor keeps its narrative note for the first cycle.
   */
  private restoreActor(stored: StoredActor): void {
    const identity: ActorIdentity = {
      actorId: stored.actorId,
      name: stored.name,
      key: stored.key,
      namespace: stored.namespace,
      runnerNameSelector: stored.runnerNameSelector,
      crashPolicy: stored.crashPolicy as CrashPolicy,
      input: stored.input,
      createTs: stored.createTs,
    };
    this.directory.add(identity);
    const destroyed = stored.state === "destroyed";
    const engineTime = (epoch: number | null) => (epoch === null ? null : epoch - this.toEpoch(0));
    const record = newActorRecord({
      actorId: stored.actorId,
      name: stored.runnerNameSelector,
      key: stored.key,
      pool: stored.runnerNameSelector,
      crashPolicy: identity.crashPolicy,
      input: stored.input,
      createTs: 0,
      state: destroyed ? "Destroyed" : "Sleeping",
    });
    record.generation = stored.generation;
    record.sleepTs = destroyed ? null : engineTime(stored.sleepTs ?? Date.now());
    record.destroyTs = engineTime(stored.destroyTs);
    this.storedLifecycle.set(stored.actorId, lifecycleKey(this.storedForm(identity, record)));
    if (destroyed) {
      this.runtime.applyWorld([{ op: "put-actor", actor: record }]);
      return;
    }
    addActor(this.runtime, record, engineTime(stored.alarmTs));
    if (stored.actorId === DEMO_ACTOR_ID) {
      this.runtime.narrative(actorWorkflow(DEMO_ACTOR_ID), "Actor already<br/>created and sleeping", { actorId: DEMO_ACTOR_ID });
    }
  }

  private storedForm(identity: ActorIdentity, record: ActorRecord | undefined): StoredActor {
    const epoch = (engineMs: number | null | undefined) => (engineMs === null || engineMs === undefined ? null : Math.round(this.toEpoch(engineMs)));
    return {
      actorId: identity.actorId,
      namespace: identity.namespace,
      name: identity.name,
      key: identity.key,
      runnerNameSelector: identity.runnerNameSelector,
      crashPolicy: identity.crashPolicy,
      input: identity.input,
      createTs: identity.createTs,
      generation: record?.generation ?? 0,
      state: storedState(record),
      sleepTs: record?.state === "Sleeping" ? epoch(record.sleepTs) : null,
      destroyTs: epoch(record?.destroyTs),
      alarmTs: record?.state === "Destroyed" ? null : epoch(this.runtime.stateOf<ActorWorkflowState>(actorWorkflow(identity.actorId))?.alarmAt),
    };
  }

  /** Stores the actors whose stored form changed since they were last written. */
  private persistActors(): void {
    if (this.touchedActors.size === 0) return;
    const changed: StoredActor[] = [];
    for (const actorId of this.touchedActors) {
      const identity = this.directory.get(actorId);
      if (!identity) continue;
      const stored = this.storedForm(identity, this.runtime.view.actor(actorId));
      const key = lifecycleKey(stored);
      if (this.storedLifecycle.get(actorId) === key) continue;
      this.storedLifecycle.set(actorId, key);
      changed.push(stored);
    }
    this.touchedActors.clear();
    if (changed.length > 0) this.writeState(() => saveActors(this.options.db, changed), "actors");
  }

  private persistPool(pool: PoolConfig): void {
    const { name, ...settings } = pool;
    this.writeState(() => saveRunnerConfig(this.options.db, this.namespace, { name, config: settings }), `runner config ${name}`);
  }

  private writeState(write: () => Promise<void>, what: string): void {
    this.stateWrites = this.stateWrites.then(write).catch((err: unknown) => console.error(`[wakeline] storing ${what} failed:`, err));
  }

  private afterStep(): void {
    this.persistActors();
    for (const actorId of this.kvToDrop) {
      if (this.runtime.view.actor(actorId)?.state !== "Destroyed") continue;
      this.kvToDrop.delete(actorId);
      void this.kv.drop(actorId).catch((err: unknown) => console.error(`[wakeline] dropping the KV of actor ${actorId} failed:`, err));
    }
  }
}

function storedState(record: ActorRecord | undefined): StoredActorState {
  if (!record || record.state === "Sleeping") return "sleeping";
  return record.state === "Destroyed" ? "destroyed" : "awake";
}

/** The parts of a stored actor that change over its life. */
function lifecycleKey(actor: StoredActor): string {
  return `${actor.state}/${actor.generation}/${actor.sleepTs ?? ""}/${actor.destroyTs ?? ""}/${actor.alarmTs ?? ""}`;
}

/** Actor ids: 20 lowercase letters and digits (never "@" or "/", which the gateway path uses). */
function newActorId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(20), (byte) => alphabet[byte % alphabet.length]).join("");
}
