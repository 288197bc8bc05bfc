import { listActors } from "@/lib/services/runs";
import { getDb } from "@/lib/store/db";
import { parseRunId, respond } from "../../../_lib/http";

export async function GET(_request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    const runId = parseRunId((await context.params).runId);
    // An unknown run is a 404 (from the service), not an empty list.
    return Response.json(await listActors(await getDb(), runId));
  });
}
