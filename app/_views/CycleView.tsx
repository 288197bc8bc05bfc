"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { DiagramLegend } from "@/components/DiagramLegend";
import { MermaidDiagram, preloadMermaid } from "@/components/MermaidDiagram";
import { EmptyState, ErrorState, LoadingState } from "@/components/QueryStates";
import { runHref } from "@/components/RunCard";
import type { CycleInfo } from "@/lib/trace/types";
import { useIsOwner } from "../_queries/access";
import type { DiagramDetail } from "../_queries/resources";
import { combineCycles } from "./cycle/cycle-range";
import { CycleRangePicker } from "./cycle/CycleRangePicker";
import { CycleSummary } from "./cycle/CycleSummary";
import { CycleWorkbench } from "./cycle/CycleWorkbench";
import { useCycleData } from "./cycle/use-cycle-data";
import { useLocationSearch, useViewState } from "./cycle/use-view-state";
import { nextSearch } from "./cycle/view-state";

// The drawing is what this page is for: Mermaid is fetched as soon as the page's code runs, while
// it hydrates and reads the cycle's events, instead of once the events are there.
if (typeof window !== "undefined") preloadMermaid();

export interface CycleViewProps {
  runId: string;
  actorId: string;
  ordinal: number;
  /** Read from the URL by the view itself; accepted for the page's sake. */
  detail?: DiagramDetail;
  /**
   * The diagram text the server computed, when the cycle's events are not sent with the page: the
   * page's inline script draws it at once (see EarlyDrawing), shown here while the events load.
   */
  previewText?: string | null;
}

/** Another cycle of the same actor, keeping how the view is drawn (not the replay, selection or range). */
function otherCycleHref(runId: string, cycle: Pick<CycleInfo, "actorId" | "ordinal">, search: string): string {
  const params = new URLSearchParams(search);
  params.set("actor", cycle.actorId);
  return `/runs/${encodeURIComponent(runId)}/cycles/${cycle.ordinal}${nextSearch(params, { at: null, sel: null, win: null, through: null })}`;
}

export function CycleView({ runId, actorId, ordinal, previewText = null }: CycleViewProps) {
  const search = useLocationSearch();
  const [state, update] = useViewState();
  const data = useCycleData(runId, actorId, ordinal, state.through);
  const actorCycles = (data.cycles ?? []).filter((cycle) => cycle.actorId === actorId);
  const last = data.selected[data.selected.length - 1]?.ordinal ?? ordinal;
  const previous = actorCycles.find((candidate) => candidate.ordinal === ordinal - 1);
  const next = actorCycles.find((candidate) => candidate.ordinal === last + 1);
  const range = data.selected.length > 1;
  const owner = useIsOwner();
  const router = useRouter();
  // Following a live actor: when the page was opened on its latest cycle (or on one not started
  // yet), the page moves on to the next cycle as soon as it starts. On by default; a checkbox.
  const [follow, setFollow] = useState(true);
  const openedOn = `${actorId}:${ordinal}`;
  const [opened, setOpened] = useState<{ on: string; latest: boolean } | null>(null);
  if (data.cycles !== undefined && opened?.on !== openedOn) setOpened({ on: openedOn, latest: next === undefined });
  const followTo = data.live && follow && !range && opened?.on === openedOn && opened.latest && next ? otherCycleHref(runId, next, search) : null;
  useEffect(() => {
    if (followTo) router.push(followTo, { scroll: false });
  }, [followTo, router]);

  return (
    <>
      <header className="page-header">
        <p className="breadcrumb">
          {owner && (
            <>
              <Link href="/">Runs</Link> /{" "}
            </>
          )}
          <Link href={runHref(runId)}>{data.run?.name ?? runId}</Link> /{" "}
          {range ? `cycles ${ordinal}–${last}` : `cycle ${ordinal}`}
        </p>
        <h1>
          {range ? `Cycles ${ordinal}–${last}` : `Cycle ${ordinal}`} of <span className="mono">{actorId}</span>
        </h1>
        <nav className="cycle-nav" aria-label="Other cycles of this actor">
          {previous && <Link href={otherCycleHref(runId, previous, search)}>← Cycle {previous.ordinal}</Link>}
          {next && <Link href={otherCycleHref(runId, next, search)}>Cycle {next.ordinal} →</Link>}
          {data.live && !range && (
            <label className="follow-toggle">
              <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} /> Follow into the next cycle
            </label>
          )}
          {actorCycles.length > 1 && <CycleRangePicker ordinal={ordinal} through={state.through} cycles={actorCycles} update={update} />}
        </nav>
      </header>

      {data.pending && <LoadingState>{data.live ? "Waiting for the cycle's events…" : "Loading cycle…"}</LoadingState>}
      {data.error !== null && <ErrorState title="The cycle could not be loaded." error={data.error} />}
      {!data.pending && data.error === null && data.selected.length === 0 && (
        <EmptyState title="This cycle has no recorded events (yet).">
          <p>{data.live ? "The run is still recording; the cycle appears here as soon as it starts." : "The run recorded no such cycle."}</p>
        </EmptyState>
      )}
      {data.selected.length > 0 && data.run && (
        <CycleSummary cycle={combineCycles(data.selected)} runStartedAt={data.run.startedAt} tz={state.tz} stream={data.stream} />
      )}

      <section aria-labelledby="diagram-heading">
        <h2 id="diagram-heading">Sequence diagram</h2>
        <DiagramLegend />
        {data.selected.length > 0 && data.run && data.events ? (
          <CycleWorkbench run={data.run} cycles={data.selected} events={data.events} live={data.live} />
        ) : (
          data.pending &&
          previewText !== null && (
            <div className="cycle-preview">
              <MermaidDiagram text={previewText} label={`Sequence diagram of cycle ${ordinal} of actor ${actorId}`} early />
            </div>
          )
        )}
      </section>
    </>
  );
}
