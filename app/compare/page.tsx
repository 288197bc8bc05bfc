import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { parseCompareTarget, type CycleRef } from "@/components/compare/compare-target";
import { getServerQueryClient, serverQueries } from "../_queries/server";
import type { SearchParams } from "../_views/search-params";
import { CompareView } from "./CompareView";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Compare" };

export default async function ComparePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const target = parseCompareTarget(await searchParams);
  const queryClient = getServerQueryClient();
  const sides = [target.a, target.withReference ? null : target.b].filter((ref): ref is CycleRef => ref !== null);
  // Prefetch failures (an unknown run or cycle) are left to the view, which says what is wrong.
  await Promise.all([
    queryClient.prefetchQuery(serverQueries.runList()),
    ...sides.flatMap((ref) => [
      queryClient.prefetchQuery(serverQueries.run(ref.runId)),
      queryClient.prefetchQuery(serverQueries.cycles(ref.runId)),
      queryClient.prefetchQuery(
        serverQueries.diagram({ runId: ref.runId, actorId: ref.actorId, cycle: ref.ordinal, detail: "default" }),
      ),
    ]),
  ]);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <CompareView target={target} />
    </HydrationBoundary>
  );
}
