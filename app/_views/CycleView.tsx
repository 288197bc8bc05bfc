"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { cycleHref } from "@/components/CyclesTable";
import { DiagramLegend } from "@/components/DiagramLegend";
import { ErrorState, LoadingState } from "@/components/QueryStates";
import { runHref } from "@/components/RunCard";
import { queries, type DiagramDetail } from "../_queries/resources";
import { CycleFacts } from "./CycleFacts";
import { DiagramPanel } from "./DiagramPanel";

export interface CycleViewProps {
  runId: string;
  actorId: string;
  ordinal: number;
  detail: DiagramDetail;
}

function withDetail(href: string, detail: DiagramDetail): string {
  return detail === "default" ? href : `${href}&detail=${detail}`;
}

export function CycleView({ runId, actorId, ordinal, detail }: CycleViewProps) {
  const run = useQuery(queries.run(runId));
  const cycles = useQuery(queries.cycles(runId));
  const actorCycles = (cycles.data ?? []).filter((cycle) => cycle.actorId === actorId);
  const cycle = actorCycles.find((candidate) => candidate.ordinal === ordinal);
  const previous = actorCycles.find((candidate) => candidate.ordinal === ordinal - 1);
  const next = actorCycles.find((candidate) => candidate.ordinal === ordinal + 1);

  return (
    <>
      <header className="page-header">
        <p className="breadcrumb">
          <Link href="/">Runs</Link> / <Link href={runHref(runId)}>{run.data?.name ?? runId}</Link> / cycle {ordinal}
        </p>
        <h1>
          Cycle {ordinal} of <span className="mono">{actorId}</span>
        </h1>
        <nav className="cycle-nav" aria-label="Other cycles of this actor">
          {previous && <Link href={withDetail(cycleHref(runId, previous), detail)}>← Cycle {previous.ordinal}</Link>}
          {next && <Link href={withDetail(cycleHref(runId, next), detail)}>Cycle {next.ordinal} →</Link>}
        </nav>
      </header>

      {cycles.isPending && <LoadingState>Loading cycle…</LoadingState>}
      {cycles.isError && <ErrorState title="The cycle could not be loaded." error={cycles.error} />}
      {cycle && <CycleFacts cycle={cycle} />}

      <section aria-labelledby="diagram-heading">
        <h2 id="diagram-heading">Sequence diagram</h2>
        <DiagramLegend />
        <DiagramPanel
          view={{ runId, actorId, cycle: ordinal, detail }}
          label={`Sequence diagram of cycle ${ordinal} of actor ${actorId}`}
          detailHref={(level) => withDetail(cycleHref(runId, { actorId, ordinal }), level)}
        />
      </section>
    </>
  );
}
