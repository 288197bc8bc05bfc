"use client";

// Draw this cycle alone or together with the ones after it (a range of one actor's cycles).
import type { CycleInfo } from "@/lib/trace/types";
import { MAX_RANGE } from "./cycle-range";
import type { UpdateView } from "./use-view-state";

export function CycleRangePicker(props: { ordinal: number; through: number | null; cycles: readonly CycleInfo[]; update: UpdateView }) {
  const { ordinal, through, cycles, update } = props;
  const later = cycles.filter((cycle) => cycle.ordinal > ordinal && cycle.ordinal < ordinal + MAX_RANGE);
  if (later.length === 0) return null;
  const value = through !== null && through > ordinal ? Math.min(through, later[later.length - 1].ordinal) : ordinal;
  return (
    <label className="cycle-range">
      Show through{" "}
      <select
        value={value}
        onChange={(event) => {
          const chosen = Number(event.target.value);
          // A new selection starts a new replay.
          update({ through: chosen > ordinal ? chosen : null, at: null, sel: null, win: null });
        }}
      >
        <option value={ordinal}>this cycle only</option>
        {later.map((cycle) => (
          <option key={cycle.id} value={cycle.ordinal}>
            cycle {cycle.ordinal}
          </option>
        ))}
      </select>
    </label>
  );
}
