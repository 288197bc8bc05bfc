import { QueryClient, defaultShouldDehydrateQuery, isServer } from "@tanstack/react-query";
import { isRetryable } from "./fetch-json";

/** The browser tries a failed request again, twice, unless the server refused it (a 4xx). */
const retryInBrowser = (failureCount: number, error: unknown) => isRetryable(error) && failureCount < 2;

export function makeQueryClient(): QueryClient {
  return queryClientRetrying(retryInBrowser);
}

/**
 * A server request's client: its reads go straight to the services, which wait out a busy
 * database themselves. It tries nothing again: a run that does not exist is a 404 page at once, not
 * after the three seconds of the browser's retries.
 */
export function makeServerQueryClient(): QueryClient {
  return queryClientRetrying(false);
}

function queryClientRetrying(retry: false | typeof retryInBrowser): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data prefetched on the server is fresh when the page hydrates; without a stale time the
        // browser would fetch everything again right away.
        staleTime: 30_000,
        retry,
      },
      dehydrate: {
        // Also hand over queries still in flight, so a slow prefetch streams instead of refetching.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** One client per server request, one for the whole life of the browser tab. */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
