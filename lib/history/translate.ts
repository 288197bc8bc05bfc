// Workflow histories → trace items on the Actor Workflow, Runner Workflow and Serverless lines,
// joined to the wire trace by actor id, generation and command index (commands and events), by
// runner id (connections), by signal id (one workflow's `signal send` is another's `signal recv`)
// and by time (the gateway request a wake served, the `GET /start` a pool's decision caused).
// Notes come from activity outputs ("No runners available, Start pending", "Desired: 1", …), and
// each actor gets the `state` notes the cycle detection reads. Pure.
import type { EventKind, ParticipantRef } from "@/lib/trace/types";
import { flattenEvents } from "./parse";
import type { HistoryEvent, WorkflowHistory } from "./types";
import { checkpointKey, connectionAt, type WireIndex } from "./wire-index";

/** An item, a wire event, or the item that draws a signal (else, when no sender drew it, `otherwise`). */
export type Ref = { item: string } | { wire: number } | { signal: string; otherwise?: Ref | null };

export interface HistoryItem {
  key: string;
  /** Epoch milliseconds. */
  at: number;
  kind: EventKind;
  from: ParticipantRef;
  to: ParticipantRef | null;
  type: string;
  label: string;
  payload: unknown;
  actorId: string | null;
  runnerId: string | null;
  housekeeping: boolean;
  cause: Ref | null;
  relayOf: Ref | null;
}

export interface PhaseSpec {
  label: string;
  owner: ParticipantRef;
  opener: Ref;
  closer: Ref | null;
}

export interface WirePatch {
  cause?: Ref;
  relayOf?: Ref;
}

export interface Translation {
  items: HistoryItem[];
  phases: PhaseSpec[];
  /** Causes and relays the history proves for wire events. */
  patches: Map<number, WirePatch>;
  /** Signal id → the item that draws it (sender side when known). */
  signals: Map<string, string>;
  /** Actors whose workflow history was read: their wire-side state notes give way to the workflow's. */
  actorsWithHistory: Set<string>;
  /** Runner id → its "Create runner workflow" item. */
  runnerWorkflows: Map<string, string>;
}

export interface TranslateOptions {
  /** The recording's window, epoch milliseconds (`fromMs` is the run's time 0): history outside it is context only. */
  fromMs: number;
  toMs: number;
  /** When a signal was sent (epoch ms), from the engine's trace spans; absent without spans. */
  signalSentAt?: (signalId: string) => number | null;
}

const GATEWAY: ParticipantRef = { role: "Gateway", id: "gateway" };
const API: ParticipantRef = { role: "API", id: "api" };
const awf = (actorId: string): ParticipantRef => ({ role: "ActorWorkflow", id: actorId });
const rwf = (runnerId: string): ParticipantRef => ({ role: "RunnerWorkflow", id: runnerId });
const pool = (name: string): ParticipantRef => ({ role: "Serverless", id: name });
const endpoint = (name: string): ParticipantRef => ({ role: "ServerlessEndpoint", id: name });

const ACTOR_WORKFLOWS = new Set(["pegboard_actor", "pegboard_actor2"]);
const RUNNER_WORKFLOWS = new Set(["pegboard_runner2", "pegboard_runner"]);
const POOL_WORKFLOWS = new Set(["pegboard_runner_pool2", "pegboard_runner_pool"]);

/** The order workflows are translated in: senders of signals before their receivers where it helps. */
function rank(name: string): number {
  if (POOL_WORKFLOWS.has(name)) return 0;
  if (RUNNER_WORKFLOWS.has(name)) return 1;
  if (ACTOR_WORKFLOWS.has(name)) return 2;
  return 3;
}

