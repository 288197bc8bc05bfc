import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getServerQueryClient, isNotFound, serverQueries } from "../../../../_queries/server";
import { CycleView } from "../../../../_views/CycleView";
import { firstParam, parseDetail, type SearchParams } from "../../../../_views/search-params";

export const dynamic = "force-dynamic";

interface CyclePageProps {
  params: Promise<{ runId: string; ordinal: string }>;
  searchParams: Promise<SearchParams>;
}

function parseOrdinal(raw: string): number | null {
  return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
}

export async function generateMetadata({ params }: CyclePageProps): Promise<Metadata> {
  const { runId, ordinal } = await params;
  return { title: `Cycle ${ordinal} · run ${runId}` };
}

export default async function CyclePage({ params, searchParams }: CyclePageProps) {
  const { runId, ordinal: rawOrdinal } = await params;
  const search = await searchParams;
  const ordinal = parseOrdinal(rawOrdinal);
  if (ordinal === null) notFound();

  const queryClient = getServerQueryClient();
  let run;
  let actors;
  let cycles;
  try {
    [run, actors, cycles] = await Promise.all([
      queryClient.fetchQuery(serverQueries.run(runId)),
      queryClient.fetchQuery(serverQueries.actors(runId)),
      queryClient.fetchQuery(serverQueries.cycles(runId)),
    ]);
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  // Ordinals count per actor; without an actor in the link, the run's first actor is meant.
  const actorId = firstParam(search, "actor") ?? actors[0]?.actorId;
  // A live run's cycle that has not started yet is a page that waits for it (the view streams).
  const waiting = run.status === "running";
  if (actorId === undefined) notFound();
  if (!waiting && !cycles.some((cycle) => cycle.actorId === actorId && cycle.ordinal === ordinal)) notFound();

  // The cycle view loads its events on the client (it replays and grows them live).
  const detail = parseDetail(firstParam(search, "detail"));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <CycleView runId={runId} actorId={actorId} ordinal={ordinal} detail={detail} />
    </HydrationBoundary>
  );
}
