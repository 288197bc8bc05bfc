"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { CyclesTable } from "@/components/CyclesTable";
import { ImportBundle } from "@/components/dashboard/ImportBundle";
import { RunFilters } from "@/components/dashboard/RunFilters";
import { RunProgress } from "@/components/dashboard/RunProgress";
import { DASHBOARD_RUN_LIMIT, dashboardQueries, importRun, LIVE_LIST_POLL_MS, startRun } from "@/components/dashboard/dashboard-queries";
import { useRefreshWhenEnded } from "@/components/dashboard/use-refresh-when-ended";
import { isFiltered, runFilterHref, type RunFilter } from "@/components/dashboard/run-filter";
import { EmptyState, ErrorState, LoadingState } from "@/components/QueryStates";
import { RunCard, runHref } from "@/components/RunCard";
import { ScenarioForm } from "@/components/ScenarioForm";
import type { RunInfo } from "@/lib/trace/types";
import type { UploadProgress } from "../_queries/fetch-json";
import { queries } from "../_queries/resources";
import { RecordRealEngine } from "./RecordRealEngine";

export function HomeView({ filter }: { filter: RunFilter }) {
  return (
    <>
      <h1>Runs</h1>
      <div className="dashboard-actions">
        <section aria-labelledby="start-heading" className="card">
          <h2 id="start-heading">Start a scenario</h2>
          <StartScenario />
        </section>
        <section aria-labelledby="import-heading" className="card">
          <h2 id="import-heading">Import a bundle</h2>
          <ImportRun />
        </section>
        <section aria-labelledby="record-heading" className="card">
          <h2 id="record-heading">Record a real engine</h2>
          <RecordRealEngine />
        </section>
      </div>
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading">Recorded runs</h2>
        <RunList filter={filter} />
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
      queryClient.setQueryData(queries.run(result.run.id).queryKey, result.run);
      if (result.run.status !== "running") queryClient.setQueryData(queries.cycles(result.run.id).queryKey, result.cycles);
      await queryClient.invalidateQueries({ queryKey: ["runs", "list"] });
    },
  });

  if (scenarios.isPending) return <LoadingState>Loading scenarios…</LoadingState>;
  if (scenarios.isError) return <ErrorState title="The scenarios could not be loaded." error={scenarios.error} />;
  return (
    <>
      {scenarios.data.length === 0 && <p className="muted">No built-in scenarios are available; upload a scenario file.</p>}
      <ScenarioForm
        scenarios={scenarios.data}
        pending={start.isPending}
        error={start.error ? start.error.message : null}
        onStart={(input) => start.mutate(input)}
      />
      {start.data && <StartedRunProgress runId={start.data.run.id} />}
    </>
  );
}

/** Follows a started run until it has ended, then shows its cycle count. */
function StartedRunProgress({ runId }: { runId: string }) {
  const queryClient = useQueryClient();
  const run = useQuery(dashboardQueries.runProgress(runId));
  const ended = run.data !== undefined && run.data.status !== "running";
  const cycles = useQuery({ ...queries.cycles(runId), enabled: ended });
  useEffect(() => {
    // Once the run has ended, the list below shows its final status and counts.
    if (ended) void queryClient.invalidateQueries({ queryKey: ["runs", "list"] });
  }, [ended, queryClient]);
  if (run.isError) return <ErrorState title="The run's progress could not be read." error={run.error} />;
  if (!run.data) return <LoadingState>Starting…</LoadingState>;
  return <RunProgress run={run.data} cycleCount={cycles.data?.length ?? null} />;
}

function ImportRun() {
  const queryClient = useQueryClient();
  const [fileName, setFileName] = useState<string | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const importing = useMutation({
    mutationFn: (file: File) => {
      setProgress({ sent: 0, total: file.size });
      return importRun(file, setProgress);
    },
    onSuccess: async ({ run }) => {
      queryClient.setQueryData(queries.run(run.id).queryKey, run);
      await queryClient.invalidateQueries({ queryKey: ["runs", "list"] });
    },
  });
  return (
    <>
      <ImportBundle
        pending={importing.isPending}
        progress={importing.isPending ? progress : null}
        onFile={(file) => {
          setFileName(file.name);
          importing.mutate(file);
        }}
      />
      {importing.isError && (
        <p className="form-error" role="alert">
          {fileName ?? "The file"} could not be imported: {importing.error.message}
        </p>
      )}
      {importing.isSuccess && (
        <p className="form-success" role="status" data-testid="import-result">
          Imported {fileName} as <Link href={runHref(importing.data.run.id)}>{importing.data.run.name}</Link> (
          {importing.data.run.eventCount} events).
        </p>
      )}
    </>
  );
}

function RunList({ filter }: { filter: RunFilter }) {
  const router = useRouter();
  // Older runs a page of DASHBOARD_RUN_LIMIT at a time; a new filter starts again at the newest.
  const [paging, setPaging] = useState({ key: runFilterHref(filter), page: 0 });
  const page = paging.key === runFilterHref(filter) ? paging.page : 0;
  const goTo = (next: number) => setPaging({ key: runFilterHref(filter), page: next });
  const runs = useQuery(dashboardQueries.runListPage(filter, page));
  return (
    <>
      <RunFilters key={runFilterHref(filter)} filter={filter} onApply={(next) => router.push(runFilterHref(next), { scroll: false })} />
      {runs.isPending && <LoadingState>Loading runs…</LoadingState>}
      {runs.isError && <ErrorState title="The runs could not be loaded." error={runs.error} />}
      {runs.data?.length === 0 &&
        (isFiltered(filter) ? (
          <EmptyState title="No run matches this filter.">
            <p>
              <Link href={runFilterHref({ name: "", source: null, since: null })}>Show all runs</Link>
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No runs yet.">
            <p>Start a scenario or import a bundle above to record one.</p>
          </EmptyState>
        ))}
      {runs.data && runs.data.length > 0 && (
        <div className="run-list" data-testid="run-list">
          {runs.data.map((run) => (
            <RunWithCycles key={run.id} run={run} />
          ))}
        </div>
      )}
      {(page > 0 || runs.data?.length === DASHBOARD_RUN_LIMIT) && (
        <nav className="run-pager" aria-label="Run list pages">
          <button type="button" onClick={() => goTo(page - 1)} disabled={page === 0}>
            ← Newer runs
          </button>
          <span data-testid="run-page">Page {page + 1}</span>
          <button type="button" onClick={() => goTo(page + 1)} disabled={(runs.data?.length ?? 0) < DASHBOARD_RUN_LIMIT}>
            Older runs →
          </button>
        </nav>
      )}
    </>
  );
}

function RunWithCycles({ run }: { run: RunInfo }) {
  useRefreshWhenEnded(run.id, run.status === "running");
  // A run still recording gains cycles as it goes.
  const cycles = useQuery({ ...queries.cycles(run.id), refetchInterval: run.status === "running" ? LIVE_LIST_POLL_MS : false });
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