export function translateHistories(histories: readonly WorkflowHistory[], wire: WireIndex, options: TranslateOptions): Translation {
  const out: Translation = { items: [], phases: [], patches: new Map(), signals: new Map(), actorsWithHistory: new Set(), runnerWorkflows: new Map() };
  const workflowActor = new Map<string, string>();
  const workflowPool = new Map<string, string>();
  for (const h of histories) {
    if (ACTOR_WORKFLOWS.has(h.name) && typeof h.tags.actor_id === "string") workflowActor.set(h.id, h.tags.actor_id);
    if (POOL_WORKFLOWS.has(h.name) && typeof h.tags.runner_name === "string") workflowPool.set(h.id, h.tags.runner_name);
  }
  const ctx = new Context(out, wire, options, workflowActor, workflowPool);
  const conns = histories.filter((h) => h.name === "pegboard_serverless_conn2");
  for (const h of [...histories].sort((a, b) => rank(a.name) - rank(b.name))) {
    if (POOL_WORKFLOWS.has(h.name)) translatePool(ctx, h, histories, conns);
    else if (RUNNER_WORKFLOWS.has(h.name)) translateRunner(ctx, h);
    else if (ACTOR_WORKFLOWS.has(h.name)) translateActor(ctx, h);
  }
  ctx.finish();
  return out;
}

class Context {
  private counter = 0;
  /** Wire `GET /start`s already joined to a pool's decision. */
  readonly claimedStarts = new Set<number>();
  /** Signals received whose sender was not read: drawn from the receiver's side at the end. */
  private readonly unsentSignals: (() => void)[] = [];

  constructor(
    readonly out: Translation,
    readonly wire: WireIndex,
    readonly options: TranslateOptions,
    readonly workflowActor: ReadonlyMap<string, string>,
    readonly workflowPool: ReadonlyMap<string, string>,
  ) {}

  inWindow(at: number): boolean {
    return at >= this.options.fromMs && at <= this.options.toMs;
  }

  /** Adds an item (when inside the recording's window) and returns its key, else null. */
  add(item: Omit<HistoryItem, "key" | "payload" | "actorId" | "runnerId" | "housekeeping" | "cause" | "relayOf" | "to" | "kind"> & Partial<HistoryItem>): string | null {
    if (!this.inWindow(item.at)) return null;
    this.counter += 1;
    const key = item.key ?? `h${this.counter}`;
    this.out.items.push({
      kind: "message",
      to: null,
      payload: null,
      actorId: null,
      runnerId: null,
      housekeeping: false,
      cause: null,
      relayOf: null,
      ...item,
      key,
    });
    return key;
  }

  note(over: ParticipantRef, at: number, type: string, label: string, rest: Partial<HistoryItem> = {}): string | null {
    return this.add({ ...rest, kind: "note", from: over, at, type, label });
  }

  patch(wireSeq: number, patch: WirePatch): void {
    this.out.patches.set(wireSeq, { ...this.out.patches.get(wireSeq), ...patch });
  }

  laterSignal(draw: () => void): void {
    this.unsentSignals.push(draw);
  }

  finish(): void {
    for (const draw of this.unsentSignals) draw();
  }
}

function ref(key: string | null): Ref | null {
  return key === null ? null : { item: key };
}

function events(history: WorkflowHistory): HistoryEvent[] {
  return flattenEvents(history.events).filter((e) => !e.removed && e.created !== null);
}

function output(event: HistoryEvent): unknown {
  return event.fields.output;
}

