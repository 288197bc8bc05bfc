// Search across runs (GET /api/search), a page of hits at a time.
import { infiniteQueryOptions } from "@tanstack/react-query";
import type { SearchResult } from "@/lib/services/search";
import { fetchJson } from "./fetch-json";

export const SEARCH_FIELDS = ["q", "actor", "runner", "type", "code", "from", "to"] as const;
export type SearchForm = Record<(typeof SEARCH_FIELDS)[number], string>;

export function searchQuery(form: SearchForm) {
  const params = new URLSearchParams();
  for (const field of SEARCH_FIELDS) if (form[field].trim() !== "") params.set(field, form[field].trim());
  return infiniteQueryOptions({
    queryKey: ["search", params.toString()],
    queryFn: ({ pageParam }) =>
      fetchJson<SearchResult>(`/api/search?${params.toString()}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.next ?? undefined,
  });
}
