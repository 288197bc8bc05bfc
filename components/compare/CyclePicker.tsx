"use client";

// Picks one side of a comparison: a run, then one of its cycles or an actor's whole run.
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { queries } from "@/app/_queries/resources";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { formatTimestamp } from "../format";
import type { CycleRef } from "./compare-target";

export interface CyclePickerProps {
  legend: string;
  value: CycleRef | null;
  onChange: (ref: CycleRef) => void;
}

const WHOLE_RUN = "whole";

function optionKey(actorId: string, ordinal: number | undefined): string {
  return JSON.stringify([actorId, ordinal ?? WHOLE_RUN]);
}

function cycleOptions(cycles: CycleInfo[]): { key: string; label: string; ref: Omit<CycleRef, "runId"> }[] {
  const actors = [...new Set(cycles.map((cycle) => cycle.actorId))];
  return actors.flatMap((actorId) => [
    ...cycles
      .filter((cycle) => cycle.actorId === actorId)
      .map((cycle) => ({
        key: optionKey(actorId, cycle.ordinal),
        label: `${actorId} · cycle ${cycle.ordinal} (${cycle.outcome}, ${cycle.eventCount} events)`,
        ref: { actorId, ordinal: cycle.ordinal },
      })),
    { key: optionKey(actorId, undefined), label: `${actorId} · whole run`, ref: { actorId } },
  ]);
}

function runLabel(run: RunInfo): string {
  return `${run.name} · ${run.source} · ${formatTimestamp(run.startedAt)} (${run.id})`;
}

export function CyclePicker({ legend, value, onChange }: CyclePickerProps) {
  const ids = useId();
  const runs = useQuery(queries.runList());
  // The run being chosen from; it becomes part of the value once a cycle of it is picked.
  const [chosenRun, setChosenRun] = useState<{ for: string | null; runId: string }>({
    for: value?.runId ?? null,
    runId: value?.runId ?? "",
  });
  const runId = chosenRun.for === (value?.runId ?? null) ? chosenRun.runId : (value?.runId ?? "");
  const cycles = useQuery({ ...queries.cycles(runId), enabled: runId !== "" });

  const runOptions = runs.data ?? [];
  const knownRun = runOptions.some((run) => run.id === runId);
  const options = cycles.data ? cycleOptions(cycles.data) : [];
  const current = value && value.runId === runId ? optionKey(value.actorId, value.ordinal) : "";

  return (
    <fieldset className="cycle-picker">
      <legend>{legend}</legend>
      <div className="field">
        <label htmlFor={`${ids}-run`}>Run</label>
        <select
          id={`${ids}-run`}
          value={runId}
          onChange={(event) => setChosenRun({ for: value?.runId ?? null, runId: event.target.value })}
        >
          <option value="" disabled>
            {runs.isPending ? "Loading runs…" : "Choose a run"}
          </option>
          {runId !== "" && !knownRun && <option value={runId}>{runId}</option>}
          {runOptions.map((run) => (
            <option key={run.id} value={run.id}>
              {runLabel(run)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-cycle`}>Cycle</label>
        <select
          id={`${ids}-cycle`}
          value={current}
          disabled={runId === "" || !cycles.data}
          onChange={(event) => {
            const picked = options.find((option) => option.key === event.target.value);
            if (picked) onChange({ runId, ...picked.ref });
          }}
        >
          <option value="" disabled>
            {cycles.isFetching && !cycles.data ? "Loading cycles…" : "Choose a cycle"}
          </option>
          {options.map((option) => (
            <option key={option.key} value={option.key}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {runs.isError && <p className="form-error">The runs could not be loaded: {runs.error.message}</p>}
      {cycles.isError && <p className="form-error">The cycles could not be loaded: {cycles.error.message}</p>}
      {cycles.data?.length === 0 && <p className="muted">This run recorded no cycles.</p>}
    </fieldset>
  );
}
