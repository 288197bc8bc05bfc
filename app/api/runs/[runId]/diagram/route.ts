import { diagramText } from "@/lib/services/diagrams";
import { getDb } from "@/lib/store/db";
import { parseRunId, parseSearchParams, respond } from "../../../_lib/http";
import { diagramQuery } from "../../../_lib/schemas";

/**
 * Mermaid text plus its items: one cycle of the actor (`cycle`), only its cycles (`all=true`), or by
 * default the whole run as the actor saw it. Without `actor`, the run's first actor.
 */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    const runId = parseRunId((await context.params).runId);
    const query = parseSearchParams(request, diagramQuery);
    const result = await diagramText(await getDb(), {
      runId,
      actorId: query.actor,
      cycle: query.cycle,
      allCycles: query.all,
      detail: query.detail,
    });
    return Response.json(result);
  });
}
