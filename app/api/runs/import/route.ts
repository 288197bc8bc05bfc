import { importBundleText } from "@/lib/services/bundles";
import { getDb } from "@/lib/store/db";
import { checkRequestUrl, readBodyText, requireBody, respond } from "../../_lib/http";

/** Largest bundle taken: exports of long runs are tens of megabytes. */
const MAX_IMPORT_BODY_BYTES = 100 * 1024 * 1024;

/**
 * Stores a JSON bundle (as `GET /api/runs/[runId]/export` writes it) as a new run. The bundle is
 * parsed and checked in slices (the server hosts the live engine) before anything is written.
 */
export async function POST(request: Request): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    const text = requireBody(await readBodyText(request, MAX_IMPORT_BODY_BYTES));
    const run = await importBundleText(await getDb(), text);
    return Response.json({ run }, { status: 201, headers: { location: `/api/runs/${encodeURIComponent(run.id)}` } });
  });
}
