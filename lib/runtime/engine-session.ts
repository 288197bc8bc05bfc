// Builds an engine (participants + runtime) for a scenario and turns its steps into inputs.
// Used both for instant runs (advance the virtual clock to the end) and paced ones.
import { DEFAULT_POOL, engineConfig, type EngineConfig, type TimingConfig } from "../engine/config";
import { endpointInstance } from "../engine/endpoint/endpoint";
import { instance, type ParticipantModule } from "../engine/core/module";
import { API, GATEWAY, actorWorkflow } from "../engine/core/refs";
import { newActorRecord } from "../engine/world";
import type { ParticipantRef, Role, TraceEvent } from "../trace/types";
import type { HopFault } from "./faults";
import { budgetedSink, type RunBudget } from "./run-budget";
import { addActor, buildEngine } from "./engine";
import type { EngineRuntime } from "./runtime";
import { toRole, type Scenario, type ScenarioStep } from "./scenario-schema";

/** A user of a scenario: it receives its answers, and that is all it does. */
const userModule: ParticipantModule<null> = { role: "User", step: (state) => ({ state, effects: [] }) };

export function scenarioConfig(scenario: Scenario): EngineConfig {
  const pools = scenario.pools.map((pool) => ({
    ...DEFAULT_POOL,
    ...Object.fromEntries(Object.entries(pool).filter(([, v]) => v !== undefined)),
    name: pool.name,
  }));
  return engineConfig({
    namespace: scenario.config.namespace,
    timing: scenario.config.timing as Partial<TimingConfig> | undefined,
    latency: {
      ...(scenario.config.latency?.defaultHopMs !== undefined ? { defaultHopMs: scenario.config.latency.defaultHopMs } : {}),
      hops: scenario.config.latency?.hops ?? {},
      processingMs: (scenario.config.latency?.processingMs ?? {}) as Partial<Record<Role, number>>,
    },
    pools,
    goingAwayOnDrain: scenario.config.goingAwayOnDrain,
  });
}

export function scenarioDuration(scenario: Scenario): number {
  const lastStep = scenario.steps.reduce((max, step) => Math.max(max, step.at), 0);
  return scenario.durationMs ?? lastStep + 30_000;
}

export class EngineSession {
  readonly runtime: EngineRuntime;
  private readonly users = new Set<string>();
  private requestCount = 0;
  /** Scenario socket id → the actor it was opened to. */
  private readonly sockets = new Map<string, string>();

  constructor(
    readonly scenario: Scenario,
    seed: number,
    sink: (event: TraceEvent) => void,
    budget: RunBudget = {},
  ) {
    const config = scenarioConfig(scenario);
    const faults: HopFault[] = scenario.faults.map((f) => ({ ...f, from: f.from ? toRole(f.from) : undefined, to: f.to ? toRole(f.to) : undefined }));
    // A scenario run records within its budget of events and heap (run-budget.ts).
    const failuresOf = (pool: string) => scenario.endpointFailures.filter((f) => f.pool === pool);
    this.runtime = buildEngine({
      config,
      seed,
      sink: budgetedSink(sink, budget),
      faults,
      endpointFor: (pool) => {
        const failures = failuresOf(pool.name);
        return endpointInstance(pool, { failuresLeft: failures.reduce((n, f) => n + f.times, 0), failureStatus: failures[0]?.status ?? 500 });
      },
    });
    for (const actor of scenario.actors) {
      addActor(
        this.runtime,
        newActorRecord({ actorId: actor.id, name: actor.pool, key: actor.key ?? null, pool: actor.pool, crashPolicy: actor.crashPolicy, input: null, createTs: 0, state: "Sleeping" }),
      );
    }
    for (const actor of scenario.actors) {
      this.runtime.narrative(actorWorkflow(actor.id), "Actor already<br/>created and sleeping", { actorId: actor.id });
    }
    for (const step of scenario.steps) this.runtime.at(step.at, () => this.perform(step));
  }

