import type { DiagramDetail } from "../_queries/resources";

export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a query parameter, if any. */
export function firstParam(params: SearchParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

export function parseDetail(value: string | undefined): DiagramDetail {
  return value === "full" ? "full" : "default";
}
