import { getShareLink, revokeShareLink, shareLinkStatus } from "@/lib/services/share-links";
import { getDb } from "@/lib/store/db";
import { checkRequestUrl, respond } from "../../_lib/http";

interface Context {
  params: Promise<{ token: string }>;
}

/** The link as stored, with its status (active, expired or revoked). */
export async function GET(request: Request, context: Context): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    const link = await getShareLink(await getDb(), (await context.params).token);
    return Response.json({ ...link, url: `/s/${link.token}`, status: shareLinkStatus(link) });
  });
}

/** Revokes the link: it stays on record so that opening it says it was revoked. */
export async function DELETE(request: Request, context: Context): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    const link = await revokeShareLink(await getDb(), (await context.params).token);
    return Response.json({ ...link, url: `/s/${link.token}`, status: shareLinkStatus(link) });
  });
}
