"use client";

// How the cycle is drawn: detail level, runner lifelines, hidden lifelines and message types, and
// the time zone of absolute times. Every choice is part of the URL.
import { useMemo } from "react";
import { ROLES, ROLE_SHORT, type Role, type TraceEvent } from "@/lib/trace/types";
import { roleTitle } from "./describe";
import type { UpdateView } from "./use-view-state";
import type { CycleViewState } from "./view-state";
import { ViewChoice } from "./ViewLink";

export function ViewOptions({ events, state, update }: { events: readonly TraceEvent[]; state: CycleViewState; update: UpdateView }) {
  const roles = useMemo(() => rolesIn(events), [events]);
  const types = useMemo(() => typesIn(events, state.detail === "full", state.hiddenTypes), [events, state.detail, state.hiddenTypes]);

  function toggleRole(role: Role, hidden: boolean) {
    const next = hidden ? [...state.hiddenRoles, role] : state.hiddenRoles.filter((r) => r !== role);
    update({ hiddenRoles: next, win: null });
  }
  function toggleType(type: string, hidden: boolean) {
    const next = hidden ? [...state.hiddenTypes, type] : state.hiddenTypes.filter((t) => t !== type);
    update({ hiddenTypes: next, win: null });
  }

  return (
    <div className="view-options" role="group" aria-label="View options">
      <ViewChoice
        label="Detail level"
        current={state.detail}
        update={update}
        options={[
          { key: "default", label: "Default", change: { detail: "default", win: null } },
          { key: "full", label: "Full detail", change: { detail: "full", win: null } },
        ]}
      />
      <ViewChoice
        label="Runner lifelines"
        current={state.runners}
        update={update}
        options={[
          { key: "merged", label: "Runners merged", change: { runners: "merged" } },
          { key: "split", label: "Runners split", change: { runners: "split" } },
        ]}
      />
      <ViewChoice
        label="Time zone"
        current={state.tz}
        update={update}
        options={[
          { key: "utc", label: "UTC", change: { tz: "utc" } },
          { key: "local", label: "Local time", change: { tz: "local" } },
        ]}
      />
      <details className="filter-menu">
        <summary>
          Lifelines{state.hiddenRoles.length > 0 ? ` (${state.hiddenRoles.length} hidden)` : ""}
        </summary>
        <fieldset>
          <legend className="visually-hidden">Lifelines shown</legend>
          {roles.map((role) => (
            <label key={role} className="check">
              <input
                type="checkbox"
                checked={!state.hiddenRoles.includes(role)}
                onChange={(event) => toggleRole(role, !event.target.checked)}
              />
              {roleTitle({ role, id: "" })} <span className="muted mono">{ROLE_SHORT[role]}</span>
            </label>
          ))}
        </fieldset>
      </details>
      <details className="filter-menu">
        <summary>
          Message types{state.hiddenTypes.length > 0 ? ` (${state.hiddenTypes.length} hidden)` : ""}
        </summary>
        <fieldset>
          <legend className="visually-hidden">Message and note types shown</legend>
          {types.map(({ type, count }) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={!state.hiddenTypes.includes(type)}
                onChange={(event) => toggleType(type, !event.target.checked)}
              />
              <span className="mono">{type}</span> <span className="muted">×{count}</span>
            </label>
          ))}
        </fieldset>
      </details>
    </div>
  );
}

function rolesIn(events: readonly TraceEvent[]): Role[] {
  const seen = new Set<Role>();
  for (const event of events) {
    if (event.from) seen.add(event.from.role);
    if (event.to) seen.add(event.to.role);
  }
  return ROLES.filter((role) => seen.has(role));
}

/** Types of drawable events with their counts: housekeeping only in full detail, hidden ones always. */
function typesIn(events: readonly TraceEvent[], full: boolean, hidden: readonly string[]): { type: string; count: number }[] {
  const counts = new Map<string, number>(hidden.map((type) => [type, 0]));
  for (const event of events) {
    if (event.kind === "phase-start" || event.kind === "phase-end") continue;
    if (event.housekeeping && !full && !hidden.includes(event.type)) continue;
    counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type));
}
