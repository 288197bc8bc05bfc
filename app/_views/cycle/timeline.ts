// The cycle on a time axis: a lane per lifeline with the view's steps at their engine times, and
// where the time of the wake went — the critical path from the request to the response, found
// through the recorded causes, cut into the stages people talk about (wake, allocation, /start,
// runner connected, StartActor, Running, Ready, response). Pure.
import { ROLES, type Role, type TraceEvent } from "@/lib/trace/types";

export interface TimelineItem {
  seq: number;
  time: number;
  /** Position on the axis, 0 (start) … 1 (end). */
  at: number;
  role: Role;
  kind: TraceEvent["kind"];
  /** On the critical path. */
  critical: boolean;
  /** Row within its lane: items too close in time to tell apart are put on separate rows. */
  row: number;
}

export interface TimelineLane {
  role: Role;
  items: TimelineItem[];
  /** Rows the lane needs (at least 1). */
  rows: number;
  /** Rows of the lanes above it. */
  top: number;
}

export interface TimelineStage {
  /** "wake → allocation". */
  name: string;
  /** The event the stage ends with (selecting the stage selects it). */
  seq: number;
  fromTime: number;
  toTime: number;
  ms: number;
}

export interface TimelineTick {
  at: number;
  /** Engine ms from the axis start. */
  offset: number;
}

export interface CycleTimelineModel {
  start: number;
  end: number;
  lanes: TimelineLane[];
  /** The critical path, earliest first (every event on it, drawn or not). */
  criticalPath: number[];
  /** The critical path's drawn items, earliest first, with their row from the top (for the line joining them). */
  criticalPoints: { seq: number; at: number; row: number }[];
  /** Rows of all lanes together. */
  rows: number;
  stages: TimelineStage[];
  /** From the first to the last event of the critical path, in engine ms. */
  criticalMs: number | null;
  ticks: TimelineTick[];
}

/** Named points of a wake, in the order they happen; each is taken once, the first time it occurs. */
const MILESTONES: { name: string; matches: (event: TraceEvent) => boolean }[] = [
  { name: "request", matches: (event) => event.type === "UserRequest" },
  { name: "wake", matches: (event) => event.type === "Wake" },
  { name: "allocation", matches: (event) => event.type === "Bump" || (event.type === "Allocate" && event.kind === "message") },
  { name: "/start", matches: (event) => event.type === "StartRequest" },
  { name: "runner connected", matches: (event) => event.type === "ToServerInit" },
  { name: "StartActor", matches: (event) => event.type === "CommandStartActor" && event.relayOf === null },
  { name: "Running", matches: (event) => event.type === "EventActorStateUpdate" },
  { name: "Ready", matches: (event) => event.type === "Ready" },
  { name: "response", matches: (event) => event.kind === "message" && event.to?.role === "User" },
];

const isArrow = (event: TraceEvent) => event.kind === "message" || event.kind === "relation";

/** Items closer than this on the axis (a share of its length) go on separate rows. */
export const MIN_ITEM_GAP = 0.016;
/** Most rows in a lane; past them, rows are shared again. */
export const MAX_ROWS = 4;

/**
 * Rows for points on an axis (sorted), so that no two within `gap` of each other share a row: each
 * takes the first row whose last point is far enough behind it.
 */
export function dodgeRows(positions: readonly number[], gap = MIN_ITEM_GAP, maxRows = MAX_ROWS): number[] {
  const lastAt: number[] = [];
  return positions.map((at, index) => {
    let row = lastAt.findIndex((previous) => at - previous >= gap);
    if (row < 0) row = lastAt.length < maxRows ? lastAt.length : index % maxRows;
    lastAt[row] = at;
    return row;
  });
}

/**
 * The chain of causes that ends with the first answer to the user after the first wake (else the
 * first Ready), earliest first; empty when the cycle has neither.
 */
export function criticalPath(events: readonly TraceEvent[]): number[] {
  const wake = events.find((event) => event.kind === "message" && event.type === "Wake");
  if (!wake) return [];
  const end =
    events.find((event) => event.seq > wake.seq && event.kind === "message" && event.to?.role === "User") ??
    events.find((event) => event.seq > wake.seq && event.kind === "message" && event.type === "Ready");
  if (!end) return [];
  const bySeq = new Map(events.map((event) => [event.seq, event]));
  const chain: number[] = [];
  // Bounded: corrupt cause links must not loop for ever.
  for (let current: TraceEvent | undefined = end; current && chain.length <= events.length; ) {
    chain.push(current.seq);
    current = current.causeSeq === null ? undefined : bySeq.get(current.causeSeq);
  }
  return chain.reverse();
}

