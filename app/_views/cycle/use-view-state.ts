"use client";

// The cycle view's state, read from the URL and written back to it with the History API (which the
// Next.js router picks up without a server round trip). "push" makes a step back/forward can undo;
// "replace" is for changes that come in streams (playing, dragging the scrubber).
//
// The query string is read through an external store that changes the moment the URL does, so
// controls (checkboxes, the replay) answer at once instead of after the router's next transition.
import { useSearchParams } from "next/navigation";
import { useCallback, useMemo, useSyncExternalStore } from "react";
import { nextSearch, parseViewState, type CycleViewState } from "./view-state";

export type HistoryMode = "push" | "replace";
export type UpdateView = (change: Partial<CycleViewState>, mode?: HistoryMode) => void;

const VIEW_CHANGE = "wakeline:view-change";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(VIEW_CHANGE, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(VIEW_CHANGE, onChange);
  };
}

/** The current query string (without "?"), on the server and in the browser alike. */
export function useLocationSearch(): string {
  const serverParams = useSearchParams();
  return useSyncExternalStore(
    subscribe,
    () => window.location.search.replace(/^\?/, ""),
    () => serverParams.toString(),
  );
}

export function useViewState(): [CycleViewState, UpdateView] {
  const search = useLocationSearch();
  const state = useMemo(() => parseViewState(new URLSearchParams(search)), [search]);
  const update = useCallback<UpdateView>((change, mode = "push") => {
    const href = `${window.location.pathname}${nextSearch(new URLSearchParams(window.location.search), change)}`;
    if (href === `${window.location.pathname}${window.location.search}`) return;
    if (mode === "push") window.history.pushState(null, "", href);
    else window.history.replaceState(null, "", href);
    window.dispatchEvent(new Event(VIEW_CHANGE));
  }, []);
  return [state, update];
}

/** The href of a view change as a plain link (for links that also work when opened in a new tab). */
export function hrefFor(pathname: string, search: string, change: Partial<CycleViewState>): string {
  return `${pathname}${nextSearch(new URLSearchParams(search), change)}`;
}
