import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AfterEarlyDrawing } from "@/components/AfterEarlyDrawing";
import { EarlyDrawing } from "@/components/EarlyDrawing";
import { getServerQueryClient, isNotFound, serverQueries } from "../../../../_queries/server";
import { CycleView } from "../../../../_views/CycleView";
import { earlyDiagramText } from "../../../../_views/cycle/cycle-diagram";
import { parseViewState } from "../../../../_views/cycle/view-state";
import { firstParam, parseDetail, type SearchParams } from "../../../../_views/search-params";

export const dynamic = "force-dynamic";

interface CyclePageProps {
  params: Promise<{ runId: string; ordinal: string }>;
  searchParams: Promise<SearchParams>;
}

/** Cycles of up to this many events go to the browser with the page (see below). */
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

  // A recorded cycle's diagram text is computed here and drawn by an inline script while the page's
  // code loads and hydrates (see EarlyDrawing). A small cycle's events also go to the browser with
  // the page, so it needs no second round trip; a large one's are left to the browser to fetch:
  // serialising thousands of events into the page would hold its first byte back. A live cycle's
  // events stream in on the client.
  let earlyText: string | null = null;
  let sentWithPage = false;
  if (!waiting) {
    const state = parseViewState({ get: (name) => firstParam(search, name) ?? null });
    const last = state.through !== null && state.through > ordinal ? state.through : ordinal;
    const size = cycles
      .filter((cycle) => cycle.actorId === actorId && cycle.ordinal >= ordinal && cycle.ordinal <= last)
      .reduce((sum, cycle) => sum + cycle.eventCount, 0);
    const selection = serverQueries.cycleSelection(runId, actorId, ordinal, state.through);
    sentWithPage = size <= PREFETCH_MAX_EVENTS;
    // A read that fails here only costs the early drawing: the browser reads again and says why.
    const { events } = await (sentWithPage ? queryClient.fetchQuery(selection) : selection.queryFn()).catch(() => ({ events: [] }));
    earlyText = earlyDiagramText(events, state);
  }
  const detail = parseDetail(firstParam(search, "detail"));
  const view = <CycleView runId={runId} actorId={actorId} ordinal={ordinal} detail={detail} previewText={sentWithPage ? null : earlyText} />;
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <EarlyDrawing text={earlyText} holdsApp={sentWithPage && earlyText !== null} />
      {/* A cycle sent with the page hydrates once drawn; a larger one's view hydrates at once, to fetch its events. */}
      {sentWithPage && earlyText !== null ? <AfterEarlyDrawing>{view}</AfterEarlyDrawing> : view}
    </HydrationBoundary>
  );
}
