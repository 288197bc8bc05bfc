import { deleteRun } from "@/lib/services/retention";
import { getRun } from "@/lib/services/runs";
import { getDb } from "@/lib/store/db";
import { checkRequestUrl, parseRunId, respond } from "../../_lib/http";

export async function GET(_request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    const runId = parseRunId((await context.params).runId);
    return Response.json(await getRun(await getDb(), runId));
  });
}

/** Deletes an ended run with everything recorded for it (409 `run_running` while it records). */
export async function DELETE(request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    const runId = parseRunId((await context.params).runId);
    return Response.json(await deleteRun(await getDb(), runId));
  });
}
