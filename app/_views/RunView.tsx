"use client";

import { useQuery } from "@tanstack/react-query";
import { CyclesTable } from "@/components/CyclesTable";
import { DiagramLegend } from "@/components/DiagramLegend";
import { EmptyState, ErrorState, LoadingState } from "@/components/QueryStates";
import { SegmentedLinks } from "@/components/SegmentedLinks";
import { queries, type DiagramDetail } from "../_queries/resources";
import { DiagramPanel } from "./DiagramPanel";
import { RunHeader } from "./RunHeader";

export interface RunViewProps {
  runId: string;
  /** The actor whose cycles the whole-run diagram shows; null when the run has no actor. */
  actorId: string | null;
  detail: DiagramDetail;
}

function runPageHref(runId: string, actorId: string, detail: DiagramDetail): string {
  const params = new URLSearchParams({ actor: actorId });
  if (detail !== "default") params.set("detail", detail);
  return `/runs/${encodeURIComponent(runId)}?${params.toString()}`;
}

export function RunView({ runId, actorId, detail }: RunViewProps) {
  const run = useQuery(queries.run(runId));
  const actors = useQuery(queries.actors(runId));
  const cycles = useQuery(queries.cycles(runId));

  if (run.isPending) return <LoadingState>Loading run…</LoadingState>;
  if (run.isError) return <ErrorState title="The run could not be loaded." error={run.error} />;

  return (
    <>
      <RunHeader run={run.data} />

      <section aria-labelledby="actors-heading">
        <h2 id="actors-heading">Actors</h2>
        {actors.isPending && <LoadingState>Loading actors…</LoadingState>}
        {actors.isError && <ErrorState title="The actors could not be loaded." error={actors.error} />}
        {actors.data?.length === 0 && <EmptyState title="This run recorded no actor." />}
        {actors.data && actors.data.length > 0 && actorId !== null && (
          <SegmentedLinks
            label="Actor shown in the diagram"
            current={actorId}
            options={actors.data.map((actor) => ({
              key: actor.actorId,
              label: actor.state ? `${actor.actorId} (${actor.state})` : actor.actorId,
              href: runPageHref(runId, actor.actorId, detail),
            }))}
          />
        )}
      </section>

      <section aria-labelledby="cycles-heading">
        <h2 id="cycles-heading">Cycles</h2>
        {cycles.isPending && <LoadingState>Loading cycles…</LoadingState>}
        {cycles.isError && <ErrorState title="The cycles could not be loaded." error={cycles.error} />}
        {cycles.data?.length === 0 && <EmptyState title="No wake/sleep cycles recorded." />}
        {cycles.data && cycles.data.length > 0 && (
          <CyclesTable runId={runId} cycles={cycles.data} caption={`Cycles of run ${run.data.name}`} />
        )}
      </section>

      {actorId !== null && (
        <section aria-labelledby="diagram-heading">
          <h2 id="diagram-heading">
            All cycles of <span className="mono">{actorId}</span>
          </h2>
          <DiagramLegend />
          <DiagramPanel
            view={{ runId, actorId, detail }}
            label={`Sequence diagram of every cycle of actor ${actorId}`}
            detailHref={(level) => runPageHref(runId, actorId, level)}
          />
        </section>
      )}
    </>
  );
}
