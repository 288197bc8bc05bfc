import { z } from "zod";
import { createShareLink, MAX_EXPIRY_SECONDS, MAX_SHARED_PATH_LENGTH, MIN_EXPIRY_SECONDS } from "@/lib/services/share-links";
import { getDb } from "@/lib/store/db";
import { checkRequestUrl, readJsonBody, respond } from "../_lib/http";

/** A share request is a path and an expiry: a few kilobytes at most. */
const MAX_SHARE_BODY_BYTES = 64 * 1024;

const createShareBody = z
  .object({
    /** Path and query of the view, as the browser shows them. */
    path: z.string().min(1).max(MAX_SHARED_PATH_LENGTH),
    expiresInSeconds: z.number().int().min(MIN_EXPIRY_SECONDS).max(MAX_EXPIRY_SECONDS).nullable().optional(),
  })
  .strict();

/** Creates a share link for a view; answers with the link and the address to hand out. */
export async function POST(request: Request): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    const input = createShareBody.parse(await readJsonBody(request, MAX_SHARE_BODY_BYTES));
    const link = await createShareLink(await getDb(), input);
    const url = `/s/${link.token}`;
    return Response.json({ ...link, url }, { status: 201, headers: { location: url } });
  });
}
