// One live engine: the engine's participants on the real clock, recording everything into one Run
// (source "live"), with a default namespace, a default serverless pool and a demo actor asleep.
// The transports (lib/transport) feed it; the dashboard reads what it recorded from the database.
import { randomBytes, randomInt } from "node:crypto";
import { ActorWorkflow, newActorRecord } from "../engine/actor-workflow";
import { Api } from "../engine/api";
import { DEFAULT_POOL, engineConfig, type EngineConfig, type PoolConfig, type TimingConfig } from "../engine/config";
import type { CrashPolicy } from "../engine/messages";
import { API, actorWorkflow } from "../engine/participant";
import { Serverless } from "../engine/serverless";
import { createRecorder, type Recorder } from "../recorder";
import { EngineRuntime } from "../runtime/runtime";
import type { Db } from "../store/db";
import type { ParticipantRef } from "../trace/types";
import type { EngineHost } from "../transport/host";
import { KvStore } from "../transport/kv-store";
import { LiveGateway } from "../transport/live-gateway";
import type { ActorStartConfig, CauseContext } from "../transport/remote-runner";
import { ServerlessStartClient } from "../transport/serverless-client";
import { TunnelRegistry } from "../transport/tunnels";
import { systemClock, type LiveClock } from "./clock";
import { ActorDirectory, type ActorIdentity } from "./directory";
import { LiveDriver } from "./driver";

export const DEMO_ACTOR_ID = "demo";
export const DEFAULT_START_TIMEOUT_MS = 30_000;

export interface LiveSessionOptions {
  db: Db;
  /** This engine's URL as runners reach it (sent to serverless endpoints as x-rivet-endpoint). */
  engineUrl: string;
  clock?: LiveClock;
  namespace?: string;
  timing?: Partial<TimingConfig>;
  /** The default pool (runner name "default"); its `url` defaults to the built-in endpoint. null: no default pool. */
  defaultPool?: Partial<PoolConfig> | null;
  /** Create the demo actor, asleep, at start (default true). */
  demoActor?: boolean;
  /** How long a serverless `/start` may take to deliver its runner's init. */
  startTimeoutMs?: number;
  runName?: string;
}

export interface CreateActorInput {
  name: string;
  key: string | null;
  runnerNameSelector: string;
  crashPolicy: CrashPolicy;
  input: string | null;
}

export class LiveSession implements EngineHost {
  readonly runtime: EngineRuntime;
  readonly driver: LiveDriver;
  readonly recorder: Recorder;
  readonly namespace: string;
  readonly config: EngineConfig;
  readonly directory = new ActorDirectory();
  readonly tunnels = new TunnelRegistry(randomBytes(4).readUInt32BE(0));
  readonly kv: KvStore;
  private readonly endpoints = new Map<string, ServerlessStartClient>();
  private readonly kvToDrop = new Set<string>();
  private recordError: unknown = null;
  private closed = false;

  constructor(private readonly options: LiveSessionOptions) {
    this.namespace = options.namespace ?? "default";
    const pools = options.defaultPool === null ? [] : [{ ...DEFAULT_POOL, url: `${options.engineUrl}/api/serverless`, ...options.defaultPool }];
    this.config = engineConfig({
      namespace: this.namespace,
      timing: options.timing,
      // Real time passes on its own: no simulated hop or step latency.
      latency: { defaultHopMs: 0, processingMs: { ActorWorkflow: 0, RunnerWorkflow: 0, Serverless: 0 } },
      pools,
    });
    this.kv = new KvStore(options.db);
    this.recorder = createRecorder(options.db, { name: options.runName ?? "Live engine", source: "live", config: this.config });
    this.runtime = new EngineRuntime({
      config: this.config,
      seed: randomInt(0, 2 ** 31),
      sink: (event) => {
        // Whatever happens after the run ended (sockets closing on shutdown) is not part of it.
        if (this.closed) return;
        try {
          this.recorder.record(event);
        } catch (err) {
          // The database stopped taking events: keep serving, say it once.
          if (this.recordError === null) console.error("[wakeline] live recording failed:", err);
          this.recordError ??= err;
        }
      },
    });
    this.driver = new LiveDriver(this.runtime, options.clock ?? systemClock);
    this.driver.onAfterStep(() => this.afterStep());
    this.driver.input(() => {
      this.runtime.add(new LiveGateway());
      this.runtime.add(new Api());
      for (const pool of pools) this.addPool(pool);
      if (options.demoActor !== false && pools.length > 0) this.addDemoActor(pools[0].name);
    });
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
      return { created: false };
    }
    const pool: PoolConfig = { ...settings, name };
    this.config.pools.push(pool);
    this.driver.input(() => this.addPool(pool));
    return { created: true };
  }

  createActor(input: CreateActorInput): ActorIdentity {
    const identity: ActorIdentity = { actorId: newActorId(), namespace: this.namespace, createTs: Date.now(), ...input };
    this.directory.add(identity);
    this.driver.input(() =>
      this.runtime.command(API, "create", {
        type: "CreateActor",
        actorId: identity.actorId,
        name: identity.runnerNameSelector,
        key: identity.key,
        pool: identity.runnerNameSelector,
        crashPolicy: identity.crashPolicy,
        input: identity.input,
      }),
    );
    return identity;
  }

  destroyActor(actorId: string): void {
    this.kvToDrop.add(actorId);
    this.driver.input(() => this.runtime.command(API, "destroy", { type: "DestroyActor", actorId }));
  }

  /** Stops the engine and ends the run (its cycles are computed and stored). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const endpoint of this.endpoints.values()) endpoint.closeAll();
    this.driver.stop();
    await this.recorder.finish(this.recordError ? "failed" : "finished", this.recordError ? String(this.recordError) : null).catch(() => undefined);
  }

  /** Everything recorded so far is in the database. */
  flush(): Promise<void> {
    return this.recorder.flush();
  }

  private addPool(pool: PoolConfig): void {
    const client = new ServerlessStartClient(pool, this, {
      engineUrl: this.options.engineUrl,
      startTimeoutMs: this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    });
    this.endpoints.set(pool.name, client);
    this.runtime.add(new Serverless(pool));
    this.runtime.add(client);
  }

  private addDemoActor(pool: string): void {
    this.directory.add({ actorId: DEMO_ACTOR_ID, name: "demo", key: "demo", namespace: this.namespace, runnerNameSelector: pool, crashPolicy: "sleep", input: null, createTs: Date.now() });
    this.runtime.world.actors.set(
      DEMO_ACTOR_ID,
      newActorRecord({ actorId: DEMO_ACTOR_ID, name: pool, key: "demo", pool, crashPolicy: "sleep", input: null, createTs: 0, state: "Sleeping" }),
    );
    this.runtime.add(new ActorWorkflow(DEMO_ACTOR_ID));
    this.runtime.narrative(actorWorkflow(DEMO_ACTOR_ID), "Actor already<br/>created and sleeping", { actorId: DEMO_ACTOR_ID });
  }

  private afterStep(): void {
    for (const endpoint of this.endpoints.values()) endpoint.afterStep();
    for (const actorId of this.kvToDrop) {
      if (this.runtime.world.actors.get(actorId)?.state !== "Destroyed") continue;
      this.kvToDrop.delete(actorId);
      void this.kv.drop(actorId).catch((err: unknown) => console.error(`[wakeline] dropping the KV of actor ${actorId} failed:`, err));
    }
  }
}

/** Actor ids: 20 lowercase letters and digits (never "@" or "/", which the gateway path uses). */
function newActorId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(20), (byte) => alphabet[byte % alphabet.length]).join("");
}
