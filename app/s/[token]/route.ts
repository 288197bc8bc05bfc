// Opening a share link: a redirect to the stored view when the link is live; otherwise a small page
// that says plainly what happened, with the fitting status (404 unknown, 410 expired or revoked).
// A route handler rather than a page, because a page cannot answer with status 410.
import { checkRequestUrl, errorResponse } from "@/app/api/_lib/http";
import { toHttpError } from "@/lib/services/errors";
import { resolveShareLink } from "@/lib/services/share-links";
import { getDb } from "@/lib/store/db";
import { sharePageHtml } from "./share-page-html";

// Every visit reads the database: a link revoked a second ago must already be refused.
export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> {
  // A link that is not even a URL gets a coded answer, not a page.
  try {
    checkRequestUrl(request);
  } catch (error) {
    return errorResponse(error);
  }
  const { token } = await context.params;
  try {
    const link = await resolveShareLink(await getDb(), token);
    // Temporary (307), never cached: the same link may be revoked later.
    return new Response(null, { status: 307, headers: { location: link.target, "cache-control": "no-store" } });
  } catch (error) {
    const { status, body } = toHttpError(error);
    if (status >= 500) console.error("[share] could not open a share link", error);
    return new Response(sharePageHtml(status, body.code, body.message), {
      status,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    });
  }
}
