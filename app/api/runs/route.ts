import { z } from "zod";
import { MAX_SPEED, startPacedRun } from "@/lib/services/paced-runs";
import { listRuns, runScenario } from "@/lib/services/runs";
import { getDb } from "@/lib/store/db";
import { checkRequestUrl, parseSearchParams, readJsonBody, respond } from "../_lib/http";
import { listRunsQuery, startRunBody } from "../_lib/schemas";

/** Largest start-run body: an uploaded scenario can list many steps. */
const MAX_START_BODY_BYTES = 16 * 1024 * 1024;

/** "instant" (the default): run to the end before answering; otherwise paced on wall time. */
const speed = z.union([z.literal("instant"), z.literal("realtime"), z.number().positive().max(MAX_SPEED)], {
  error: `must be "instant", "realtime" or how many times faster than real time (a number above 0, at most ${MAX_SPEED})`,
});
const startRunWithSpeed = startRunBody.extend({ speed: speed.optional() });

export async function GET(request: Request): Promise<Response> {
  return respond(async () => {
    const filter = parseSearchParams(request, listRunsQuery);
    return Response.json(await listRuns(await getDb(), filter));
  });
}

/**
 * Instant: runs the scenario to the end and answers 201 with the recorded run and its cycles.
 * Paced ("realtime" or N×): starts the run in the background and answers 202 at once with the
 * running run (no cycles yet); follow it through its events stream or by polling the run.
 */
export async function POST(request: Request): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    const { speed: pace = "instant", ...input } = startRunWithSpeed.parse(await readJsonBody(request, MAX_START_BODY_BYTES));
    const db = await getDb();
    const paced = pace !== "instant";
    const result = paced ? await startPacedRun(db, { ...input, speed: pace }) : await runScenario(db, input);
    return Response.json(result, {
      status: paced ? 202 : 201,
      headers: { location: `/api/runs/${encodeURIComponent(result.run.id)}` },
    });
  });
}
