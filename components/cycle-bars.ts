// The small timeline bar of each cycle in a run's list: where in the run the cycle happened, how
// long it lasted, and how much of it the wake took (to ready). Pure.
import type { CycleInfo } from "@/lib/trace/types";

export interface RunSpan {
  start: number;
  end: number;
}

export interface CycleBar {
  /** Where the cycle starts and how long it is, in % of the run's span. */
  left: number;
  width: number;
  /** The wake (to ready) as % of the cycle's own bar. */
  wake: number;
}

type Timed = Pick<CycleInfo, "startTime" | "endTime" | "wakeToReadyMs">;

/** From the first cycle's start to the last moment any cycle reaches (an open one reaches its start). */
export function runSpan(cycles: readonly Timed[], now?: number): RunSpan | null {
  if (cycles.length === 0) return null;
  const start = Math.min(...cycles.map((cycle) => cycle.startTime));
  const end = Math.max(...cycles.map((cycle) => cycle.endTime ?? Math.max(cycle.startTime, now ?? cycle.startTime)));
  return { start, end };
}

/** A bar is never thinner than this (% of the span), so a short cycle stays visible. */
const MIN_WIDTH = 0.6;

export function cycleBar(cycle: Timed, span: RunSpan, now?: number): CycleBar {
  const total = Math.max(1, span.end - span.start);
  const end = cycle.endTime ?? Math.max(cycle.startTime, now ?? span.end);
  const duration = Math.max(0, end - cycle.startTime);
  const width = Math.max(MIN_WIDTH, (duration / total) * 100);
  const left = Math.min(100 - width, Math.max(0, ((cycle.startTime - span.start) / total) * 100));
  const wake = cycle.wakeToReadyMs === null || duration === 0 ? 0 : Math.min(100, (cycle.wakeToReadyMs / duration) * 100);
  return { left, width, wake };
}

export interface Page {
  /** Index range [start, end) of the rows shown. */
  start: number;
  end: number;
  page: number;
  pages: number;
}

/** The rows of page `page` (from 0; clamped) of `total` rows, `size` a page. */
export function pageOf(total: number, page: number, size: number): Page {
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
  return { start: current * size, end: Math.min(total, (current + 1) * size), page: current, pages };
}