function input(event: HistoryEvent): Record<string, unknown> {
  const value = event.fields.input;
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

// MARK: actor workflows

type State = "Sleeping" | "Pending" | "Starting" | "Running" | "SleepIntent" | "StopIntent" | "Destroyed";

function translateActor(ctx: Context, history: WorkflowHistory): void {
  const actorId = str(history.tags.actor_id);
  if (!actorId) return;
  ctx.out.actorsWithHistory.add(actorId);
  const gen3 = history.name === "pegboard_actor2";
  const info = (history.input ?? {}) as Record<string, unknown>;
  const poolName = str(info.runner_name_selector) ?? str(info.pool_name) ?? "default";
  const line = awf(actorId);
  const all = events(history);
  let state: State | null = null;
  let generation = 0;
  let runnerId: string | null = null;
  const commandIndex = new Map<number, number>();
  /** The item that set the current chain going (wake, allocation, event), for causes. */
  let lead: string | null = null;
  let wakeRequest: number | null = null;
  let allocationPhase: PhaseSpec | null = null;
  let destroying = false;
  let announcedStart = false;
  let lastCompareRetry: HistoryEvent | null = null;

  const setState = (to: State, at: number, cause: string | null) => {
    if (state === to) return;
    const from = state;
    state = to;
    if (!ctx.inWindow(at)) return;
    if (!announcedStart && from === "Sleeping") announceSleeping(at);
    announcedStart = true;
    ctx.note(line, at, "state", `${from ?? "(created)"} → ${to}`, {
      actorId,
      runnerId,
      housekeeping: true,
      cause: ref(cause),
      payload: { from, to, generation, runnerId, origin: "workflow-history", workflowId: history.id },
    });
  };
  /** Once per actor: it was created and asleep when the recording began. */
  const announceSleeping = (at: number) => {
    ctx.note(line, Math.min(at, ctx.options.fromMs), "narrative", "Actor already<br/>created and sleeping", { actorId, payload: { origin: "workflow-history", state: "Sleeping" } });
  };
  const openAllocation = (opener: string | null) => {
    if (opener === null || allocationPhase !== null) return;
    allocationPhase = { label: "actor allocation", owner: line, opener: { item: opener }, closer: null };
    ctx.out.phases.push(allocationPhase);
  };
  const closeAllocation = (closer: string | null) => {
    if (allocationPhase && closer !== null) allocationPhase.closer = { item: closer };
    allocationPhase = null;
  };
  const rwsOf = (runner: string | null, at: number): ParticipantRef => {
    if (!runner) return { role: "RunnerWS", id: "runner" };
    return connectionAt(ctx.wire, runner, at)?.socket ?? { role: "RunnerWS", id: `runner ${runner}` };
  };

  for (let i = 0; i < all.length; i++) {
    const e = all[i];
    const at = e.created!;
    switch (e.kind) {
      case "activity":
        switch (e.name) {
          case "insert_state_and_db": {
            // What asked for it: an API create, or a gateway request addressing the actor by key.
            const runAt = at - ctx.options.fromMs;
            const calls = [
              ...ctx.wire.api.filter((c) => c.actorId === actorId && (c.method === "POST" || c.method === "PUT") && c.path === "/actors" && c.time <= runAt + 1).map((c) => ({ seq: c.requestSeq, time: c.time, from: API })),
              ...ctx.wire.requests.filter((r) => r.createsActor && r.actorId === actorId && r.time <= runAt + 1).map((r) => ({ seq: r.seq, time: r.time, from: GATEWAY })),
            ].sort((a, b) => b.time - a.time);
            const create = calls[0];
            lead = ctx.add({ at, from: create?.from ?? API, to: line, type: "CreateActor", label: `Create actor ${str(info.name) ?? ""}`.trim(), actorId, cause: create ? { wire: create.seq } : null, payload: { input: e.fields.input, workflowId: history.id } });
            break;
          }
          case "compare_retry":
            lastCompareRetry = e;
            break;
          case "allocate_actor_v2":
          case "allocate": {
            generation = typeof input(e).generation === "number" ? (input(e).generation as number) : generation;
            const result = output(e) as { status?: { pending?: unknown; allocated?: { runner_id?: string } }; allocation?: unknown } | null;
            const note = ctx.note(line, at, "allocate", "Allocate", { actorId, cause: ref(lead), payload: { output: result, generation } });
            openAllocation(note);
            lead = note ?? lead;
            if (result?.status?.pending !== undefined) {
              lead = ctx.note(line, at, "no-runners-pending", "No runners available,<br/>Start pending", { actorId, cause: ref(lead), payload: result.status.pending }) ?? lead;
              setState("Pending", at, lead);
            } else if (result?.status?.allocated) {
              runnerId = result.status.allocated.runner_id ?? runnerId;
              lead = ctx.note(line, at, "allocated", `Allocated to runner<br/>${runnerId}`, { actorId, runnerId, cause: ref(lead), payload: result.status.allocated }) ?? lead;
              setState("Starting", at, lead);
            } else if (gen3 && result?.allocation !== undefined) {
              const how = typeof result.allocation === "string" ? result.allocation : JSON.stringify(result.allocation);
              lead = ctx.note(line, at, "allocated", `Allocation: ${how}`, { actorId, cause: ref(lead), payload: result }) ?? lead;
              setState("Pending", at, lead);
            }
            break;
          }
          case "send_outbound": {
            // Gen 3: the actor workflow asks for a serverless start itself (`POST /start`).
            const outbound = ctx.add({ at, from: line, to: pool(poolName), type: "Outbound", label: "Start through<br/>serverless outbound", actorId, cause: ref(lead), payload: { input: e.fields.input } });
            const start = ctx.wire.starts.find((s) => s.actorId === actorId && s.time >= at - ctx.options.fromMs - 50 && (s.generation === null || s.generation === generation));
            if (start && outbound) ctx.patch(start.seq, { cause: { item: outbound } });
            commandIndex.set(generation, (commandIndex.get(generation) ?? 0) + 1);
            lead = outbound ?? lead;
            break;
          }
          case "insert_and_send_commands": {
            const args = input(e);
            const gen = typeof args.generation === "number" ? args.generation : generation;
            runnerId = str(args.runner_id) ?? str(args.envoy_key) ?? runnerId;
            const commands = Array.isArray(args.commands) ? args.commands : [];
            for (const command of commands) {
              const name = typeof command === "string" ? command : Object.keys(command as object)[0] ?? "Command";
              const index = commandIndex.get(gen) ?? 0;
              commandIndex.set(gen, index + 1);
              const short = name.replace(/^Command/, "");
              const checkpoint = { actorId, generation: gen, index };
              const key = ctx.add({ at, from: line, to: rwsOf(runnerId, at - ctx.options.fromMs), type: name, label: `Send ${short}`, actorId, runnerId, cause: ref(lead), payload: { checkpoint, command, origin: "workflow-history" } });
              const delivered = ctx.wire.commands.get(checkpointKey(actorId, gen, index));
              if (key && delivered !== undefined) ctx.patch(delivered, { cause: { item: key }, relayOf: { item: key } });
              lead = key ?? lead;
              if (name === "CommandStartActor") setState("Starting", at, lead);
            }
            break;
          }
          case "set_started":
          case "set_connectable":
            setState("Running", at, lead);
            break;
          case "set_sleeping": {
            if (state === "SleepIntent" || state === "Sleeping") break;
            lead = ctx.note(line, at, "mark-sleeping", "Mark as sleeping", { actorId, runnerId, cause: ref(lead) }) ?? lead;
            setState("SleepIntent", at, lead);
            break;
          }
          case "set_failure_reason": {
            const reason = input(e).failure_reason;
            const what = reason && typeof reason === "object" ? Object.keys(reason)[0] : String(reason);
            ctx.note(line, at, "failure-reason", `Failure reason: ${what}`, { actorId, runnerId, cause: ref(lead), payload: reason });
            break;
          }
          case "deallocate": {
            lead = ctx.note(line, at, "deallocate", "Deallocate", { actorId, runnerId, cause: ref(lead), payload: { output: output(e), generation } }) ?? lead;
            closeAllocation(lead);
            setState(destroying ? "Destroyed" : "Sleeping", at, lead);
            runnerId = null;
            break;
          }
          default:
            break;
        }
        break;
      case "sleep": {
        // A sleep right after `compare_retry` that ran to its deadline is the crash backoff.
        const deadline = typeof e.fields.deadline === "string" ? parseDeadline(e.fields.deadline) : null;
        if (lastCompareRetry && e.fields.state === "uninterrupted" && deadline !== null) {
          const delay = Math.max(0, Math.round(deadline - at));
          lead = ctx.note(line, at, "backoff", `Reallocate in ${delay} ms<br/>(reschedule backoff)`, { actorId, cause: ref(lead), payload: { delayMs: delay, compareRetry: output(lastCompareRetry) } }) ?? lead;
        }
        lastCompareRetry = null;
        break;
      }
      case "signal recv":
        for (const signal of e.signals) {
          lead = onActorSignal(signal, at) ?? lead;
        }
        break;
      case "signal send": {
        const target = str(e.fields["to workflow id"]);
        const id = str(e.fields.id);
        if (e.name === "pegboard_runner_pool_bump") {
          const poolName2 = (target && ctx.workflowPool.get(target)) ?? poolName;
          const key = ctx.add({ at, from: line, to: pool(poolName2), type: "Bump", label: "Bump", actorId, cause: ref(lead), payload: { signalId: id, body: e.fields.body, workflowId: target } });
          if (key && id) ctx.out.signals.set(id, key);
        }
        break;
      }
      case "message send":
        if (e.name === "pegboard_actor_ready" || e.name === "pegboard_actor2_ready") {
          const body = (e.fields.body ?? {}) as Record<string, unknown>;
          runnerId = str(body.runner_id) ?? str(body.envoy_key) ?? runnerId;
          const publish = ctx.note(line, at, "publish-ready", "Publish Ready msg", { actorId, runnerId, cause: ref(lead) });
          closeAllocation(publish);
          const ready = ctx.add({ at, from: line, to: GATEWAY, type: "Ready", label: `Receive runner ID<br/>${runnerId ?? ""}`.trim(), actorId, runnerId, cause: ref(publish ?? lead), payload: { runnerId, generation, body } });
          // The gateway sends the request it held to the runner once it hears Ready.
          const held = wakeRequest === null ? null : ctx.wire.requests.find((r) => r.seq === wakeRequest);
          if (ready && held?.tunnelSeq) ctx.patch(held.tunnelSeq, { cause: { item: ready } });
          for (const waiting of ctx.wire.requests) {
            if (!ready || waiting === held || waiting.actorId !== actorId || waiting.tunnelSeq === null) continue;
            const readyAt = at - ctx.options.fromMs;
            if (waiting.time <= readyAt && waiting.tunnelTime !== null && waiting.tunnelTime >= readyAt) ctx.patch(waiting.tunnelSeq, { cause: { item: ready } });
          }
          wakeRequest = null;
          lead = ready ?? lead;
        } else if (e.name === "pegboard_actor_stopped" || e.name === "pegboard_actor2_stopped") {
          // Drawn as the embedded engine and the reference diagrams draw it.
          lead = ctx.note(line, at, "send-stopped", "Send Stopped msg", { actorId, cause: ref(lead) }) ?? lead;
        }
        break;
      default:
        break;
    }
  }
  if (history.status === "complete" && state !== "Destroyed" && destroying) setState("Destroyed", all.at(-1)?.created ?? ctx.options.toMs, lead);

  function onActorSignal(signal: HistoryEvent["signals"][number], at: number): string | null {
    const body = (signal.body ?? {}) as Record<string, unknown>;
    switch (signal.name) {
      case "pegboard_actor_wake":
      case "pegboard_actor2_wake": {
        const runAt = at - ctx.options.fromMs;
        const request = ctx.wire.requests.find((r) => r.actorId === actorId && r.time <= runAt && (r.answeredAt === null || r.answeredAt >= runAt) && (r.tunnelTime === null || r.tunnelTime >= runAt)) ?? null;
        wakeRequest = request?.seq ?? null;
        const cause: Ref | null = request ? { wire: request.seq } : null;
        // The history stamps the wake when the workflow took it; the sender's span, when there are
        // spans, says when the gateway sent it. Without one it is drawn just before it was taken.
        const sentAt = signal.id ? (ctx.options.signalSentAt?.(signal.id) ?? null) : null;
        const wakeAt = sentAt !== null && sentAt < at ? sentAt : at - 0.002;
        if (request) ctx.note(GATEWAY, wakeAt - 0.001, "actor-sleeping", "Actor sleeping", { actorId, cause });
        const timing = sentAt !== null && sentAt < at ? { sentAt, timedBy: "otlp" } : {};
        const wake = ctx.add({ at: wakeAt, from: request ? GATEWAY : API, to: line, type: "Wake", label: "Wake", actorId, cause, payload: { signalId: signal.id, body, retry: false, consumedAt: at, ...timing } });
        if (request) ctx.note(GATEWAY, Math.min(wakeAt + 0.001, at - 0.001), "await-ready", "Await actor ready", { actorId, cause });
        if (wake && signal.id) ctx.out.signals.set(signal.id, wake);
        // Woken while it was still stopping: the workflow starts it again once it has stopped.
        if (state === "SleepIntent" || state === "StopIntent") {
          return ctx.note(line, at, "defer-wake", "Actor is currently marked<br/>as sleeping but has not stopped<br/>yet, defer wake after stop", { actorId, cause: ref(wake) }) ?? wake;
        }
        return wake;
      }
      case "pegboard_actor_allocate": {
        runnerId = str(body.runner_id) ?? runnerId;
        const id = signal.id;
        const sender = id ? ctx.out.signals.get(id) : undefined;
        let key: string | null = sender ?? null;
        if (!sender) {
          key = ctx.add({ at, from: rwf(runnerId ?? "runner"), to: line, type: "Allocate", label: "Allocate", actorId, runnerId, payload: { signalId: id, body } });
          if (key && id) ctx.out.signals.set(id, key);
        }
        setState("Starting", at, key);
        return key;
      }
      case "pegboard_actor_events":
      case "pegboard_actor2_events": {
        let last: string | null = null;
        const list = Array.isArray(body.events) ? (body.events as Record<string, unknown>[]) : [];
        for (const event of list) {
          const checkpoint = (event.checkpoint ?? {}) as { actor_id?: string; generation?: number; index?: number };
          const inner = (event.inner ?? {}) as Record<string, unknown>;
          const { type, label, housekeeping, detail } = describeEvent(inner);
          const gen = checkpoint.generation ?? generation;
          const wireSeq = ctx.wire.events.get(checkpointKey(actorId!, gen, checkpoint.index ?? -1));
          const from = rwsOf(str(body.runner_id) ?? str(body.envoy_key) ?? runnerId, at - ctx.options.fromMs);
          const key = ctx.add({
            at,
            from,
            to: line,
            type,
            label,
            actorId,
            runnerId,
            housekeeping,
            cause: wireSeq !== undefined ? { wire: wireSeq } : ref(lead),
            relayOf: wireSeq !== undefined ? { wire: wireSeq } : null,
            payload: { checkpoint: { actorId, generation: gen, index: checkpoint.index ?? null }, ...detail, signalId: signal.id, origin: "workflow-history" },
          });
          if (!housekeeping) last = key ?? last;
          if (detail.intent === "Sleep" || detail.intent === "Stop") lead = key ?? lead;
        }
        return last;
      }
      case "pegboard_actor_destroy":
      case "pegboard_actor2_destroy": {
        destroying = true;
        const call = ctx.wire.api.find((c) => c.method === "DELETE" && c.path === `/actors/${actorId}`);
        return ctx.add({ at, from: API, to: line, type: "DestroyActor", label: "Destroy actor", actorId, cause: call ? { wire: call.requestSeq } : null, payload: { signalId: signal.id, body } });
      }
      case "pegboard_actor_lost":
      case "pegboard_actor_going_away": {
        const lost = signal.name === "pegboard_actor_lost";
        // The runner workflow sends both (its runner was lost, or is draining): drawn from it, as
        // the embedded engine draws them, when the actor's runner is known.
        if (runnerId) return ctx.add({ at, from: rwf(runnerId), to: line, type: lost ? "Lost" : "GoingAway", label: lost ? "Actor lost" : "Going away", actorId, runnerId, cause: ref(lead), payload: { ...body, signalId: signal.id } });
        return ctx.note(line, at, lost ? "actor-lost" : "going-away", lost ? "Actor lost" : "Runner going away", { actorId, cause: ref(lead), payload: body });
      }
      default:
        return null;
    }
  }
}

function describeEvent(inner: Record<string, unknown>): { type: string; label: string; housekeeping: boolean; detail: Record<string, unknown> } {
  const [tag] = Object.keys(inner);
  const value = inner[tag] as Record<string, unknown> | undefined;
  switch (tag) {
    case "EventActorStateUpdate": {
      const state = value?.state;
      if (state === "ActorStateRunning") return { type: tag, label: "Actor state update: Running", housekeeping: false, detail: { state: "Running" } };
      const stopped = (state as { ActorStateStopped?: { code?: string; message?: string | null } })?.ActorStateStopped ?? {};
      return { type: tag, label: "Actor state update: Stopped", housekeeping: false, detail: { state: "Stopped", code: stopped.code ?? null, message: stopped.message ?? null } };
    }
    case "EventActorIntent": {
      const intent = value?.intent === "ActorIntentSleep" ? "Sleep" : "Stop";
      return { type: tag, label: `Actor intent: ${intent}`, housekeeping: false, detail: { intent } };
    }
    case "EventActorSetAlarm":
      return { type: tag, label: value?.alarm_ts === null ? "Actor clear alarm" : "Actor set alarm", housekeeping: true, detail: { alarmTs: value?.alarm_ts ?? null } };
    default:
      return { type: tag ?? "Event", label: tag ?? "Event", housekeeping: true, detail: {} };
  }
}

function parseDeadline(text: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)/.exec(text);
  return match ? Date.parse(`${match[1]}T${match[2]}Z`) : null;
}

