function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Matches the URL of a cycle page of a run (any actor). */
export function cycleHrefPattern(runId: string, ordinal: number): RegExp {
  return new RegExp(`/runs/${escapeRegExp(encodeURIComponent(runId))}/cycles/${ordinal}\\?actor=`);
}
