"use client";

// The run page's diagram: the whole run of an actor when it is small enough, else one chosen cycle
// or a chosen range of cycles (see run-diagram-choice.ts). A drawing too large for Mermaid offers a
// smaller one and the cycle view, and the export buttons say why they are off while there is no
// drawing to export.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { cycleHref } from "@/components/CyclesTable";
import { LIVE_LIST_POLL_MS } from "@/components/dashboard/dashboard-queries";
import type { DiagramState } from "@/components/MermaidDiagram";
import { ViewToolbar } from "@/components/toolbar/ViewToolbar";
import { compareHref } from "@/components/compare/compare-target";
import { buildFlow, renderMermaid } from "@/lib/diagram";
import type { CycleInfo, RunInfo } from "@/lib/trace/types";
import { queries, type DiagramDetail } from "../_queries/resources";
import type { StepWindow } from "./cycle/windowing";
import { cycleQueries } from "./cycle/queries";
import { DiagramPanel } from "./DiagramPanel";
import { liveRunDiagram, type LiveRun } from "./live-run-diagram";
import { choiceName, formatDraw, MAX_CYCLES_AT_ONCE, smallerChoices, wholeRunDrawable, WHOLE_RUN_MAX_EVENTS, type RunDiagramChoice } from "./run-diagram-choice";

export interface RunDiagramProps {
  run: RunInfo;
  actorId: string;
  detail: DiagramDetail;
  recording: boolean;
  /** The actor's cycles, in order. */
  cycles: CycleInfo[];
  choice: RunDiagramChoice;
  /** The run page's address for another drawing or detail level. */
  href: (change: { draw?: RunDiagramChoice; detail?: DiagramDetail }) => string;
  /** The run's events streamed into the page while it records (null: read from the server). */
  streamed?: LiveRun | null;
}

interface Source {
  text: string | null;
  pending: boolean;
  error: unknown;
  /** Drawn from the stream: only the latest steps, when the drawing is longer than a live window. */
  following?: StepWindow | null;
}

