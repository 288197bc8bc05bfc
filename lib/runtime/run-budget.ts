// The budget of a scenario run: a run that would record more events than its budget, or fill the
// heap past its share, stops with a clear error instead of exhausting the heap. Scenario sessions
// (instant, sliced and paced runs) record through a budgeted sink; the live engine does not.
import v8 from "node:v8";
import type { TraceEvent } from "../trace/types";

/** Most events one scenario run records unless told otherwise (WAKELINE_MAX_RUN_EVENTS). */
export const DEFAULT_MAX_RUN_EVENTS = 2_000_000;

/** A run stops once the heap is fuller than this share of its limit, whatever its event count. */
export const DEFAULT_MAX_HEAP_FRACTION = 0.8;

/** Events between two looks at the heap. */
const HEAP_CHECK_EVERY = 4096;

export interface RunBudget {
  /** Most events the run may record; the next one stops it. Default: maxRunEvents(). */
  maxEvents?: number;
  /** Share of the heap limit (0–1) past which the run stops. Default: DEFAULT_MAX_HEAP_FRACTION. */
  maxHeapFraction?: number;
}

/** A run stopped because it would go past its budget of events or memory. */
export class RunBudgetError extends Error {
  constructor(
    readonly code: "event_budget_exceeded" | "heap_budget_exceeded",
    message: string,
  ) {
    super(message);
    this.name = "RunBudgetError";
  }
}

/** The event budget: `WAKELINE_MAX_RUN_EVENTS` when it is a whole number ≥ 1, else the default. */
export function maxRunEvents(env: Record<string, string | undefined> = process.env): number {
  const configured = Number(env.WAKELINE_MAX_RUN_EVENTS);
  return Number.isSafeInteger(configured) && configured >= 1 ? configured : DEFAULT_MAX_RUN_EVENTS;
}

/**
 * A sink that passes events on until the run would record more than `maxEvents`, or the heap is
 * fuller than `maxHeapFraction` of its limit; then it throws a RunBudgetError (the event past the
 * budget is not passed on, so what was recorded stays gap-free). A scenario whose timers never
 * stop, or that is simply too large, ends with a clear error instead of exhausting the heap.
 */
export function budgetedSink(sink: (event: TraceEvent) => void, options: RunBudget = {}): (event: TraceEvent) => void {
  const maxEvents = options.maxEvents ?? maxRunEvents();
  const heapLimit = v8.getHeapStatistics().heap_size_limit * (options.maxHeapFraction ?? DEFAULT_MAX_HEAP_FRACTION);
  let count = 0;
  return (event) => {
    count++;
    if (count > maxEvents) {
      throw new RunBudgetError(
        "event_budget_exceeded",
        `the run was stopped at engine time ${event.time} ms: it would record more than ${maxEvents} events (the budget per run; WAKELINE_MAX_RUN_EVENTS sets it)`,
      );
    }
    if (count % HEAP_CHECK_EVERY === 1) {
      const used = v8.getHeapStatistics().used_heap_size;
      if (used > heapLimit) {
        const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
        throw new RunBudgetError(
          "heap_budget_exceeded",
          `the run was stopped at engine time ${event.time} ms after ${count - 1} events: it uses ${mb(used)} MB of heap, more than its budget of ${mb(heapLimit)} MB`,
        );
      }
    }
    sink(event);
  };
}
