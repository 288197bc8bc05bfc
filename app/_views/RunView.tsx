"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useRef } from "react";
import { CyclesTable } from "@/components/CyclesTable";
import { ActorsTable } from "@/components/dashboard/ActorsTable";
import { AnomalyList } from "@/components/dashboard/AnomalyList";
import { dashboardQueries, LIVE_LIST_POLL_MS } from "@/components/dashboard/dashboard-queries";
import { RunnersTable } from "@/components/dashboard/RunnersTable";
import { summarizeRunners } from "@/components/dashboard/runners";
import { useRefreshWhenEnded } from "@/components/dashboard/use-refresh-when-ended";
import { DiagramLegend } from "@/components/DiagramLegend";
import { EmptyState, ErrorState, LoadingState } from "@/components/QueryStates";
import { SegmentedLinks } from "@/components/SegmentedLinks";
import { ViewToolbar } from "@/components/toolbar/ViewToolbar";
import type { RunInfo } from "@/lib/trace/types";
import { queries, type DiagramDetail } from "../_queries/resources";
import { DiagramPanel } from "./DiagramPanel";
import { RunHeader } from "./RunHeader";

export interface RunViewProps {
  runId: string;
  /** The actor whose cycles the whole-run diagram shows; null when the run has no actor. */
  actorId: string | null;
  detail: DiagramDetail;
}

/** Past this many events the runner summary (read from every event) is not loaded. */
const RUNNER_SUMMARY_MAX_EVENTS = 20_000;

function runPageHref(runId: string, actorId: string, detail: DiagramDetail): string {
  const params = new URLSearchParams({ actor: actorId });
  if (detail !== "default") params.set("detail", detail);
  return `/runs/${encodeURIComponent(runId)}?${params.toString()}`;
}

export function RunView({ runId, actorId, detail }: RunViewProps) {
  const run = useQuery(dashboardQueries.runProgress(runId));
  const recording = run.data?.status === "running";
  useRefreshWhenEnded(runId, recording);
  // While the run records, its actors, cycles and diagram grow: read them again as it goes.
  const live = { refetchInterval: recording ? LIVE_LIST_POLL_MS : (false as const) };
  const actors = useQuery({ ...queries.actors(runId), ...live });
  const cycles = useQuery({ ...queries.cycles(runId), ...live });

  if (run.isPending) return <LoadingState>Loading run…</LoadingState>;
  if (run.isError) return <ErrorState title="The run could not be loaded." error={run.error} />;

  return (
    <>
      <RunHeader run={run.data} actorId={actorId} />

      <section aria-labelledby="actors-heading">
        <h2 id="actors-heading">Actors</h2>
        {actors.isPending && <LoadingState>Loading actors…</LoadingState>}
        {actors.isError && <ErrorState title="The actors could not be loaded." error={actors.error} />}
        {actors.data?.length === 0 && <EmptyState title="This run recorded no actor." />}
        {actors.data && actors.data.length > 0 && (
          <ActorsTable actors={actors.data} shownActorId={actorId} diagramHref={(id) => runPageHref(runId, id, detail)} />
        )}
      </section>

      <section aria-labelledby="runners-heading">
        <h2 id="runners-heading">Runners</h2>
        <Runners run={run.data} />
      </section>

      <section aria-labelledby="cycles-heading">
        <h2 id="cycles-heading">Cycles</h2>
        {cycles.isPending && <LoadingState>Loading cycles…</LoadingState>}
        {cycles.isError && <ErrorState title="The cycles could not be loaded." error={cycles.error} />}
        {cycles.data?.length === 0 && <EmptyState title="No wake/sleep cycles recorded." />}
        {cycles.data && cycles.data.length > 0 && (
          <>
            <CyclesTable runId={runId} cycles={cycles.data} caption={`Cycles of run ${run.data.name}`} />
            <h3 className="subheading">Anomalies</h3>
            <AnomalyList runId={runId} cycles={cycles.data} />
          </>
        )}
      </section>

      {actorId === null ? (
        <p>
          <a href={`/api/runs/${encodeURIComponent(runId)}/export`} download>
            Download the run as a JSON bundle
          </a>
        </p>
      ) : (
        <section aria-labelledby="diagram-heading">
          <h2 id="diagram-heading">
            All cycles of <span className="mono">{actorId}</span>
          </h2>
          {actors.data && actors.data.length > 1 && (
            <SegmentedLinks
              label="Actor shown in the diagram"
              current={actorId}
              options={actors.data.map((actor) => ({
                key: actor.actorId,
                label: actor.actorId,
                href: runPageHref(runId, actor.actorId, detail),
              }))}
            />
          )}
          <DiagramLegend />
          <RunDiagram run={run.data} actorId={actorId} detail={detail} recording={recording} />
        </section>
      )}
    </>
  );
}

function Runners({ run }: { run: RunInfo }) {
  const tooMany = run.eventCount > RUNNER_SUMMARY_MAX_EVENTS;
  const bundle = useQuery({
    ...dashboardQueries.bundle(run.id),
    enabled: !tooMany,
    refetchInterval: run.status === "running" ? LIVE_LIST_POLL_MS * 2 : false,
  });
  const runners = useMemo(() => (bundle.data ? summarizeRunners(bundle.data.events) : null), [bundle.data]);
  if (tooMany) {
    return <p className="muted">This run has too many events ({run.eventCount.toLocaleString("en-US")}) to summarise its runners here.</p>;
  }
  if (bundle.isPending) return <LoadingState>Loading runners…</LoadingState>;
  if (bundle.isError) return <ErrorState title="The runners could not be loaded." error={bundle.error} />;
  if (!runners || runners.length === 0) return <EmptyState title="No runner took part in this run." />;
  return <RunnersTable runners={runners} />;
}

function RunDiagram({ run, actorId, detail, recording }: { run: RunInfo; actorId: string; detail: DiagramDetail; recording: boolean }) {
  const panelRef = useRef<HTMLDivElement>(null);
  // Same query as the panel below (shared through the cache): the toolbar exports what it draws.
  const diagram = useQuery({
    ...queries.diagram({ runId: run.id, actorId, detail }),
    refetchInterval: recording ? LIVE_LIST_POLL_MS * 2 : false,
  });
  const getSvg = useCallback(() => panelRef.current?.querySelector<SVGSVGElement>('[data-testid="diagram"] svg') ?? null, []);
  return (
    <div ref={panelRef}>
      {diagram.data && (
        <ViewToolbar runId={run.id} mermaidText={diagram.data.text} getSvg={getSvg} fileStem={`${run.name}-${actorId}-run`} />
      )}
      <DiagramPanel
        view={{ runId: run.id, actorId, detail }}
        label={`Sequence diagram of every cycle of actor ${actorId}`}
        detailHref={(level) => runPageHref(run.id, actorId, level)}
      />
    </div>
  );
}
