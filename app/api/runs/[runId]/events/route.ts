import { z } from "zod";
import { getEvents, getRun } from "@/lib/services/runs";
import { selectEvents } from "@/lib/services/selection";
import { getDb } from "@/lib/store/db";
import type { CycleInfo, TraceEvent } from "@/lib/trace/types";
import { parseRunId, parseSearchParams, respond } from "../../../_lib/http";

const eventsQuery = z
  .object({
    actor: z.string().min(1).max(200).optional(),
    cycle: z.coerce.number().int().min(1).optional(),
    after: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .refine((query) => query.cycle === undefined || (query.after === undefined && query.limit === undefined), {
    message: "after and limit page through a whole run; leave them out when asking for a cycle",
  });

export interface EventsResponse {
  events: TraceEvent[];
  /** The actor and cycle selected (null when a page of the whole run was asked for). */
  actorId: string | null;
  cycle: CycleInfo | null;
}

/**
 * The recorded events of one cycle (`cycle`, of `actor` or the run's first actor; with the phases
 * that enclose it, so it draws as a whole), or a page of the whole run (`after`, `limit`).
 * A running run has its cycles computed on read.
 */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    const runId = parseRunId((await context.params).runId);
    const query = parseSearchParams(request, eventsQuery);
    const db = await getDb();
    if (query.cycle === undefined) {
      const events = await getEvents(db, runId, { afterSeq: query.after, limit: query.limit, actorId: query.actor });
      return Response.json({ events, actorId: query.actor ?? null, cycle: null } satisfies EventsResponse);
    }
    const selection = await selectEvents(db, await getRun(db, runId), { actorId: query.actor, cycle: query.cycle });
    return Response.json({ events: selection.events, actorId: selection.actorId, cycle: selection.cycle } satisfies EventsResponse);
  });
}
