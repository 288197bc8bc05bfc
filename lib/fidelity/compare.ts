// Pairs each workload's cycles across the two recordings (by the actor's cycle ordinal) and
// compares each pair with Wakeline's own aligner (lib/conformance): the message sequence per
// lifeline pair, the answers the client got (status and error code), and the cycles' figures.
// The embedded engine relays commands and events through the Runner Workflow, the real one does
// not (docs/recording-a-real-engine.md), so the embedded side is read with those relays bypassed,
// as `conform --real-engine` reads a reference; every lifeline stays compared.
import { compareFlows, describeItem, lifelineKeys, type Diff } from "@/lib/conformance";
import { buildFlow, type FlowItem, type Participant } from "@/lib/diagram";
import { adaptForRealEngine } from "@/lib/history/conformance";
import { selectEvents } from "@/lib/services/selection";
import { ROLES, ROLE_SHORT, type CycleInfo, type Role } from "@/lib/trace/types";
import { idsOf, withoutIds } from "./scrub";
import type { ClientAnswer, ClientKind, RecordedSide, SideName, WorkloadName, WorkloadOutcome } from "./types";

export type DifferenceKind = "only embedded" | "only real" | "order" | "answers" | "cycles" | "figures";

export interface DifferenceRow {
  workload: WorkloadName;
  client: ClientKind;
  /** The cycle ordinal, or null for the workload as a whole. */
  cycle: number | null;
  /** `G ↔ AWF`, or what else differs ("client answers", "cycles"). */
  pair: string;
  kind: DifferenceKind;
  embedded: string;
  real: string;
}

export interface CycleFigures {
  outcome: string;
  wakeToReadyMs: number | null;
  coldStartMs: number | null;
  requestsServed: number;
  durationMs: number | null;
  anomalies: string[];
}

export interface CyclePair {
  workload: WorkloadName;
  client: ClientKind;
  ordinal: number;
  embedded: CycleFigures | null;
  real: CycleFigures | null;
  /** Items compared per side (after relays were bypassed), and how many matched. */
  embeddedItems: number;
  realItems: number;
  matched: number;
}

export interface WorkloadComparison {
  workload: WorkloadName;
  client: ClientKind;
  outcomes: Record<SideName, WorkloadOutcome>;
  pairs: CyclePair[];
  rows: DifferenceRow[];
}

export async function compareWorkload(sides: Record<SideName, RecordedSide>, outcomes: Record<SideName, WorkloadOutcome>): Promise<WorkloadComparison> {
  const { workload, client } = outcomes.embedded;
  const base = { workload, client };
  const rows: DifferenceRow[] = [];
  const pairs: CyclePair[] = [];
  const answers = { embedded: answerText(outcomes.embedded), real: answerText(outcomes.real) };
  if (answers.embedded !== answers.real) rows.push({ ...base, cycle: null, pair: "client answers", kind: "answers", ...answers });
  const cyclesOf = (side: SideName) => {
    const actorId = outcomes[side].actorId;
    return actorId === null ? [] : sides[side].cycles.filter((c) => c.actorId === actorId).sort((a, b) => a.ordinal - b.ordinal);
  };
  const cycles = { embedded: cyclesOf("embedded"), real: cyclesOf("real") };
  if (cycles.embedded.length !== cycles.real.length) {
    rows.push({ ...base, cycle: null, pair: "cycles", kind: "cycles", embedded: cycleList(cycles.embedded), real: cycleList(cycles.real) });
  }
  const count = Math.max(cycles.embedded.length, cycles.real.length);
  for (let i = 0; i < count; i++) {
    const [e, r] = [cycles.embedded[i], cycles.real[i]];
    const ordinal = i + 1;
    if (!e || !r) {
      pairs.push({ ...base, ordinal, embedded: e ? figuresOf(e) : null, real: r ? figuresOf(r) : null, embeddedItems: 0, realItems: 0, matched: 0 });
      continue;
    }
    const [flowE, flowR] = await Promise.all([cycleFlow(sides.embedded, e), cycleFlow(sides.real, r)]);
    const adapted = adaptForRealEngine(flowE, flowR, { sharedLifelines: false });
    const compared = compareByLifelinePair(adapted.expected, adapted.actual);
    pairs.push({ ...base, ordinal, embedded: figuresOf(e), real: figuresOf(r), embeddedItems: adapted.expected.items.length, realItems: adapted.actual.items.length, matched: compared.matched });
    for (const row of figureRows(figuresOf(e), figuresOf(r))) rows.push({ ...base, cycle: ordinal, ...row });
    for (const row of compared.rows) rows.push({ ...base, cycle: ordinal, ...row });
  }
  return { workload, client, outcomes, pairs, rows };
}

