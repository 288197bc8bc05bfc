"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useMemo } from "react";
import { CyclesTable } from "@/components/CyclesTable";
import { ActorsTable } from "@/components/dashboard/ActorsTable";
import { AnomalyList } from "@/components/dashboard/AnomalyList";
import { dashboardQueries, LIVE_LIST_POLL_MS } from "@/components/dashboard/dashboard-queries";
import { RunnersTable } from "@/components/dashboard/RunnersTable";
import { summarizeRunners } from "@/components/dashboard/runners";
import { useRefreshWhenEnded } from "@/components/dashboard/use-refresh-when-ended";
import { DiagramLegend } from "@/components/DiagramLegend";
import { preloadMermaid } from "@/components/MermaidDiagram";
import { EmptyState, ErrorState, LoadingState } from "@/components/QueryStates";
import { SegmentedLinks } from "@/components/SegmentedLinks";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { queries, type DiagramDetail } from "../_queries/resources";
import { RunDiagram } from "./RunDiagram";
import { choiceName, formatDraw, parseDraw, resolveChoice, type RunDiagramChoice } from "./run-diagram-choice";
import { RunHeader } from "./RunHeader";
import { RunHousekeeping } from "./RunHousekeeping";
import { useLiveRun } from "./use-live-run";
import type { LiveRun } from "./live-run-diagram";
import { useRunLiveRefresh } from "./use-run-live-refresh";

export interface RunViewProps {
  runId: string;
  /** The actor whose cycles the whole-run diagram shows; null when the run has no actor. */
  actorId: string | null;
  detail: DiagramDetail;
  /** What the diagram draws, as in the URL (`run`, `3`, `3-7`); null for the default. */
  draw?: string | null;
}

// Most run pages draw a diagram: Mermaid is fetched while the page hydrates and reads its data.
if (typeof window !== "undefined") preloadMermaid();

/** Cycles listed at once on a run's page. */
const CYCLES_PAGE_SIZE = 50;

/** Past this many events the runner summary (read from every event) is not loaded. */
const RUNNER_SUMMARY_MAX_EVENTS = 20_000;

function runPageHref(runId: string, actorId: string, detail: DiagramDetail, draw?: RunDiagramChoice): string {
  const params = new URLSearchParams({ actor: actorId });
  if (detail !== "default") params.set("detail", detail);
  if (draw) params.set("draw", formatDraw(draw));
  return `/runs/${encodeURIComponent(runId)}?${params.toString()}`;
}

export function RunView({ runId, actorId, detail, draw = null }: RunViewProps) {
  const run = useQuery(dashboardQueries.runProgress(runId));
  const recording = run.data?.status === "running";
  useRefreshWhenEnded(runId, recording);
  // While the run records, its events stream into the page: the diagram, the cycles and the
  // runners are computed from them at once rather than fetched again after every batch.
  const streamed = useLiveRun(runId, recording, run.data?.eventCount);
  useRunLiveRefresh(runId, recording && streamed === null, run.data?.eventCount ?? 0);
  // While the run records, its actors, cycles and diagram grow: read them again as it goes.
  const live = { refetchInterval: recording ? LIVE_LIST_POLL_MS : (false as const) };
  const actors = useQuery({ ...queries.actors(runId), ...live });
  const cycles = useQuery({ ...queries.cycles(runId), refetchInterval: recording && streamed === null ? LIVE_LIST_POLL_MS : false });
  const cycleList = streamed?.cycles ?? cycles.data;
  // The tables follow after the diagram: each batch draws first, lists second.
  const listedCycles = useDeferredValue(cycleList);

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
        <Runners run={run.data} streamed={streamed} />
      </section>

      <section aria-labelledby="cycles-heading">
        <h2 id="cycles-heading">Cycles</h2>
        {listedCycles === undefined && cycles.isPending && <LoadingState>Loading cycles…</LoadingState>}
        {listedCycles === undefined && cycles.isError && <ErrorState title="The cycles could not be loaded." error={cycles.error} />}
        {listedCycles?.length === 0 && <EmptyState title="No wake/sleep cycles recorded." />}
        {listedCycles && listedCycles.length > 0 && (
          <>
            <CyclesTable
              runId={runId}
              cycles={listedCycles}
              caption={`Cycles of run ${run.data.name}`}
              timeline
              pageSize={CYCLES_PAGE_SIZE}
              drawHref={(cycle) => `${runPageHref(runId, cycle.actorId, detail, { kind: "cycles", from: cycle.ordinal, to: cycle.ordinal })}#diagram-heading`}
            />
            <h3 className="subheading">Anomalies</h3>
            <AnomalyList runId={runId} cycles={listedCycles} />
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
          <RunDiagramSection run={run.data} actorId={actorId} detail={detail} draw={draw} recording={recording} cycles={cycleList} actors={actors.data} streamed={streamed} />
        </section>
      )}

      <RunHousekeeping run={run.data} />
    </>
  );
}

