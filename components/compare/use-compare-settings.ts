"use client";

// The comparison's view settings, read from the URL when the page opens and written back to it as
// they change (replacing the history entry: a zoom is not a step back), so a reload or a share link
// shows the comparison the same way. Kept in state as well, so the controls answer at once.
import { useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { parseCompareSettings, withCompareSettings, type CompareViewSettings } from "./compare-view-settings";

export function useCompareSettings(): [CompareViewSettings, (change: Partial<CompareViewSettings>) => void] {
  const params = useSearchParams();
  const [settings, setSettings] = useState(() => parseCompareSettings(params));
  const update = useCallback((change: Partial<CompareViewSettings>) => {
    const next = { ...parseCompareSettings(new URLSearchParams(window.location.search)), ...change };
    setSettings(next);
    const query = withCompareSettings(new URLSearchParams(window.location.search), next).toString().replace(/%3A/gi, ":");
    window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
  }, []);
  return [settings, update];
}
