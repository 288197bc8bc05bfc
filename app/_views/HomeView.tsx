"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { CyclesTable } from "@/components/CyclesTable";
import { EmptyState, ErrorState, LoadingState } from "@/components/QueryStates";
import { RunCard, runHref } from "@/components/RunCard";
import { ScenarioForm } from "@/components/ScenarioForm";
import type { RunInfo } from "@/lib/trace/types";
import { queries, startRun } from "../_queries/resources";

export function HomeView() {
  return (
    <>
      <h1>Runs</h1>
      <section aria-labelledby="start-heading" className="card">
        <h2 id="start-heading">Start a scenario</h2>
        <StartScenario />
      </section>
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading">Recorded runs</h2>
        <RunList />
      </section>
    </>
  );
}

function StartScenario() {
  const queryClient = useQueryClient();
  const scenarios = useQuery(queries.scenarios());
  const start = useMutation({
    mutationFn: startRun,
    onSuccess: async (result) => {
      queryClient.setQueryData(queries.cycles(result.run.id).queryKey, result.cycles);
      queryClient.setQueryData(queries.run(result.run.id).queryKey, result.run);
      await queryClient.invalidateQueries({ queryKey: queries.runList().queryKey });
    },
  });

  if (scenarios.isPending) return <LoadingState>Loading scenarios…</LoadingState>;
  if (scenarios.isError) return <ErrorState title="The scenarios could not be loaded." error={scenarios.error} />;
  if (scenarios.data.length === 0) return <EmptyState title="No built-in scenarios are available." />;
  return (
    <>
      <ScenarioForm
        scenarios={scenarios.data}
        pending={start.isPending}
        error={start.error ? start.error.message : null}
        onStart={(input) => start.mutate(input)}
      />
      {start.data && (
        <p className="form-success" role="status">
          Recorded <Link href={runHref(start.data.run.id)}>{start.data.run.name}</Link> with{" "}
          {start.data.cycles.length} cycle{start.data.cycles.length === 1 ? "" : "s"}.
        </p>
      )}
    </>
  );
}

function RunList() {
  const runs = useQuery(queries.runList());
  if (runs.isPending) return <LoadingState>Loading runs…</LoadingState>;
  if (runs.isError) return <ErrorState title="The runs could not be loaded." error={runs.error} />;
  if (runs.data.length === 0) {
    return (
      <EmptyState title="No runs yet.">
        <p>Start a scenario above to record one.</p>
      </EmptyState>
    );
  }
  return (
    <div className="run-list">
      {runs.data.map((run) => (
        <RunWithCycles key={run.id} run={run} />
      ))}
    </div>
  );
}

function RunWithCycles({ run }: { run: RunInfo }) {
  const cycles = useQuery(queries.cycles(run.id));
  return (
    <RunCard run={run} cycleCount={cycles.data?.length ?? null}>
      {cycles.isPending && <LoadingState>Loading cycles…</LoadingState>}
      {cycles.isError && <ErrorState title="The cycles could not be loaded." error={cycles.error} />}
      {cycles.data && cycles.data.length === 0 && <p className="muted">No wake/sleep cycles recorded.</p>}
      {cycles.data && cycles.data.length > 0 && (
        <CyclesTable runId={run.id} cycles={cycles.data} caption={`Cycles of ${run.name}`} />
      )}
    </RunCard>
  );
}