function Runners({ run, streamed }: { run: RunInfo; streamed: LiveRun | null }) {
  const tooMany = run.eventCount > RUNNER_SUMMARY_MAX_EVENTS;
  const bundle = useQuery({
    ...dashboardQueries.bundle(run.id),
    // Streamed events say the same without reading every event again every two seconds.
    enabled: !tooMany && streamed === null,
    refetchInterval: run.status === "running" ? LIVE_LIST_POLL_MS * 2 : false,
  });
  // Read after the diagram is drawn: every batch would otherwise summarise the run before it.
  const events = useDeferredValue(streamed?.events ?? bundle.data?.events);
  const runners = useMemo(() => (events ? summarizeRunners(events) : null), [events]);
  if (tooMany) {
    return <p className="muted">This run has too many events ({run.eventCount.toLocaleString("en-US")}) to summarise its runners here.</p>;
  }
  if (!events && bundle.isPending) return <LoadingState>Loading runners…</LoadingState>;
  if (!events && bundle.isError) return <ErrorState title="The runners could not be loaded." error={bundle.error} />;
  if (!runners || runners.length === 0) return <EmptyState title="No runner took part in this run." />;
  return <RunnersTable runners={runners} />;
}

function RunDiagramSection(props: {
  run: RunInfo;
  actorId: string;
  detail: DiagramDetail;
  draw: string | null;
  recording: boolean;
  cycles: CycleInfo[] | undefined;
  actors: { actorId: string }[] | undefined;
  streamed: LiveRun | null;
}) {
  const { run, actorId, detail, draw, recording, actors, streamed } = props;
  const actorCycles = useMemo(() => (props.cycles ?? []).filter((cycle) => cycle.actorId === actorId), [props.cycles, actorId]);
  const choice = resolveChoice(parseDraw(draw), run, actorCycles);
  const href = ({ draw: next, detail: level }: { draw?: RunDiagramChoice; detail?: DiagramDetail }) =>
    runPageHref(run.id, actorId, level ?? detail, next ?? choice);
  return (
    <>
      <h2 id="diagram-heading">
        Diagram of {choiceName(choice)} of <span className="mono">{actorId}</span>
      </h2>
      {actors && actors.length > 1 && (
        <SegmentedLinks
          label="Actor shown in the diagram"
          current={actorId}
          options={actors.map((actor) => ({
            key: actor.actorId,
            label: actor.actorId,
            href: runPageHref(run.id, actor.actorId, detail),
          }))}
        />
      )}
      <DiagramLegend />
      {props.cycles === undefined ? (
        <LoadingState>Loading cycles…</LoadingState>
      ) : (
        <RunDiagram run={run} actorId={actorId} detail={detail} recording={recording} cycles={actorCycles} choice={choice} href={href} streamed={streamed} />
      )}
    </>
  );
}
