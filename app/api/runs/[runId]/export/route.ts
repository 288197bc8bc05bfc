import { exportRun } from "@/lib/services/bundles";
import { getDb } from "@/lib/store/db";
import { parseRunId, respond } from "../../../_lib/http";

/** The whole run as a JSON bundle, offered as a download. */
export async function GET(_request: Request, context: { params: Promise<{ runId: string }> }): Promise<Response> {
  return respond(async () => {
    const runId = parseRunId((await context.params).runId);
    const bundle = await exportRun(await getDb(), runId);
    const fileName = `wakeline-${runId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`;
    return new Response(JSON.stringify(bundle, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName}"`,
      },
    });
  });
}
