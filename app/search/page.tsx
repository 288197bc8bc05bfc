import type { Metadata } from "next";
import { SEARCH_FIELDS, type SearchForm } from "../_queries/search";
import { SearchView } from "../_views/search/SearchView";
import { firstParam, type SearchParams } from "../_views/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Search" };

export default async function SearchPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const form = Object.fromEntries(SEARCH_FIELDS.map((field) => [field, firstParam(params, field) ?? ""])) as SearchForm;
  return <SearchView form={form} />;
}
