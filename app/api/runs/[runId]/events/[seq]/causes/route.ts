import { getEvents } from "@/lib/services/runs";
import { getDb } from "@/lib/store/db";
import type { TraceEvent } from "@/lib/trace/types";
import { BadRequestError, parseRunId, respond } from "../../../../../_lib/http";

/** Deeper chains than this are cut (and said to be): causes never loop, but a trace may be odd. */
const MAX_CHAIN = 500;

export interface CausesResponse {
  /** The event itself, then its cause, the cause's cause … up to a root (causeSeq null). */
  chain: TraceEvent[];
  /** True when the chain was cut before reaching its root. */
  truncated: boolean;
}

/** The chain of causes of one event of a run, read by seq. */
export async function GET(_request: Request, context: { params: Promise<{ runId: string; seq: string }> }): Promise<Response> {
  return respond(async () => {
    const params = await context.params;
    const runId = parseRunId(params.runId);
    if (!/^[1-9]\d{0,14}$/.test(params.seq)) throw new BadRequestError("invalid_seq", "The event seq must be a whole number from 1.");
    const db = await getDb();
    const chain: TraceEvent[] = [];
    const seen = new Set<number>();
    let next: number | null = Number(params.seq);
    while (next !== null && chain.length < MAX_CHAIN && !seen.has(next)) {
      seen.add(next);
      // Seqs are gap-free, so the first event after seq − 1 is the event with that seq.
      const [event] = await getEvents(db, runId, { afterSeq: next - 1, limit: 1 });
      if (event === undefined || event.seq !== next) break;
      chain.push(event);
      next = event.causeSeq;
    }
    if (chain.length === 0 || chain[0].seq !== Number(params.seq)) {
      return Response.json({ code: "event_not_found", message: `Run ${runId} has no event ${params.seq}.` }, { status: 404 });
    }
    return Response.json({ chain, truncated: next !== null && chain.length >= MAX_CHAIN } satisfies CausesResponse);
  });
}
