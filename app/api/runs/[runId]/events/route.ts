import { z } from "zod";
import { loadCycleSelection } from "@/lib/services/cycle-selection";
import { getEvents } from "@/lib/services/runs";
import { getDb } from "@/lib/store/db";
import type { CycleInfo, TraceEvent } from "@/lib/trace/types";
import { parseRunId, parseSearchParams, respond } from "../../../_lib/http";

/** Most cycles selected at once. */
const MAX_RANGE = 50;

const eventsQuery = z
  .object({
    actor: z.string().min(1).max(200).optional(),
    cycle: z.coerce.number().int().min(1).optional(),
    through: z.coerce.number().int().min(1).optional(),
    after: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .refine((query) => query.cycle === undefined || (query.after === undefined && query.limit === undefined), {
    message: "after and limit page through a whole run; leave them out when asking for a cycle",
  })
  .refine((query) => query.through === undefined || (query.cycle !== undefined && query.through >= query.cycle), {
    message: "through needs cycle and cannot be before it",
  })
  .refine((query) => query.through === undefined || query.cycle === undefined || query.through - query.cycle < MAX_RANGE, {
    message: `at most ${MAX_RANGE} cycles at once`,
  });

export interface EventsResponse {
  events: TraceEvent[];
  /** The actor and cycles selected (null and empty when a page of the whole run was asked for). */
  actorId: string | null;
  /** The first cycle selected. */
  cycle: CycleInfo | null;
  cycles: CycleInfo[];
}

/**
 * The recorded events of one cycle (`cycle`) or of consecutive cycles (`cycle` … `through`) of
 * `actor` (default: the run's first actor), with the phases that enclose them so they draw as a
 * whole; or a page of the whole run (`after`, `limit`). A running run has its cycles computed on read.
 */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    const runId = parseRunId((await context.params).runId);
    const query = parseSearchParams(request, eventsQuery);
    const db = await getDb();
    if (query.cycle === undefined) {
      const events = await getEvents(db, runId, { afterSeq: query.after, limit: query.limit, actorId: query.actor });
      return Response.json({ events, actorId: query.actor ?? null, cycle: null, cycles: [] } satisfies EventsResponse);
    }
    return Response.json((await loadCycleSelection(db, runId, query.actor, query.cycle, query.through ?? query.cycle)) satisfies EventsResponse);
  });
}