/** The drawing made from the streamed events while the run records. */
function useStreamedText(streamed: LiveRun | null, actorId: string, detail: DiagramDetail, choice: RunDiagramChoice): Source | null {
  const draw = formatDraw(choice);
  return useMemo(() => {
    if (streamed === null) return null;
    try {
      const diagram = liveRunDiagram(streamed, actorId, choice, detail);
      if (diagram === null) return null;
      return { text: diagram.text, pending: false, error: null, following: diagram.following ? diagram.window : null };
    } catch (error) {
      return { text: null, pending: false, error };
    }
    // `draw` stands for `choice`, a new object on every render of the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [streamed, actorId, detail, draw]);
}

function useDiagramText(run: RunInfo, actorId: string, detail: DiagramDetail, choice: RunDiagramChoice, recording: boolean, streamed: LiveRun | null): Source {
  const streamedText = useStreamedText(recording ? streamed : null, actorId, detail, choice);
  const fromServer = streamedText === null;
  const live = { refetchInterval: recording ? LIVE_LIST_POLL_MS * 2 : (false as const) };
  const whole = choice.kind === "run";
  const single = choice.kind === "cycles" && choice.from === choice.to;
  const from = choice.kind === "cycles" ? choice.from : 1;
  const to = choice.kind === "cycles" ? choice.to : 1;
  const runDiagram = useQuery({ ...queries.diagram({ runId: run.id, actorId, detail }), ...live, enabled: fromServer && whole && wholeRunDrawable(run) });
  const cycleDiagram = useQuery({ ...queries.diagram({ runId: run.id, actorId, cycle: from, detail }), ...live, enabled: fromServer && single });
  const range = useQuery({ ...cycleQueries.selection(run.id, actorId, from, to), ...live, enabled: fromServer && choice.kind === "cycles" && !single });
  const rangeText = useMemo(() => {
    if (!range.data) return { text: null, error: null };
    try {
      return { text: renderMermaid(buildFlow(range.data.events, { detail })), error: null };
    } catch (error) {
      return { text: null, error };
    }
  }, [range.data, detail]);

  // When the run ends, its last streamed drawing stays on screen until the stored one has arrived.
  const [lastStreamed, setLastStreamed] = useState<Source | null>(null);
  if (streamedText !== null && streamedText !== lastStreamed) setLastStreamed(streamedText);

  if (whole && !wholeRunDrawable(run)) return { text: null, pending: false, error: null };
  if (streamedText !== null) return streamedText;
  const stored: Source = whole
    ? { text: runDiagram.data?.text ?? null, pending: runDiagram.isPending, error: runDiagram.error }
    : single
      ? { text: cycleDiagram.data?.text ?? null, pending: cycleDiagram.isPending, error: cycleDiagram.error }
      : { text: rangeText.text, pending: range.isPending, error: range.error ?? rangeText.error };
  return stored.text === null && stored.pending && lastStreamed?.text ? lastStreamed : stored;
}

export function RunDiagram({ run, actorId, detail, recording, cycles, choice, href, streamed = null }: RunDiagramProps) {
  const source = useDiagramText(run, actorId, detail, choice, recording, streamed);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const [drawing, setDrawing] = useState<{ state: DiagramState; error: string | null }>({ state: "rendering", error: null });
  const onDrawing = useCallback((svg: SVGSVGElement | null, state: DiagramState, error: string | null) => {
    svgRef.current = svg;
    setDrawing({ state, error });
  }, []);
  const getSvg = useCallback(() => svgRef.current, []);
  const tooManyEvents = choice.kind === "run" && !wholeRunDrawable(run);
  const name = choiceName(choice);
  const fileStem = `${run.name}-${actorId}-${choice.kind === "run" ? "run" : formatDraw(choice).replace(/^(\d+)$/, "cycle-$1").replace(/^(\d+)-(\d+)$/, "cycles-$1-$2")}`;
  const drawingUnavailable =
    source.text === null
      ? tooManyEvents
        ? "the run has too many events to draw as one diagram; draw fewer cycles."
        : "the diagram is still being loaded."
      : drawing.state === "error"
        ? `${drawing.error ?? "the diagram could not be drawn."} Download the Mermaid text, or draw fewer cycles.`
        : drawing.state === "rendering"
          ? "the diagram is still being drawn."
          : null;
  const offers = <SmallerOffers runId={run.id} actorId={actorId} choice={choice} cycles={cycles} href={href} />;
  const first = choice.kind === "cycles" ? choice.from : cycles[0]?.ordinal;

  return (
    <>
      {cycles.length > 0 && <DrawPicker key={formatDraw(choice)} run={run} choice={choice} cycles={cycles} href={href} />}
      <ViewToolbar
        runId={run.id}
        mermaidText={source.text ?? ""}
        getSvg={getSvg}
        fileStem={fileStem}
        drawingUnavailable={drawingUnavailable}
        compareHref={compareHref({ a: { runId: run.id, actorId, ordinal: choice.kind === "cycles" && choice.from === choice.to ? choice.from : undefined } })}
      />
      {tooManyEvents ? (
        <div className="state state-error" role="alert" data-testid="diagram-too-large">
          <p className="state-title">
            This run has {run.eventCount.toLocaleString("en-US")} events: too many to draw as one diagram (at most{" "}
            {WHOLE_RUN_MAX_EVENTS.toLocaleString("en-US")}).
          </p>
          {offers}
        </div>
      ) : (
        <>
          {source.following && (
            <p className="muted" data-testid="live-window">
              While the run records, its latest {(source.following.end - source.following.start).toLocaleString("en-US")} of{" "}
              {source.following.total.toLocaleString("en-US")} steps are drawn as they arrive; the whole drawing follows when it ends.
            </p>
          )}
          <DiagramPanel
            key={`${formatDraw(choice)}:${detail}`}
            text={source.text}
            pending={source.pending}
            error={source.error}
            label={`Sequence diagram of ${name} of actor ${actorId}`}
            detail={detail}
            detailHref={(level) => href({ detail: level })}
            errorActions={offers}
            onDrawing={onDrawing}
          />
        </>
      )}
      {first !== undefined && (
        <p className="muted">
          To replay, filter or inspect events, open{" "}
          <Link href={cycleHref(run.id, { actorId, ordinal: first })}>cycle {first} in the cycle view</Link>.
        </p>
      )}
    </>
  );
}

/** Smaller drawings, and the cycle view (which draws any cycle a part at a time): never a dead end. */
function SmallerOffers({ runId, actorId, choice, cycles, href }: { runId: string; actorId: string; choice: RunDiagramChoice; cycles: CycleInfo[]; href: RunDiagramProps["href"] }) {
  const offers = smallerChoices(choice, cycles);
  const first = choice.kind === "cycles" ? choice.from : cycles[0]?.ordinal;
  return (
    <div className="diagram-offers" data-testid="diagram-offers">
      <p>Draw less instead:</p>
      <ul>
        {offers.map((offer) => (
          <li key={formatDraw(offer)}>
            <Link href={href({ draw: offer })} scroll={false}>
              Draw {choiceName(offer)}
            </Link>
          </li>
        ))}
        {first !== undefined && (
          <li>
            <Link href={cycleHref(runId, { actorId, ordinal: first })}>Open cycle {first} in the cycle view</Link>{" "}
            <span className="muted">(it draws a large cycle a part at a time)</span>
          </li>
        )}
      </ul>
    </div>
  );
}

/** Whole run, one cycle, or a range: written into the URL, so the drawing can be linked. */
function DrawPicker({ run, choice, cycles, href }: { run: RunInfo; choice: RunDiagramChoice; cycles: CycleInfo[]; href: RunDiagramProps["href"] }) {
  const router = useRouter();
  const fromId = useId();
  const toId = useId();
  const ordinals = cycles.map((cycle) => cycle.ordinal);
  const [from, setFrom] = useState(choice.kind === "cycles" ? choice.from : ordinals[0]);
  const [to, setTo] = useState(choice.kind === "cycles" ? choice.to : ordinals[0]);
  const tooMany = Math.abs(to - from) + 1 > MAX_CYCLES_AT_ONCE;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (tooMany) return;
    router.push(href({ draw: { kind: "cycles", from: Math.min(from, to), to: Math.max(from, to) } }), { scroll: false });
  }

  return (
    <form className="draw-picker" aria-label="What the diagram draws" onSubmit={onSubmit} data-testid="draw-picker">
      {wholeRunDrawable(run) ? (
        <Link
          href={href({ draw: { kind: "run" } })}
          scroll={false}
          className={choice.kind === "run" ? "button-link is-current" : "button-link"}
          aria-current={choice.kind === "run" ? "true" : undefined}
        >
          Whole run
        </Link>
      ) : (
        <span className="muted">Whole run: too many events ({run.eventCount.toLocaleString("en-US")}) to draw at once.</span>
      )}
      <span className="inline-field">
        <label htmlFor={fromId}>From cycle</label>
        <select id={fromId} value={from} onChange={(event) => setFrom(Number(event.target.value))}>
          {ordinals.map((ordinal) => (
            <option key={ordinal} value={ordinal}>
              {ordinal}
            </option>
          ))}
        </select>
      </span>
      <span className="inline-field">
        <label htmlFor={toId}>to</label>
        <select id={toId} value={to} onChange={(event) => setTo(Number(event.target.value))}>
          {ordinals.map((ordinal) => (
            <option key={ordinal} value={ordinal}>
              {ordinal}
            </option>
          ))}
        </select>
      </span>
      <button type="submit" disabled={tooMany} title={tooMany ? `At most ${MAX_CYCLES_AT_ONCE} cycles at once` : undefined}>
        Draw
      </button>
      {tooMany && <span className="muted">At most {MAX_CYCLES_AT_ONCE} cycles at once.</span>}
    </form>
  );
}