  private perform(step: ScenarioStep): void {
    const runtime = this.runtime;
    if ("request" in step) {
      const { actor, method, path, user, label } = step.request;
      const userRef = this.user(user);
      const requestId = `req-${++this.requestCount}`;
      runtime.inject(
        userRef,
        GATEWAY,
        { type: "UserRequest", requestId, actorId: actor, method, path, headers: {}, body: null },
        label ?? `${method} ${path}<br/>(request to actor endpoint)`,
      );
    } else if ("websocket" in step) {
      this.websocket(step.websocket);
    } else if ("note" in step) {
      const over = (Array.isArray(step.note.over) ? step.note.over : [step.note.over]).map((name) => this.instanceOf(toRole(name), step.note.actor));
      runtime.narrative(over[0], step.note.text, { to: over[1], actorId: step.note.actor ?? null });
    } else if ("create" in step) {
      const { actor, pool, key, crashPolicy } = step.create;
      runtime.command(API, { command: "create", msg: { type: "CreateActor", actorId: actor, name: pool, key: key ?? null, pool, crashPolicy, input: null } });
    } else if ("destroy" in step) {
      runtime.command(API, { command: "destroy", msg: { type: "DestroyActor", actorId: step.destroy.actor } });
    } else {
      this.fault(step.fault);
    }
  }

  private user(id: string): ParticipantRef {
    const ref: ParticipantRef = { role: "User", id };
    if (!this.users.has(id)) {
      this.users.add(id);
      this.runtime.add(instance(ref, userModule, null));
    }
    return ref;
  }

  /** A socket id names one socket, to the actor its first step named. */
  private websocket(step: Extract<ScenarioStep, { websocket: unknown }>["websocket"]): void {
    const runtime = this.runtime;
    const userRef = this.user(step.user);
    const requestId = `ws-${step.socket}`;
    const actorId = this.sockets.get(step.socket) ?? step.actor;
    if (!this.sockets.has(step.socket)) {
      this.sockets.set(step.socket, actorId);
      runtime.inject(userRef, GATEWAY, { type: "UserWebSocketOpen", requestId, actorId, path: step.path, headers: {} }, `WebSocket ${step.path}<br/>(to actor endpoint)`);
    }
    for (const data of step.send) {
      runtime.inject(userRef, GATEWAY, { type: "UserWebSocketMessage", requestId, actorId, data, binary: false }, "WebSocket message");
    }
    if (step.close) runtime.inject(userRef, GATEWAY, { type: "UserWebSocketClose", requestId, actorId, code: 1000, reason: null }, "Close 1000");
  }

  private fault(fault: Extract<ScenarioStep, { fault: unknown }>["fault"]): void {
    const runtime = this.runtime;
    if (fault.kind === "crash-actor") {
      const actor = fault.actor ? runtime.world.actors.get(fault.actor) : undefined;
      const runner = actor?.runnerId ? runtime.world.runners.get(actor.runnerId) : undefined;
      if (runner && actor) runtime.command({ role: "Runner", id: runner.processId }, { command: "crash-actor", actorId: actor.actorId });
      return;
    }
    const processId = `runner-${fault.runner ?? 1}`;
    const runner = [...runtime.world.runners.values()].find((r) => r.processId === processId);
    if (!runner) return;
    const pool = runtime.config.pools.find((p) => p.name === runner.name)?.name ?? "default";
    switch (fault.kind) {
      case "drain-runner":
        runtime.command({ role: "Serverless", id: pool }, { command: "drain-runner", runnerId: runner.runnerId });
        return;
      case "evict-runner":
        runtime.command({ role: "Serverless", id: pool }, { command: "evict-runner", runnerId: runner.runnerId });
        return;
      case "kill-runner":
        runtime.command({ role: "Runner", id: processId }, { command: "kill" });
        if (runner.connId) runtime.command({ role: "RunnerWS", id: runner.connId }, { command: "transport-closed" });
        return;
      case "disconnect-runner":
        if (runner.connId) runtime.command({ role: "RunnerWS", id: runner.connId }, { command: "transport-closed" });
        runtime.command({ role: "Runner", id: processId }, { command: "connection-lost" });
        return;
      case "silent-runner":
        // The process hangs: its socket stays open, nothing comes through it any more.
        runtime.command({ role: "Runner", id: processId }, { command: "fall-silent" });
        return;
    }
  }

  private instanceOf(role: Role, actor?: string): ParticipantRef {
    switch (role) {
      case "ActorWorkflow":
        return { role, id: actor ?? this.scenario.actors[0]?.id ?? "actor" };
      case "Gateway":
        return GATEWAY;
      case "API":
        return API;
      case "User":
        return { role, id: "user-1" };
      case "Serverless":
      case "ServerlessEndpoint":
        return { role, id: this.scenario.pools[0]?.name ?? "default" };
      default:
        return { role, id: "*" };
    }
  }
}
