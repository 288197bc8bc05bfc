// Who is looking at the dashboard: an owner, or a share-link viewer of one run. server.ts decides it
// for every request, answers it at GET /api/access and hands the same JSON to pages as the
// `x-wakeline-access` header; the root layout reads that header and provides it here, so a viewer's
// first paint already leaves out owner-only controls.
"use client";

import { queryOptions, useQuery } from "@tanstack/react-query";
import { createContext, createElement, useContext, type ReactNode } from "react";
import { fetchJson } from "./fetch-json";

export interface AccessInfo {
  role: "owner" | "viewer";
  runId: string | null;
  tokenRequired: boolean;
  secretsRedacted: boolean;
}

/** Without the header (a page served outside server.ts, e.g. in tests) the dashboard is the owner's. */
export const OWNER_ACCESS: AccessInfo = { role: "owner", runId: null, tokenRequired: false, secretsRedacted: true };

export const accessQuery = () =>
  queryOptions({
    queryKey: ["access"],
    queryFn: () => fetchJson<AccessInfo>("/api/access"),
    staleTime: 60_000,
  });

const AccessContext = createContext<AccessInfo | null>(null);

export function AccessProvider({ access, children }: { access: AccessInfo | null; children: ReactNode }) {
  return createElement(AccessContext.Provider, { value: access }, children);
}

/** The access of this page's reader: from the server's header at first, then from /api/access. */
export function useAccess(): AccessInfo {
  const initial = useContext(AccessContext);
  const query = useQuery({ ...accessQuery(), initialData: initial ?? undefined, enabled: initial === null });
  return query.data ?? initial ?? OWNER_ACCESS;
}

export function useIsOwner(): boolean {
  return useAccess().role === "owner";
}
