// Stops a dashboard recording of a real engine: the proxy closes, the run ends, and the engine's
// workflow histories (and traces) are joined to it.
import { getDb } from "@/lib/store/db";
import { requireOwner } from "../../_lib/access";
import { checkRequestUrl, parseRunId, respond } from "../../_lib/http";
import { dashboardRecordings } from "../service";

interface Context {
  params: Promise<{ runId: string }>;
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    requireOwner(request);
    const stopped = await dashboardRecordings().stop(await getDb(), parseRunId((await context.params).runId));
    return Response.json(stopped);
  });
}
