"use client";

import Link from "next/link";
import { DiagramLegend } from "@/components/DiagramLegend";
import { ErrorState, LoadingState } from "@/components/QueryStates";
import { runHref } from "@/components/RunCard";
import type { CycleInfo } from "@/lib/trace/types";
import type { DiagramDetail } from "../_queries/resources";
import { CycleSummary } from "./cycle/CycleSummary";
import { CycleWorkbench } from "./cycle/CycleWorkbench";
import { useCycleData } from "./cycle/use-cycle-data";
import { useLocationSearch } from "./cycle/use-view-state";
import { nextSearch, parseViewState } from "./cycle/view-state";

export interface CycleViewProps {
  runId: string;
  actorId: string;
  ordinal: number;
  /** Read from the URL by the view itself; accepted for the page's sake. */
  detail?: DiagramDetail;
}

/** Another cycle of the same actor, keeping how the view is drawn (not the replay or selection). */
function otherCycleHref(runId: string, cycle: Pick<CycleInfo, "actorId" | "ordinal">, search: URLSearchParams): string {
  const params = new URLSearchParams(search);
  params.set("actor", cycle.actorId);
  return `/runs/${encodeURIComponent(runId)}/cycles/${cycle.ordinal}${nextSearch(params, { at: null, sel: null, win: null })}`;
}

export function CycleView({ runId, actorId, ordinal }: CycleViewProps) {
  const search = new URLSearchParams(useLocationSearch());
  const data = useCycleData(runId, actorId, ordinal);
  const actorCycles = (data.cycles ?? []).filter((cycle) => cycle.actorId === actorId);
  const previous = actorCycles.find((candidate) => candidate.ordinal === ordinal - 1);
  const next = actorCycles.find((candidate) => candidate.ordinal === ordinal + 1);
  const tz = parseViewState(search).tz;

  return (
    <>
      <header className="page-header">
        <p className="breadcrumb">
          <Link href="/">Runs</Link> / <Link href={runHref(runId)}>{data.run?.name ?? runId}</Link> / cycle {ordinal}
        </p>
        <h1>
          Cycle {ordinal} of <span className="mono">{actorId}</span>
        </h1>
        <nav className="cycle-nav" aria-label="Other cycles of this actor">
          {previous && <Link href={otherCycleHref(runId, previous, search)}>← Cycle {previous.ordinal}</Link>}
          {next && <Link href={otherCycleHref(runId, next, search)}>Cycle {next.ordinal} →</Link>}
        </nav>
      </header>

      {data.pending && <LoadingState>{data.live ? "Waiting for the cycle's events…" : "Loading cycle…"}</LoadingState>}
      {data.error !== null && <ErrorState title="The cycle could not be loaded." error={data.error} />}
      {data.cycle && data.run && <CycleSummary cycle={data.cycle} runStartedAt={data.run.startedAt} tz={tz} stream={data.stream} />}

      <section aria-labelledby="diagram-heading">
        <h2 id="diagram-heading">Sequence diagram</h2>
        <DiagramLegend />
        {data.cycle && data.run && data.events && (
          <CycleWorkbench run={data.run} cycle={data.cycle} events={data.events} live={data.live} />
        )}
      </section>
    </>
  );
}
