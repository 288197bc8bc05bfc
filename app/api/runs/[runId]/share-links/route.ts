import { listShareLinks } from "@/lib/services/share-links";
import { getDb } from "@/lib/store/db";
import { requireOwner } from "../../../_lib/access";
import { checkRequestUrl, parseRunId, respond } from "../../../_lib/http";

/** Every share link of the run, newest first, with its expiry and status. Owners only (server.ts). */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    requireOwner(request);
    const runId = parseRunId((await context.params).runId);
    const links = await listShareLinks(await getDb(), runId);
    return Response.json(links.map((link) => ({ ...link, url: `/s/${link.token}` })));
  });
}
