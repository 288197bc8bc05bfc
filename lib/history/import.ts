// Adds a real engine's workflow histories to a recorded run: reads the workflows of the actors
// seen on the wire (and of their runners, pools and serverless connections), translates them,
// assembles them with the wire events and rewrites the run's events and cycles. Without a reader
// it assembles the wire events alone (phases, joins the wire proves). Running it again replaces
// what an earlier import added.
import type { SpanTiming } from "@/lib/otlp/timing";
import type { Db } from "@/lib/store/db";
import { eventToRow } from "@/lib/store/mappers";
import { indexPendingEvents } from "@/lib/store/search-index";
import { finishRun, findRun, loadEvents, WRITE_CHUNK } from "@/lib/store/trace-store";
import { computeCycles } from "@/lib/trace/cycles";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";
import { assembleTrace, wireEventsOf } from "./assemble";
import { translateHistories } from "./translate";
import type { HistoryReader, WorkflowHistory, WorkflowSummary } from "./types";
import { indexWire } from "./wire-index";

export class HistoryImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistoryImportError";
  }
}

/** What a real-engine run keeps in its config. */
export interface RealRunConfig {
  engineUrl: string;
  engineVersion: string | null;
  proxyUrl: string;
  /** Epoch ms of the run's time 0. */
  originMs: number;
  /** What the run's events were built from: `wire` always, then `workflow-history`, `otlp`. */
  sources?: string[];
}

export interface ImportResult {
  run: RunInfo;
  cycles: CycleInfo[];
  /** Workflows read, by name. */
  workflows: Record<string, number>;
  /** Events the histories added. */
  added: number;
  source: string | null;
  /** What the run now combines (also kept in its config). */
  sources: string[];
}

/** How many serverless connection workflows are read at most (one per `/start`). */
const MAX_CONNECTION_WORKFLOWS = 100;

/** `timing`: the engine's trace spans, for times neither the wire nor the histories have. */
export async function importHistory(db: Db, runId: string, reader: HistoryReader | null, timing: SpanTiming | null = null): Promise<ImportResult> {
  const run = await findRun(db, runId);
  if (!run) throw new HistoryImportError(`no run ${runId}`);
  const config = realConfigOf(run);
  if (!config) throw new HistoryImportError(`run ${runId} is not a recording of a real engine`);
  const stored = await loadEvents(db, runId);
  const wire = wireEventsOf(stored);
  const index = indexWire(wire);
  const endMs = run.endedAt ? Date.parse(run.endedAt) : Date.now();
  const histories = reader ? await readRelevant(reader, wire) : [];
  const translation = reader ? translateHistories(histories, index, { fromMs: config.originMs, toMs: endMs + 1, signalSentAt: timing?.signalSentAt }) : null;
  const events = assembleTrace(wire, translation, { originMs: config.originMs });
  const sources = ["wire", ...(reader ? ["workflow-history"] : []), ...(timing && timing.spans > 0 ? ["otlp"] : [])];
  await db.runConfig.update({ where: { runId }, data: { config: JSON.stringify({ ...config, sources }) } });
  const { run: updated, cycles } = await rewriteRun(db, run, events);
  const workflows: Record<string, number> = {};
  for (const h of histories) workflows[h.name] = (workflows[h.name] ?? 0) + 1;
  return { run: updated, cycles, workflows, added: translation?.items.length ?? 0, source: reader?.source ?? null, sources };
}

export function realConfigOf(run: RunInfo): RealRunConfig | null {
  const config = run.config as Partial<RealRunConfig> | null;
  if (!config || typeof config !== "object" || typeof config.originMs !== "number") return null;
  return config as RealRunConfig;
}

/** The workflows that concern the recording: its actors', their runners', pools' and connections'. */
async function readRelevant(reader: HistoryReader, wire: readonly TraceEvent[]): Promise<WorkflowHistory[]> {
  const list = await reader.list();
  const actors = new Set<string>();
  const runners = new Set<string>();
  const pools = new Set<string>();
  for (const e of wire) {
    if (e.actorId) actors.add(e.actorId);
    if (e.runnerId) runners.add(e.runnerId);
    for (const ref of [e.from, e.to]) if (ref && (ref.role === "Serverless" || ref.role === "ServerlessEndpoint")) pools.add(ref.id);
    const name = (e.payload as { name?: unknown } | null)?.name;
    if (e.type === "ToServerInit" && typeof name === "string") pools.add(name);
    const url = (e.payload as { url?: unknown } | null)?.url;
    const config = e.type === "ApiRequest" && typeof url === "string" ? /^\/runner-configs\/([^/?]+)/.exec(url) : null;
    if (config) pools.add(decodeURIComponent(config[1]));
  }
  const read = async (summaries: WorkflowSummary[]) => {
    const out: WorkflowHistory[] = [];
    for (const summary of summaries) out.push(await reader.history(summary.id));
    return out;
  };
  const actorHistories = await read(list.filter((w) => (w.name === "pegboard_actor" || w.name === "pegboard_actor2") && actors.has(w.tags.actor_id)));
  for (const h of actorHistories) {
    const input = (h.input ?? {}) as Record<string, unknown>;
    for (const key of ["runner_name_selector", "pool_name"]) if (typeof input[key] === "string") pools.add(input[key] as string);
    const text = JSON.stringify(h.events);
    for (const match of text.matchAll(/"runner_id":"([a-z0-9]+)"/g)) runners.add(match[1]);
  }
  const runnerHistories = await read(list.filter((w) => (w.name === "pegboard_runner2" || w.name === "pegboard_runner") && runners.has(w.tags.runner_id)));
  const poolHistories = await read(list.filter((w) => (w.name === "pegboard_runner_pool2" || w.name === "pegboard_runner_pool") && pools.has(w.tags.runner_name)));
  const connections = await read(
    list.filter((w) => (w.name === "pegboard_serverless_receiver2" || w.name === "pegboard_serverless_conn2") && pools.has(w.tags.runner_name)).slice(-MAX_CONNECTION_WORKFLOWS),
  );
  return [...actorHistories, ...runnerHistories, ...poolHistories, ...connections];
}

/** Replaces a run's events, recomputes and stores its cycles; the run keeps its status. */
async function rewriteRun(db: Db, run: RunInfo, events: TraceEvent[]): Promise<{ run: RunInfo; cycles: CycleInfo[] }> {
  const rows = events.map((event) => eventToRow(run.id, event));
  const chunks: (typeof rows)[] = [];
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) chunks.push(rows.slice(i, i + WRITE_CHUNK));
  await db.$transaction([
    db.cycle.deleteMany({ where: { runId: run.id } }),
    db.event.deleteMany({ where: { runId: run.id } }),
    ...chunks.map((chunk) => db.event.createMany({ data: chunk })),
    ...indexPendingEvents(db),
    db.run.update({ where: { id: run.id }, data: { eventCount: events.length } }),
  ]);
  const { cycles, cycleOf } = computeCycles(run.id, events);
  const status = run.status === "running" ? "finished" : run.status;
  const stored = await finishRun(db, run.id, { status, error: run.error, endedAt: run.endedAt ? new Date(run.endedAt) : new Date(), cycles, cycleOf });
  return { run: stored, cycles };
}
