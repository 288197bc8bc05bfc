import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { DASHBOARD_RUN_LIMIT, filteredRunListKey } from "@/components/dashboard/dashboard-queries";
import { parseRunFilter, sinceInstant } from "@/components/dashboard/run-filter";
import { listRuns } from "@/lib/services/runs";
import { getDb } from "@/lib/store/db";
import type { RunInfo } from "@/lib/trace/types";
import { HomeView } from "./_views/HomeView";
import { getServerQueryClient, serverQueries } from "./_queries/server";
import type { SearchParams } from "./_views/search-params";

// Reads the database on every request; never prerendered at build time.
export const dynamic = "force-dynamic";

export default async function HomePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const filter = parseRunFilter(await searchParams);
  const queryClient = getServerQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(serverQueries.scenarios()),
    // The same key the browser uses for this filter, loaded straight from the service.
    queryClient.prefetchQuery({
      queryKey: filteredRunListKey(filter),
      queryFn: async () =>
        listRuns(await getDb(), {
          name: filter.name || undefined,
          source: filter.source ?? undefined,
          since: filter.since ? sinceInstant(filter.since, new Date()) : undefined,
          limit: DASHBOARD_RUN_LIMIT,
        }),
    }),
  ]);
  const runs = queryClient.getQueryData<RunInfo[]>(filteredRunListKey(filter)) ?? [];
  await Promise.all(runs.map((run) => queryClient.prefetchQuery(serverQueries.cycles(run.id))));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <HomeView filter={filter} />
    </HydrationBoundary>
  );
}
