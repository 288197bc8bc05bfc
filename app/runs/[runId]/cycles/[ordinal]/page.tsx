import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getServerQueryClient, isNotFound, serverQueries } from "../../../../_queries/server";
import { CycleView } from "../../../../_views/CycleView";
import { parseViewState } from "../../../../_views/cycle/view-state";
import { firstParam, parseDetail, type SearchParams } from "../../../../_views/search-params";

export const dynamic = "force-dynamic";

interface CyclePageProps {
  params: Promise<{ runId: string; ordinal: string }>;
  searchParams: Promise<SearchParams>;
}

/** Cycles of up to this many events are read with the page (see below). */
const PREFETCH_MAX_EVENTS = 1_500;

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
  const askedActor = firstParam(search, "actor");
  let run;
  let actors;
  let cycles;
  try {
    [run, actors, cycles] = await Promise.all([
      queryClient.fetchQuery(serverQueries.run(runId)),
      // The view itself does not list actors: they are read only to find the default one (a
      // summary of every event of the run, which would hold the page back for nothing).
      askedActor === undefined ? queryClient.fetchQuery(serverQueries.actors(runId)) : Promise.resolve(null),
      queryClient.fetchQuery(serverQueries.cycles(runId)),
    ]);
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  // Ordinals count per actor; without an actor in the link, the run's first actor is meant.
  const actorId = askedActor ?? actors?.[0]?.actorId;
  // A live run's cycle that has not started yet is a page that waits for it (the view streams).
  const waiting = run.status === "running";
  if (actorId === undefined) notFound();
  if (!waiting && !cycles.some((cycle) => cycle.actorId === actorId && cycle.ordinal === ordinal)) notFound();

  // A small recorded cycle's events are read here, in the same request, so the browser can draw
  // without a second round trip. A large one is left to the browser: reading and serialising
  // thousands of events here would hold the page's first byte back, while the browser fetches them
  // as it loads the page's code. A live cycle's events stream in on the client.
  if (!waiting) {
    const { through } = parseViewState({ get: (name) => firstParam(search, name) ?? null });
    const last = through !== null && through > ordinal ? through : ordinal;
    const size = cycles
      .filter((cycle) => cycle.actorId === actorId && cycle.ordinal >= ordinal && cycle.ordinal <= last)
      .reduce((sum, cycle) => sum + cycle.eventCount, 0);
    if (size <= PREFETCH_MAX_EVENTS) void queryClient.prefetchQuery(serverQueries.cycleSelection(runId, actorId, ordinal, through));
  }
  const detail = parseDetail(firstParam(search, "detail"));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <CycleView runId={runId} actorId={actorId} ordinal={ordinal} detail={detail} />
    </HydrationBoundary>
  );
}
