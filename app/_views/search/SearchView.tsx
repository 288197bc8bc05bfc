"use client";

// The results page of the header's search box: one form (words, actor, runner, message type, error
// code, time range) and the events that match, newest first, each linking to its cycle view with
// the event selected.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ErrorState, LoadingState } from "@/components/QueryStates";
import { searchQuery, type SearchForm, SEARCH_FIELDS } from "../../_queries/search";

/** A datetime-local value (the reader's clock) as an ISO instant. */
function instant(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function SearchView({ form }: { form: SearchForm }) {
  const request = { ...form, from: instant(form.from) ?? "", to: instant(form.to) ?? "" };
  const asked = SEARCH_FIELDS.some((field) => form[field].trim() !== "");
  const results = useInfiniteQuery({ ...searchQuery(request), enabled: asked });
  const hits = results.data?.pages.flatMap((page) => page.hits) ?? [];
  return (
    <>
      <header className="page-header">
        <h1>Search</h1>
        <p>Events across every run: words in labels and payloads, an actor, a runner, a message type, an error code, a time range.</p>
      </header>
      <form className="search-form" action="/search" method="get" aria-label="Search events">
        <label>
          Words
          <input name="q" type="search" defaultValue={form.q} />
        </label>
        <label>
          Actor id
          <input name="actor" defaultValue={form.actor} />
        </label>
        <label>
          Runner id
          <input name="runner" defaultValue={form.runner} />
        </label>
        <label>
          Message type
          <input name="type" defaultValue={form.type} />
        </label>
        <label>
          Error code
          <input name="code" defaultValue={form.code} />
        </label>
        <label>
          From
          <input name="from" type="datetime-local" defaultValue={form.from} />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" defaultValue={form.to} />
        </label>
        <button type="submit">Search</button>
      </form>

      {!asked ? null : results.isPending ? (
        <LoadingState>Searching…</LoadingState>
      ) : results.isError ? (
        <ErrorState title="The search failed." error={results.error} />
      ) : (
        <section aria-labelledby="hits-heading">
          <h2 id="hits-heading">
            {hits.length === 0 ? "No events match" : `${hits.length}${results.hasNextPage ? "+" : ""} matching events`}
          </h2>
          <ul className="search-hits" data-testid="search-hits">
            {hits.map((hit) => (
              <li key={`${hit.runId}:${hit.seq}`} data-testid="search-hit" data-in-cycle={hit.cycle ? "yes" : "no"}>
                <Link href={hit.href}>
                  <span className="mono">{hit.type}</span> {hit.label || "(relay)"}
                </Link>{" "}
                — run <Link href={`/runs/${encodeURIComponent(hit.runId)}`}>{hit.runName}</Link>
                {hit.cycle ? (
                  <>
                    , cycle {hit.cycle.ordinal} of <span className="mono">{hit.cycle.actorId}</span>
                  </>
                ) : null}
                , event #{hit.seq}
                {hit.runnerId ? (
                  <>
                    , runner <span className="mono">{hit.runnerId}</span>
                  </>
                ) : null}
                {hit.payloadStart ? <pre className="mono search-payload">{hit.payloadStart}</pre> : null}
              </li>
            ))}
          </ul>
          {results.hasNextPage && (
            <button type="button" onClick={() => void results.fetchNextPage()} disabled={results.isFetchingNextPage}>
              {results.isFetchingNextPage ? "Loading…" : "More results"}
            </button>
          )}
        </section>
      )}
    </>
  );
}
