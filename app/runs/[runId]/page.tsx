import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getServerQueryClient, isNotFound, serverQueries } from "../../_queries/server";
import { parseDraw, resolveChoice, wholeRunDrawable } from "../../_views/run-diagram-choice";
import { RunView } from "../../_views/RunView";
import { firstParam, parseDetail, type SearchParams } from "../../_views/search-params";

export const dynamic = "force-dynamic";

interface RunPageProps {
  params: Promise<{ runId: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: RunPageProps): Promise<Metadata> {
  const { runId } = await params;
  return { title: `Run ${runId}` };
}

export default async function RunPage({ params, searchParams }: RunPageProps) {
  const { runId } = await params;
  const search = await searchParams;
  const queryClient = getServerQueryClient();
  let run;
  try {
    run = await queryClient.fetchQuery(serverQueries.run(runId));
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  const [actors, cycles] = await Promise.all([
    queryClient.fetchQuery(serverQueries.actors(runId)),
    queryClient.fetchQuery(serverQueries.cycles(runId)),
  ]);
  // The diagram is per actor: the one asked for, else the first.
  const actorId = firstParam(search, "actor") ?? actors[0]?.actorId ?? null;
  const detail = parseDetail(firstParam(search, "detail"));
  const draw = firstParam(search, "draw") ?? null;
  if (actorId !== null) {
    // Only what the page draws: the whole run when it is chosen (and small enough), else one cycle.
    // A range is put together in the browser from its cycles' events.
    const choice = resolveChoice(parseDraw(draw), run, cycles.filter((cycle) => cycle.actorId === actorId));
    if (choice.kind === "run" && wholeRunDrawable(run)) await queryClient.prefetchQuery(serverQueries.diagram({ runId, actorId, detail }));
    if (choice.kind === "cycles" && choice.from === choice.to) {
      await queryClient.prefetchQuery(serverQueries.diagram({ runId, actorId, cycle: choice.from, detail }));
    }
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <RunView runId={runId} actorId={actorId} detail={detail} draw={draw} />
    </HydrationBoundary>
  );
}
