import { importBundle } from "@/lib/services/bundles";
import { getDb } from "@/lib/store/db";
import { readJsonBody, respond } from "../../_lib/http";

/** Stores a JSON bundle (as `GET /api/runs/[runId]/export` writes it) as a new run. */
export async function POST(request: Request): Promise<Response> {
  return respond(async () => {
    const run = await importBundle(await getDb(), await readJsonBody(request));
    return Response.json({ run }, { status: 201, headers: { location: `/api/runs/${encodeURIComponent(run.id)}` } });
  });
}
