// Server-side loaders for the query options in ./resources.ts: same keys, but the data comes straight
// from the services instead of a round trip through our own HTTP API.
import "server-only";
import { cache } from "react";
import { diagramText } from "@/lib/services/diagrams";
import { lastSelected, loadCycleSelection } from "@/lib/services/cycle-selection";
import { toHttpError } from "@/lib/services/errors";
import { getRun, listActors, listRuns, listScenarios } from "@/lib/services/runs";
import { runCycles } from "@/lib/services/selection";
import { getDb } from "@/lib/store/db";
import { cycleQueries } from "../_views/cycle/queries";
import { makeServerQueryClient } from "./query-client";
import { HOME_RUN_LIMIT, queries, type DiagramView } from "./resources";

/** One query client per server request (React's `cache` scopes it to the request). */
export const getServerQueryClient = cache(makeServerQueryClient);

// A run and its cycles are read once per request however many queries of the page need them (the
// cycle page's run, its cycle list and its events all start from the two).
const runOf = cache(async (runId: string) => getRun(await getDb(), runId));
const cyclesOf = cache(async (runId: string) => runCycles(await getDb(), await runOf(runId)));

export const serverQueries = {
  scenarios: () => ({ ...queries.scenarios(), queryFn: async () => listScenarios() }),
  runList: () => ({
    ...queries.runList(),
    queryFn: async () => listRuns(await getDb(), { limit: HOME_RUN_LIMIT }),
  }),
  run: (runId: string) => ({ ...queries.run(runId), queryFn: () => runOf(runId) }),
  cycles: (runId: string) => ({ ...queries.cycles(runId), queryFn: () => cyclesOf(runId) }),
  actors: (runId: string) => ({ ...queries.actors(runId), queryFn: async () => listActors(await getDb(), runId) }),
  /** The cycle view's events of cycles `ordinal` … `through` (see cycleQueries.selection). */
  cycleSelection: (runId: string, actorId: string, ordinal: number, through: number | null) => ({
    ...cycleQueries.selection(runId, actorId, ordinal, through),
    queryFn: async () =>
      loadCycleSelection(await getDb(), await runOf(runId), actorId, ordinal, lastSelected(ordinal, through), await cyclesOf(runId)),
  }),
  diagram: (view: DiagramView) => ({
    ...queries.diagram(view),
    queryFn: async () =>
      diagramText(await getDb(), {
        runId: view.runId,
        actorId: view.actorId,
        cycle: view.cycle,
        detail: view.detail,
      }),
  }),
};

/** True when a service said the thing asked for does not exist. */
export function isNotFound(error: unknown): boolean {
  return toHttpError(error).status === 404;
}
