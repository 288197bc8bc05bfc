// The dashboard's run filter as it lives in the URL (`/?name=…&source=…&since=24h`). Shared by the
// server page (prefetch) and the browser (form, queries), so both ask for the same list.
import { RUN_SOURCES, type RunInfo } from "@/lib/trace/types";

export { RUN_SOURCES };

/** Time windows offered, relative to when the list is loaded (a shared URL stays "the last day"). */
export const SINCE_WINDOWS = {
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
} as const;
export type SinceWindow = keyof typeof SINCE_WINDOWS;

export interface RunFilter {
  /** Part of the run's name; "" for any. */
  name: string;
  source: RunInfo["source"] | null;
  since: SinceWindow | null;
}

export const NO_FILTER: RunFilter = { name: "", source: null, since: null };

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function param(params: Params, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the filter from query parameters; values it does not know are ignored, not errors. */
export function parseRunFilter(params: Params): RunFilter {
  const name = (param(params, "name") ?? "").trim().slice(0, 200);
  const source = param(params, "source");
  const since = param(params, "since");
  return {
    name,
    source: (RUN_SOURCES as readonly string[]).includes(source ?? "") ? (source as RunInfo["source"]) : null,
    since: since !== undefined && Object.hasOwn(SINCE_WINDOWS, since) ? (since as SinceWindow) : null,
  };
}

/** The home page address showing runs with this filter. */
export function runFilterHref(filter: RunFilter): string {
  const params = new URLSearchParams();
  if (filter.name) params.set("name", filter.name);
  if (filter.source) params.set("source", filter.source);
  if (filter.since) params.set("since", filter.since);
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

export function isFiltered(filter: RunFilter): boolean {
  return filter.name !== "" || filter.source !== null || filter.since !== null;
}

/** The instant a time window starts at, seen from `now`. */
export function sinceInstant(since: SinceWindow, now: Date): Date {
  return new Date(now.getTime() - SINCE_WINDOWS[since].ms);
}

/** Query parameters of `GET /api/runs` for this filter. */
export function runListSearch(filter: RunFilter, limit: number, now: Date): URLSearchParams {
  const params = new URLSearchParams({ limit: String(limit) });
  if (filter.name) params.set("name", filter.name);
  if (filter.source) params.set("source", filter.source);
  if (filter.since) params.set("since", sinceInstant(filter.since, now).toISOString());
  return params;
}
