import { importBundleStream } from "@/lib/services/bundles";
import { getDb } from "@/lib/store/db";
import { checkRequestUrl, readBodyWith, respond } from "../../_lib/http";

/**
 * Largest bundle taken. The body is read and written as it arrives (memory stays bounded), so
 * this only guards the disk: exports of long runs are tens to hundreds of megabytes.
 */
const MAX_IMPORT_BODY_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Stores a JSON bundle (as `GET /api/runs/[runId]/export` writes it) as a new run. Each event is
 * checked and written as the body brings it, in slices (the server hosts the live engine); a bad
 * bundle is a 400 naming its first problem and leaves no run behind.
 */
export async function POST(request: Request): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    const db = await getDb();
    const run = await readBodyWith(request, MAX_IMPORT_BODY_BYTES, (chunks) => importBundleStream(db, chunks));
    return Response.json({ run }, { status: 201, headers: { location: `/api/runs/${encodeURIComponent(run.id)}` } });
  });
}
