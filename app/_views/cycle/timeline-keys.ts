// Moving the selection on the timeline with the keyboard: ←/→ to the previous / next event in time,
// ↑/↓ to the nearest event in time on the lane above / below, Home/End to the first / last. Pure.
import type { TimelineLane } from "./timeline";

export type TimelineKey = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End";

export function isTimelineKey(key: string): key is TimelineKey {
  return key === "ArrowLeft" || key === "ArrowRight" || key === "ArrowUp" || key === "ArrowDown" || key === "Home" || key === "End";
}

/** The seq the key moves the selection to; null when there is nothing to move to. */
export function timelineTarget(lanes: readonly TimelineLane[], selected: number | null, key: TimelineKey): number | null {
  const inTime = lanes.flatMap((lane) => lane.items).sort((a, b) => a.time - b.time || a.seq - b.seq);
  if (inTime.length === 0) return null;
  const index = selected === null ? -1 : inTime.findIndex((item) => item.seq === selected);
  if (key === "Home") return inTime[0].seq;
  if (key === "End") return inTime[inTime.length - 1].seq;
  // Nothing of the timeline selected yet: any arrow starts at the first event.
  if (index === -1) return inTime[0].seq;
  const item = inTime[index];
  if (key === "ArrowLeft") return inTime[Math.max(0, index - 1)].seq;
  if (key === "ArrowRight") return inTime[Math.min(inTime.length - 1, index + 1)].seq;
  // Up / down: the next lane in that direction that has events, its event nearest in time.
  const laneIndex = lanes.findIndex((lane) => lane.items.some((candidate) => candidate.seq === item.seq));
  const step = key === "ArrowUp" ? -1 : 1;
  for (let next = laneIndex + step; next >= 0 && next < lanes.length; next += step) {
    const candidates = lanes[next].items;
    if (candidates.length === 0) continue;
    let nearest = candidates[0];
    for (const candidate of candidates) {
      const gap = Math.abs(candidate.time - item.time);
      const best = Math.abs(nearest.time - item.time);
      // Equally near: the earlier event, as the list of steps orders them.
      if (gap < best || (gap === best && candidate.seq < nearest.seq)) nearest = candidate;
    }
    return nearest.seq;
  }
  return item.seq;
}