/** The stages between the milestones on the path; between its events when it has too few milestones. */
export function criticalStages(path: readonly TraceEvent[]): TimelineStage[] {
  const points: { name: string; event: TraceEvent }[] = [];
  const taken = new Set<string>();
  for (const event of path) {
    const milestone = MILESTONES.find((candidate) => !taken.has(candidate.name) && candidate.matches(event));
    if (!milestone) continue;
    // Milestones only go forward: a later one seen first makes the earlier ones moot.
    for (const candidate of MILESTONES.slice(0, MILESTONES.indexOf(milestone) + 1)) taken.add(candidate.name);
    points.push({ name: milestone.name, event });
  }
  if (points.length < 2) {
    points.length = 0;
    for (const event of path) if (isArrow(event)) points.push({ name: event.type, event });
  }
  const stages: TimelineStage[] = [];
  for (let index = 1; index < points.length; index++) {
    const from = points[index - 1];
    const to = points[index];
    stages.push({
      name: `${from.name} → ${to.name}`,
      seq: to.event.seq,
      fromTime: from.event.time,
      toTime: to.event.time,
      ms: to.event.time - from.event.time,
    });
  }
  return stages;
}

/** Ticks at a round step (1, 2 or 5 × 10ⁿ ms), about `count` of them across the span. */
export function axisTicks(span: number, count = 6): TimelineTick[] {
  if (!(span > 0)) return [{ at: 0, offset: 0 }];
  const rough = span / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: TimelineTick[] = [];
  for (let offset = 0; offset <= span + 1e-9; offset += step) ticks.push({ at: offset / span, offset });
  return ticks;
}

export interface TimelineInput {
  /** The steps on screen (drawn messages, relations and notes). */
  steps: readonly TraceEvent[];
  /** Every event of the cycle (causes included), sorted by seq. */
  events: readonly TraceEvent[];
  /** The cycle's start and end (end null while it is open) in engine ms. */
  start: number;
  end: number | null;
  /** Only the steps between start and end (a closer look at part of the cycle). */
  clip?: boolean;
}

/** The span of the critical path (from its first to its last event), or null without one. */
export function criticalSpan(events: readonly TraceEvent[]): { start: number; end: number } | null {
  const path = criticalPath(events);
  if (path.length < 2) return null;
  const bySeq = new Map(events.map((event) => [event.seq, event]));
  const times = path.map((seq) => bySeq.get(seq)!.time);
  return { start: Math.min(...times), end: Math.max(...times) };
}

export function buildTimeline(input: TimelineInput): CycleTimelineModel {
  const { events, start, end } = input;
  const steps = input.clip && end !== null ? input.steps.filter((step) => step.time >= start && step.time <= end) : input.steps;
  const lastTime = Math.max(start, ...steps.map((step) => step.time), end ?? start);
  const axisEnd = lastTime > start ? lastTime : start + 1;
  const span = axisEnd - start;
  const path = criticalPath(events);
  const onPath = new Set(path);
  const bySeq = new Map(events.map((event) => [event.seq, event]));

  const byRole = new Map<Role, TimelineItem[]>();
  for (const step of steps) {
    const role = step.from?.role;
    if (!role) continue;
    const items = byRole.get(role) ?? [];
    items.push({
      seq: step.seq,
      time: step.time,
      at: Math.min(1, Math.max(0, (step.time - start) / span)),
      role,
      kind: step.kind,
      critical: onPath.has(step.seq),
      row: 0,
    });
    byRole.set(role, items);
  }
  let rows = 0;
  const lanes: TimelineLane[] = ROLES.filter((role) => byRole.has(role)).map((role) => {
    const items = byRole.get(role)!;
    const itemRows = dodgeRows(items.map((item) => item.at));
    items.forEach((item, index) => (item.row = itemRows[index]));
    const lane = { role, items, rows: Math.max(1, ...itemRows.map((row) => row + 1)), top: rows };
    rows += lane.rows;
    return lane;
  });
  const criticalPoints = lanes
    .flatMap((lane) => lane.items.filter((item) => item.critical).map((item) => ({ seq: item.seq, at: item.at, row: lane.top + item.row })))
    .sort((a, b) => a.seq - b.seq);

  const pathEvents = path.map((seq) => bySeq.get(seq)!).filter(Boolean);
  const criticalMs = pathEvents.length >= 2 ? pathEvents[pathEvents.length - 1].time - pathEvents[0].time : null;
  return {
    start,
    end: axisEnd,
    lanes,
    criticalPath: path,
    criticalPoints,
    rows,
    stages: criticalStages(pathEvents),
    criticalMs,
    ticks: axisTicks(span),
  };
}
