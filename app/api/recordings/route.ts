// Recordings of a real Rivet engine started from the dashboard: a recording proxy (and an OTLP
// receiver for the engine's traces) in this server's process, until stopped. Owners only: the
// access gate refuses everyone else before this runs.
import { z } from "zod";
import { getDb } from "@/lib/store/db";
import { requireOwner } from "../_lib/access";
import { checkRequestUrl, readJsonBody, respond } from "../_lib/http";
import { dashboardRecordings } from "./service";

const startRecordingBody = z
  .object({
    engineUrl: z.string().url().max(2000),
    port: z.number().int().min(0).max(65535).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    traces: z.boolean().optional(),
    dataDir: z.string().min(1).max(4000).optional(),
  })
  .strict();

export async function GET(request: Request): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    requireOwner(request);
    return Response.json(await dashboardRecordings().list());
  });
}

export async function POST(request: Request): Promise<Response> {
  return respond(async () => {
    checkRequestUrl(request);
    requireOwner(request);
    const input = startRecordingBody.parse(await readJsonBody(request));
    const recording = await dashboardRecordings().start(await getDb(), input);
    return Response.json(recording, { status: 201, headers: { location: `/api/recordings/${encodeURIComponent(recording.runId)}` } });
  });
}