// MARK: runner workflows

function translateRunner(ctx: Context, history: WorkflowHistory): void {
  const runnerId = str(history.tags.runner_id);
  if (!runnerId) return;
  const line = rwf(runnerId);
  const all = events(history);
  const first = all[0];
  let lead: string | null = null;
  if (first) {
    const at = first.created!;
    const connection = connectionAt(ctx.wire, runnerId, at - ctx.options.fromMs);
    lead = ctx.add({
      at,
      from: connection?.socket ?? { role: "RunnerWS", id: `runner ${runnerId}` },
      to: line,
      type: "CreateRunnerWorkflow",
      label: "Create runner workflow",
      runnerId,
      cause: connection ? { wire: connection.connectSeq } : null,
      payload: { workflowId: history.id, input: history.input, origin: "workflow-history" },
    });
    if (lead) ctx.out.runnerWorkflows.set(runnerId, lead);
  }
  let pendingAllocations = new Map<string, string>();
  for (const e of all) {
    const at = e.created!;
    if (e.kind === "activity" && e.name === "allocate_pending_actors") {
      const result = output(e) as { allocations?: { actor_id?: string }[] } | null;
      const allocations = result?.allocations ?? [];
      const note = ctx.note(line, at, "allocate-pending", allocations.length > 0 ? "Allocate pending actors" : "Allocate pending actors<br/>(none waiting)", {
        runnerId,
        cause: ref(lead),
        housekeeping: allocations.length === 0,
        payload: result,
      });
      pendingAllocations = new Map(allocations.flatMap((a) => (a.actor_id && note ? [[a.actor_id, note] as [string, string]] : [])));
    } else if (e.kind === "signal send" && e.name === "pegboard_actor_allocate") {
      const target = str(e.fields["to workflow id"]);
      const actorId = (target && ctx.workflowActor.get(target)) ?? [...pendingAllocations.keys()][0] ?? null;
      const id = str(e.fields.id);
      const key = ctx.add({
        at,
        from: line,
        to: awf(actorId ?? target ?? "actor"),
        type: "Allocate",
        label: "Allocate",
        actorId,
        runnerId,
        cause: ref((actorId && pendingAllocations.get(actorId)) ?? lead),
        payload: { signalId: id, body: e.fields.body, workflowId: target },
      });
      if (key && id) ctx.out.signals.set(id, key);
    } else if (e.kind === "signal recv") {
      for (const signal of e.signals) {
        if (signal.name === "pegboard_runner_init") continue;
        const label = signal.name === "pegboard_runner_stop" ? "Stop runner" : signal.name === "pegboard_runner_drain" ? "Drain runner" : signal.name.replace(/^pegboard_/, "");
        ctx.note(line, at, signal.name.replace(/^pegboard_/, ""), label, { runnerId, payload: { signalId: signal.id, body: signal.body } });
      }
    }
  }
}

