import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getServerQueryClient, isNotFound, serverQueries } from "../../_queries/server";
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
  try {
    await queryClient.fetchQuery(serverQueries.run(runId));
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  const [actors] = await Promise.all([
    queryClient.fetchQuery(serverQueries.actors(runId)),
    queryClient.prefetchQuery(serverQueries.cycles(runId)),
  ]);
  // The whole-run diagram is per actor: the one asked for, else the first.
  const actorId = firstParam(search, "actor") ?? actors[0]?.actorId ?? null;
  const detail = parseDetail(firstParam(search, "detail"));
  if (actorId !== null) await queryClient.prefetchQuery(serverQueries.diagram({ runId, actorId, detail }));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <RunView runId={runId} actorId={actorId} detail={detail} />
    </HydrationBoundary>
  );
}