async function cycleFlow(side: RecordedSide, cycle: CycleInfo): Promise<{ participants: Participant[]; items: FlowItem[] }> {
  const { events } = await selectEvents(side.db, side.run, { actorId: cycle.actorId, cycle: cycle.ordinal });
  const flow = buildFlow(events, { detail: "default" });
  // Phases are compared by the items they hold; what the diagram adds itself (notes announcing
  // several runners) was not recorded by either engine.
  const items = flow.items.filter((item) => item.kind !== "block-start" && item.kind !== "block-end" && item.seq !== undefined).map(relayAsRelay);
  return { participants: flow.participants, items: withoutIds(items, idsOf(events)) };
}

/**
 * A relay is drawn with an empty label right after what it relays, and with that message's label
 * and "(from before)" when something came in between: which of the two depends on how the hops
 * interleaved, so both are compared as the relay they are.
 */
function relayAsRelay(item: FlowItem): FlowItem {
  return item.kind === "arrow" && /\(from before\)$/.test(item.label) ? { ...item, label: "" } : item;
}

/** Aligns the items of each lifeline pair (notes: each lifeline) on their own. */
export function compareByLifelinePair(embedded: { participants: Participant[]; items: FlowItem[] }, real: { participants: Participant[]; items: FlowItem[] }) {
  const keyE = lifelineKeys(embedded.participants);
  const keyR = lifelineKeys(real.participants);
  const groups = new Map<string, { embedded: FlowItem[]; real: FlowItem[] }>();
  const add = (side: "embedded" | "real", item: FlowItem, key: (id: string) => string) => {
    const pair = pairOf(item, key);
    let group = groups.get(pair);
    if (!group) groups.set(pair, (group = { embedded: [], real: [] }));
    group[side].push(item);
  };
  for (const item of embedded.items) add("embedded", item, keyE);
  for (const item of real.items) add("real", item, keyR);
  const rows: Omit<DifferenceRow, "workload" | "client" | "cycle">[] = [];
  let matched = 0;
  for (const [pair, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    // The aligner lets the compared label say more than the baseline's; between two recordings
    // either side may say more, so both readings are tried and the one that pairs more items kept.
    const sideE = { participants: embedded.participants, items: group.embedded };
    const sideR = { participants: real.participants, items: group.real };
    const fromEmbedded = compareFlows(sideE, sideR);
    const fromReal = compareFlows(sideR, sideE);
    const realFirst = fromReal.matched > fromEmbedded.matched;
    const report = realFirst ? fromReal : fromEmbedded;
    matched += report.matched;
    const text = (diff: Diff) => describeItem(diff.item);
    const [onlyBaseline, onlyCompared] = realFirst ? (["only real", "only embedded"] as const) : (["only embedded", "only real"] as const);
    const place = (kind: DifferenceKind, value: string) => (kind === "only embedded" ? { embedded: value, real: "—" } : { embedded: "—", real: value });
    for (const diff of report.missing) rows.push({ pair, kind: onlyBaseline, ...place(onlyBaseline, text(diff)) });
    for (const diff of report.extra) rows.push({ pair, kind: onlyCompared, ...place(onlyCompared, text(diff)) });
    for (const diff of report.outOfOrder) {
      const elsewhere = `elsewhere (item ${diff.actualIndex ?? "?"})`;
      rows.push({ pair, kind: "order", embedded: realFirst ? elsewhere : text(diff), real: realFirst ? text(diff) : elsewhere });
    }
  }
  return { rows, matched };
}

const LIFELINE_ORDER = ROLES.map((role) => ROLE_SHORT[role]);

/** `G ↔ AWF` for arrows and relations (in lifeline order), `note AWF` for notes. */
function pairOf(item: FlowItem, key: (id: string) => string): string {
  const name = (id: string) => ROLE_SHORT[key(id) as Role] ?? key(id);
  if (item.kind === "note") return `note ${[...new Set(item.over.map(name))].sort().join(", ")}`;
  if (item.kind === "arrow" || item.kind === "relation") {
    const ends = [item.from, item.to].map(name);
    ends.sort((a, b) => LIFELINE_ORDER.indexOf(a) - LIFELINE_ORDER.indexOf(b));
    return `${ends[0]} ↔ ${ends[1]}`;
  }
  return "blocks";
}

/** A wake-to-ready this much longer on one side is a difference of behaviour, not of speed. */
export const SLOW_WAKE_MS = 1000;

/**
 * Figures that should agree: the outcome, the anomalies, and whether there was a wake-to-ready and a
 * cold start at all. (Their values are timings of two different engines: the report shows them side
 * by side; only a wake-to-ready a second or more apart is a difference by itself.)
 */
function figureRows(e: CycleFigures, r: CycleFigures): Omit<DifferenceRow, "workload" | "client" | "cycle">[] {
  const rows: Omit<DifferenceRow, "workload" | "client" | "cycle">[] = [];
  const has = (value: number | null) => (value === null ? "none" : "measured");
  const compare = (pair: string, embedded: string, real: string) => {
    if (embedded !== real) rows.push({ pair, kind: "figures", embedded, real });
  };
  compare("figures: outcome", e.outcome, r.outcome);
  compare("figures: anomalies", e.anomalies.join(", ") || "none", r.anomalies.join(", ") || "none");
  compare("figures: wake-to-ready", has(e.wakeToReadyMs), has(r.wakeToReadyMs));
  // Beyond the engines' own speeds: a wake that waited (a backoff, a timeout) on one side only.
  if (e.wakeToReadyMs !== null && r.wakeToReadyMs !== null && Math.abs(e.wakeToReadyMs - r.wakeToReadyMs) >= SLOW_WAKE_MS) {
    rows.push({ pair: "figures: wake-to-ready", kind: "figures", embedded: `${Math.round(e.wakeToReadyMs)} ms`, real: `${Math.round(r.wakeToReadyMs)} ms` });
  }
  compare("figures: cold start", has(e.coldStartMs), has(r.coldStartMs));
  return rows;
}

export function figuresOf(cycle: CycleInfo): CycleFigures {
  return {
    outcome: cycle.outcome,
    wakeToReadyMs: cycle.wakeToReadyMs,
    coldStartMs: cycle.coldStartMs,
    requestsServed: cycle.requestsServed,
    durationMs: cycle.endTime === null ? null : cycle.endTime - cycle.startTime,
    anomalies: [...new Set(cycle.anomalies.map((a) => a.kind))].sort(),
  };
}

function answerText(outcome: WorkloadOutcome): string {
  const answers = outcome.answers.map((a: ClientAnswer) => (a.code ? `${a.status} ${a.code}` : `${a.status}`));
  const text = answers.length > 0 ? answers.join(", ") : "(none)";
  return outcome.error ? `${text}; stopped: ${outcome.error}` : text;
}

function cycleList(cycles: readonly CycleInfo[]): string {
  return cycles.length === 0 ? "no cycle" : `${cycles.length}: ${cycles.map((c) => c.outcome).join(", ")}`;
}
