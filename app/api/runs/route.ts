import { listRuns, runScenario } from "@/lib/services/runs";
import { getDb } from "@/lib/store/db";
import { parseSearchParams, readJsonBody, respond } from "../_lib/http";
import { listRunsQuery, startRunBody } from "../_lib/schemas";

export async function GET(request: Request): Promise<Response> {
  return respond(async () => {
    const filter = parseSearchParams(request, listRunsQuery);
    return Response.json(await listRuns(await getDb(), filter));
  });
}

/** Runs a scenario to the end and answers with the recorded run and its cycles. */
export async function POST(request: Request): Promise<Response> {
  return respond(async () => {
    const input = startRunBody.parse(await readJsonBody(request));
    const result = await runScenario(await getDb(), input);
    return Response.json(result, { status: 201, headers: { location: `/api/runs/${result.run.id}` } });
  });
}
