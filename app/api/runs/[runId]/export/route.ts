import { exportRunText } from "@/lib/services/bundles";
import { getDb } from "@/lib/store/db";
import { parseRunId, respond, textStream } from "../../../_lib/http";

/**
 * The whole run as a JSON bundle, offered as a download. Written as it is read (a page of events
 * at a time), so a run of millions of events is never held whole; a missing run is still a 404.
 */
export async function GET(_request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    const runId = parseRunId((await context.params).runId);
    const { pieces } = await exportRunText(await getDb(), runId);
    const fileName = `wakeline-${runId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`;
    return new Response(textStream(pieces), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName}"`,
      },
    });
  });
}
