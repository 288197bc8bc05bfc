import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { HomeView } from "./_views/HomeView";
import { getServerQueryClient, serverQueries } from "./_queries/server";

// Reads the database on every request; never prerendered at build time.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const queryClient = getServerQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(serverQueries.scenarios()),
    queryClient.prefetchQuery(serverQueries.runList()),
  ]);
  const runs = queryClient.getQueryData(serverQueries.runList().queryKey) ?? [];
  await Promise.all(runs.map((run) => queryClient.prefetchQuery(serverQueries.cycles(run.id))));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <HomeView />
    </HydrationBoundary>
  );
}
