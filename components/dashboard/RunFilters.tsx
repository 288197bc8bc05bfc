"use client";

// Filter of the run list by name, source and time. The caller puts the filter in the URL; this
// form only edits it. Choosing a source or a time window applies at once; the name on Enter.
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { isFiltered, NO_FILTER, runFilterHref, RUN_SOURCES, SINCE_WINDOWS, type RunFilter, type SinceWindow } from "./run-filter";

export interface RunFiltersProps {
  filter: RunFilter;
  onApply: (filter: RunFilter) => void;
}

/** Mount it with `key={runFilterHref(filter)}`: the typed name then follows every applied filter (back, forward, clear). */
export function RunFilters({ filter, onApply }: RunFiltersProps) {
  // The typed name, until it is applied.
  const [name, setName] = useState(filter.name);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply({ ...filter, name: name.trim() });
  }

  return (
    <form className="run-filters" role="search" aria-label="Filter runs" onSubmit={submit}>
      <div className="field">
        <label htmlFor="filter-name">Name contains</label>
        <input
          id="filter-name"
          type="search"
          value={name}
          placeholder="any name"
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-source">Source</label>
        <select
          id="filter-source"
          value={filter.source ?? ""}
          onChange={(event) => onApply({ ...filter, name: name.trim(), source: (event.target.value || null) as RunFilter["source"] })}
        >
          <option value="">Any source</option>
          {RUN_SOURCES.map((source) => (
            <option key={source} value={source}>
              {source}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-since">Started</label>
        <select
          id="filter-since"
          value={filter.since ?? ""}
          onChange={(event) => onApply({ ...filter, name: name.trim(), since: (event.target.value || null) as SinceWindow | null })}
        >
          <option value="">Any time</option>
          {(Object.keys(SINCE_WINDOWS) as SinceWindow[]).map((window) => (
            <option key={window} value={window}>
              {SINCE_WINDOWS[window].label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Apply filter</button>
      {isFiltered(filter) && (
        <Link href={runFilterHref(NO_FILTER)} className="clear-filter" scroll={false}>
          Clear filter
        </Link>
      )}
    </form>
  );
}