// MARK: serverless pools

function translatePool(ctx: Context, history: WorkflowHistory, all: readonly WorkflowHistory[], conns: readonly WorkflowHistory[]): void {
  const name = str(history.tags.runner_name);
  if (!name) return;
  const line = pool(name);
  const list = events(history);
  let lastBump: string | null = null;
  const receivers = new Set<string>();
  const decisions: { at: number; note: string | null }[] = [];
  let configChange: Ref | null = null;
  for (const e of list) {
    const at = e.created!;
    if (e.kind === "signal recv") {
      for (const signal of e.signals) {
        if (signal.name !== "pegboard_runner_pool_bump" || !signal.id) continue;
        lastBump = signal.id;
        // A config change bumps the pool from the API: the PUT seen on the wire just before.
        const changed = (signal.body as { endpoint_config_changed?: unknown } | null)?.endpoint_config_changed === true;
        const put = changed ? [...ctx.wire.api].reverse().find((c) => c.method === "PUT" && c.path === `/runner-configs/${encodeURIComponent(name)}` && c.time <= at - ctx.options.fromMs) : undefined;
        configChange = put ? { wire: put.requestSeq } : null;
      }
    } else if (e.kind === "activity" && e.name === "read_desired") {
      const desired = (output(e) as { Desired?: { desired_count?: number } } | null)?.Desired?.desired_count;
      if (typeof desired !== "number") continue;
      const bump = lastBump;
      lastBump = null;
      const cause: Ref | null = bump ? { signal: bump, otherwise: configChange } : null;
      configChange = null;
      const note = ctx.note(line, at, "desired", `Desired: ${desired}`, { cause, housekeeping: bump === null, payload: { desiredCount: desired, signalId: bump } });
      decisions.push({ at, note });
    } else if (e.kind === "sub workflow" && e.name === "pegboard_serverless_receiver2") {
      const id = str(e.fields.id);
      if (id) receivers.add(id);
      const decision = decisions.at(-1)?.note ?? null;
      const key = ctx.note(line, at, "start-connection", "Open a serverless<br/>connection", { housekeeping: true, cause: ref(decision), payload: { receiverWorkflowId: id } });
      if (ctx.inWindow(at)) linkStart(ctx, name, at, key ?? decision, id, all, conns);
    } else if (e.kind === "signal send" && e.name === "pegboard_serverless_runner_drain") {
      ctx.note(line, at, "drain", "Drain a runner", { cause: ref(decisions.at(-1)?.note ?? null), payload: { signalId: str(e.fields.id), receiverWorkflowId: str(e.fields["to workflow id"]) } });
    }
  }
}

