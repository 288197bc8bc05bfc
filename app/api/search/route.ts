// Search across runs. Owners only: server.ts refuses share-link viewers every path outside their
// run, and this one lies outside every run.
import { z } from "zod";
import { searchEvents } from "@/lib/services/search";
import { getDb } from "@/lib/store/db";
import { requireOwner } from "../_lib/access";
import { checkRequestUrl, parseSearchParams, respond } from "../_lib/http";

const text = z.string().max(200).optional();
const searchQuery = z.object({
  q: text,
  actor: text,
  runner: text,
  type: text,
  code: text,
  run: text,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(20).optional(),
});

export async function GET(request: Request): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    requireOwner(request);
    const query = parseSearchParams(request, searchQuery);
    const result = await searchEvents(await getDb(), {
      text: query.q,
      actorId: query.actor,
      runnerId: query.runner,
      type: query.type,
      code: query.code,
      runId: query.run,
      from: query.from,
      to: query.to,
      limit: query.limit,
      cursor: query.cursor,
    });
    return Response.json(result);
  });
}
