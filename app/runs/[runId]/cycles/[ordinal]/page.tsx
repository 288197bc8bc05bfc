import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { AfterEarlyDrawing } from "@/components/AfterEarlyDrawing";
import { EarlyDrawing } from "@/components/EarlyDrawing";
import { FIRST_DRAWING_HEADER } from "@/components/early-drawing-prelude";
import { handedSelection, planCycleDocument, takeHandedReads, type CycleDocumentSource, type HandedReads } from "../../../../_queries/cycle-document";
import { firstActorId } from "@/lib/services/selection";
import { getDb } from "@/lib/store/db";
import { getServerQueryClient, serverQueries } from "../../../../_queries/server";
import { CycleView } from "../../../../_views/CycleView";
import { firstParam, parseDetail, type SearchParams } from "../../../../_views/search-params";

export const dynamic = "force-dynamic";

interface CyclePageProps {
  params: Promise<{ runId: string; ordinal: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: CyclePageProps): Promise<Metadata> {
  const { runId, ordinal } = await params;
  return { title: `Cycle ${ordinal} · run ${runId}` };
}

/**
 * The plan's reads through the request's query client: what it reads goes to the browser with the
 * page. What server.ts has read already (`handed`) is taken from there instead of read again.
 */
function querySource(runId: string, handed: HandedReads | null): CycleDocumentSource {
  const queryClient = getServerQueryClient();
  const run = serverQueries.run(runId);
  const cycles = serverQueries.cycles(runId);
  return {
    run: () => queryClient.fetchQuery(handed ? { ...run, queryFn: async () => handed.run } : run),
    cycles: () => queryClient.fetchQuery(handed ? { ...cycles, queryFn: async () => handed.cycles } : cycles),
    // The view does not list actors: the default one is found without a summary of the whole run.
    firstActor: async () => firstActorId(await getDb(), runId),
    selection: (actorId, ordinal, through, withPage) => {
      const read = serverQueries.cycleSelection(runId, actorId, ordinal, through);
      const given = handedSelection(handed, actorId, ordinal, through);
      const selection = given ? { ...read, queryFn: async () => given } : read;
      return withPage ? queryClient.fetchQuery(selection) : selection.queryFn();
    },
  };
}

export default async function CyclePage({ params, searchParams }: CyclePageProps) {
  const { runId, ordinal: rawOrdinal } = await params;
  const search = await searchParams;
  // A recorded cycle's diagram text is computed here and drawn by an inline script while the page's
  // code loads and hydrates (see EarlyDrawing); server.ts may have sent that drawing already, ahead
  // of the page (app/_queries/cycle-document.ts). A live cycle's events stream in on the client.
  const ahead = (await headers()).get(FIRST_DRAWING_HEADER);
  const plan = await planCycleDocument(querySource(runId, takeHandedReads(ahead)), rawOrdinal, { get: (name) => firstParam(search, name) ?? null });
  if (plan.kind === "not-found") notFound();
  const earlyText = plan.kind === "recorded" ? plan.earlyText : null;
  const sentWithPage = plan.kind === "recorded" && plan.sentWithPage;
  const sentAhead = earlyText !== null && ahead !== null;
  const detail = parseDetail(firstParam(search, "detail"));
  const view = <CycleView runId={runId} actorId={plan.actorId} ordinal={plan.ordinal} detail={detail} previewText={sentWithPage ? null : earlyText} />;
  return (
    <HydrationBoundary state={dehydrate(getServerQueryClient())}>
      {sentAhead ? null : <EarlyDrawing text={earlyText} holdsApp={sentWithPage && earlyText !== null} />}
      {/* A cycle sent with the page hydrates once drawn; a larger one's view hydrates at once, to fetch its events. */}
      {sentWithPage && earlyText !== null ? <AfterEarlyDrawing>{view}</AfterEarlyDrawing> : view}
    </HydrationBoundary>
  );
}
