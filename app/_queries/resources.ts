// Query options for every resource the pages show, defined once. The browser fetches them from the
// API; the server prefetches the same keys straight from the services (see ./server.ts), so a page
// arrives with its data and the client cache picks it up through hydration.
import { queryOptions } from "@tanstack/react-query";
import type { DiagramDetail, DiagramResult } from "@/lib/services/diagrams";
import type { ActorSummary } from "@/lib/services/runs";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { fetchJson } from "./fetch-json";

export type { ActorSummary, DiagramDetail, DiagramResult };
export interface ScenarioSummary {
  name: string;
  description: string;
}
export interface RunResult {
  run: RunInfo;
  cycles: CycleInfo[];
}

/** How many runs the home page lists (newest first). */
export const HOME_RUN_LIMIT = 50;

/** Which diagram to draw: one cycle of an actor, or (without `cycle`) the whole run as the actor saw it. */
export interface DiagramView {
  runId: string;
  actorId: string;
  cycle?: number;
  detail: DiagramDetail;
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

export function diagramSearchParams(view: DiagramView): URLSearchParams {
  const params = new URLSearchParams({ actor: view.actorId, detail: view.detail });
  if (view.cycle !== undefined) params.set("cycle", String(view.cycle));
  return params;
}

export const queries = {
  scenarios: () =>
    queryOptions({
      queryKey: ["scenarios"],
      queryFn: () => fetchJson<ScenarioSummary[]>("/api/scenarios"),
      staleTime: Infinity,
    }),
  runList: () =>
    queryOptions({
      queryKey: ["runs", "list", { limit: HOME_RUN_LIMIT }],
      queryFn: () => fetchJson<RunInfo[]>(`/api/runs?limit=${HOME_RUN_LIMIT}`),
    }),
  run: (runId: string) =>
    queryOptions({
      queryKey: ["runs", runId],
      queryFn: () => fetchJson<RunInfo>(`/api/runs/${enc(runId)}`),
    }),
  cycles: (runId: string) =>
    queryOptions({
      queryKey: ["runs", runId, "cycles"],
      queryFn: () => fetchJson<CycleInfo[]>(`/api/runs/${enc(runId)}/cycles`),
    }),
  actors: (runId: string) =>
    queryOptions({
      queryKey: ["runs", runId, "actors"],
      queryFn: () => fetchJson<ActorSummary[]>(`/api/runs/${enc(runId)}/actors`),
    }),
  diagram: (view: DiagramView) =>
    queryOptions({
      queryKey: ["runs", view.runId, "diagram", { actor: view.actorId, cycle: view.cycle ?? "run", detail: view.detail }],
      queryFn: () =>
        fetchJson<DiagramResult>(`/api/runs/${enc(view.runId)}/diagram?${diagramSearchParams(view).toString()}`),
    }),
};

export async function startRun(input: { scenario: string; seed?: number }): Promise<RunResult> {
  return fetchJson<RunResult>("/api/runs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
}