/** The `GET /start` a pool's decision caused: the next one of that pool on the wire, else one drawn from the connection workflow. */
function linkStart(ctx: Context, poolName: string, at: number, cause: string | null, receiverId: string | null, all: readonly WorkflowHistory[], conns: readonly WorkflowHistory[]): void {
  const runAt = at - ctx.options.fromMs;
  const start = ctx.wire.starts.find((s) => s.pool === poolName && s.actorId === null && s.time >= runAt - 5 && s.time <= runAt + 10_000 && !ctx.claimedStarts.has(s.seq));
  if (start) {
    ctx.claimedStarts.add(start.seq);
    if (cause) ctx.patch(start.seq, { cause: { item: cause } });
    return;
  }
  const receiver = all.find((h) => h.id === receiverId);
  const connId = receiver ? flattenEvents(receiver.events).find((e) => e.kind === "sub workflow" && e.name === "pegboard_serverless_conn2") : undefined;
  const conn = conns.find((h) => h.id === str(connId?.fields.id));
  const request = conn ? flattenEvents(conn.events).find((e) => e.kind === "activity" && e.name === "outbound_req") : undefined;
  ctx.add({
    at: request?.created ?? at,
    from: pool(poolName),
    to: endpoint(poolName),
    type: "StartRequest",
    label: "GET /start",
    cause: ref(cause),
    payload: { origin: "workflow-history", note: "not seen on the wire: the engine called the endpoint directly", outcome: request ? output(request) : null },
  });
}
