"use client";

// The cycle's diagram and everything around it: view options, replay, the window of a large cycle,
// the toolbar (share, export, compare), the clickable drawing in its zoomable canvas, the timeline,
// the selected event, anomalies and the list of steps. All state comes from the URL (see
// view-state.ts), so a link restores exactly this view.
import { memo, useCallback, useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from "react";
import { compareHref } from "@/components/compare/compare-target";
import { CopyButton } from "@/components/CopyButton";
import { InteractiveDiagram } from "@/components/cycle/InteractiveDiagram";
import type { ZoomSetting } from "@/components/cycle/zoom";
import type { DiagramState } from "@/components/MermaidDiagram";
import { EmptyState, ErrorState } from "@/components/QueryStates";
import { ViewToolbar } from "@/components/toolbar/ViewToolbar";
import type { CycleInfo, RunInfo, TraceEvent } from "@/lib/trace/types";
import { AnomalyList } from "./AnomalyList";
import { buildCycleDiagram, type CycleDiagram } from "./cycle-diagram";
import { combineCycles, rangeName } from "./cycle-range";
import { CycleTimeline } from "./CycleTimeline";
import { describeEvent } from "./describe";
import { EventDetail } from "./EventDetail";
import { ReplayControls } from "./ReplayControls";
import { StepList } from "./StepList";
import { useReplay, useReplayKeys } from "./use-replay";
import { useViewState, type UpdateView } from "./use-view-state";
import type { CycleViewState } from "./view-state";
import { ViewOptions } from "./ViewOptions";
import { WindowNavigator } from "./WindowNavigator";
import { WINDOW_STEPS } from "./windowing";

// The panels beside the drawing, drawn again only when what they show changes (see `panels` below).
const TimelinePanel = memo(CycleTimeline);
const StepsPanel = memo(StepList);
const AnomaliesPanel = memo(AnomalyList);

export interface CycleWorkbenchProps {
  run: RunInfo;
  /** One cycle, or consecutive cycles of one actor drawn together. */
  cycles: CycleInfo[];
  events: TraceEvent[];
  live: boolean;
}

export function CycleWorkbench({ run, cycles, events, live }: CycleWorkbenchProps) {
  const [state, update] = useViewState();
  const cycle = useMemo(() => combineCycles(cycles), [cycles]);
  // The zoom does not change what is drawn: the diagram is built again only for the rest.
  const drawKey = JSON.stringify({ ...state, zoom: null });
  const drawState = useMemo(() => JSON.parse(drawKey) as CycleViewState, [drawKey]);
  const built = useMemo((): { diagram: CycleDiagram } | { error: unknown } => {
    try {
      return { diagram: buildCycleDiagram({ events, state: drawState, live }) };
    } catch (error) {
      return { error };
    }
  }, [events, drawState, live]);
  if ("error" in built) return <ErrorState title="This view of the cycle could not be drawn." error={built.error} />;
  return <Workbench run={run} cycles={cycles} cycle={cycle} events={events} live={live} diagram={built.diagram} state={state} update={update} />;
}

function Workbench({
  run,
  cycles,
  cycle,
  events,
  live,
  diagram,
  state,
  update,
}: CycleWorkbenchProps & { cycle: CycleInfo; diagram: CycleDiagram; state: CycleViewState; update: UpdateView }) {
  const { steps, window } = diagram;
  const svgRef = useRef<SVGSVGElement | null>(null);
  const [drawnText, setDrawnText] = useState<string | null>(null);
  const [drawing, setDrawing] = useState<{ state: DiagramState; error: string | null }>({ state: "rendering", error: null });
  const bySeq = useMemo(() => new Map(events.map((event) => [event.seq, event])), [events]);
  const anomalies = useMemo(() => new Set(cycle.anomalies.map((anomaly) => anomaly.seq)), [cycle.anomalies]);
  const lastWindowSeq = diagram.windowed ? steps[Math.max(0, steps.length - WINDOW_STEPS)].seq : null;
  const atEnd = useMemo(() => (lastWindowSeq === null ? {} : { win: lastWindowSeq }), [lastWindowSeq]);

  const replay = useReplay({ steps, position: diagram.position, rate: state.rate, drawn: drawnText === diagram.text, update, atEnd });
  useReplayKeys(replay.dispatch);

  /**
   * Selects an event. One already on screen keeps the window where it is (it would otherwise be
   * re-centred under the pointer); one elsewhere (a cause, an anomaly) brings its part into view.
   */
  const select = useCallback(
    (seq: number) => {
      const index = steps.findIndex((step) => step.seq === seq);
      const onScreen = index >= window.start && index < window.end;
      const pinned = diagram.windowed && state.at === null ? steps[window.start].seq : null;
      update({ sel: seq, win: onScreen ? (state.win ?? pinned) : null });
    },
    [steps, window.start, window.end, diagram.windowed, state.at, state.win, update],
  );
  const describe = useCallback((seq: number) => {
    const event = bySeq.get(seq);
    return event ? describeEvent(event) : `Event #${seq}`;
  }, [bySeq]);
  const onDrawn = useCallback((text: string, svg: SVGSVGElement) => {
    svgRef.current = svg;
    setDrawnText(text);
  }, []);
  const getSvg = useCallback(() => svgRef.current, []);
  // On opening, the drawing comes first: the panels around it (timeline, steps, detail) are made
  // once it is on screen (or has failed), so their rendering does not delay Mermaid's start.
  const [firstDrawingDone, setFirstDrawingDone] = useState(false);
  const onDrawingState = useCallback((next: DiagramState, error: string | null) => {
    setDrawing({ state: next, error });
    if (next !== "rendering") setFirstDrawingDone(true);
  }, []);
  const panelsShown = firstDrawingDone || steps.length === 0;
  const onZoomChange = useCallback((zoom: ZoomSetting) => update({ zoom: zoom === 1 ? null : zoom }, "replace"), [update]);

  const windowSteps = useMemo(() => steps.slice(window.start, window.end), [steps, window.start, window.end]);
  // While a live cycle grows, each batch is drawn first and the timeline, the steps and the
  // anomalies follow a moment later (a deferred render), so they never hold Mermaid back.
  const panels = useDeferredValue(useMemo(() => ({ steps: windowSteps, events, anomalies, cycle }), [windowSteps, events, anomalies, cycle]));
  const latest = useRef({ select, describe });
  useLayoutEffect(() => {
    latest.current = { select, describe };
  });
  const panelSelect = useCallback((seq: number) => latest.current.select(seq), []);
  const panelDescribe = useCallback((seq: number) => latest.current.describe(seq), []);
  const name = rangeName(cycles);
  const label = `Sequence diagram of ${name} of actor ${cycle.actorId}`;
  const fileStem = `${run.name}-${cycle.actorId}-${name.replace(/[ –]+/g, "-")}`;
  const drawingUnavailable =
    steps.length === 0
      ? "nothing is drawn with these filters."
      : drawing.state === "error"
        ? `${drawing.error ?? "the diagram could not be drawn"} Download the Mermaid text instead.`
        : drawing.state === "rendering" || drawnText !== diagram.text
          ? "the diagram is still being drawn; this takes a moment for large cycles."
          : null;

  return (
    <div className="cycle-workbench">
      <div className="workbench-controls">
        <ViewOptions events={events} state={state} update={update} />
        <ReplayControls
          steps={steps}
          state={replay.state}
          dispatch={replay.dispatch}
          rate={state.rate}
          update={update}
          cycleStart={cycle.startTime}
        />
        {diagram.windowed && (
          <WindowNavigator window={window} steps={steps} maxSteps={WINDOW_STEPS} position={diagram.position} following={diagram.following} update={update} />
        )}
        <div className="toolbar cycle-toolbar">
          <CopyButton text={diagram.text} label="Copy Mermaid" />
          <ViewToolbar
            runId={run.id}
            mermaidText={diagram.text}
            getSvg={getSvg}
            fileStem={fileStem}
            drawingUnavailable={drawingUnavailable}
            compareHref={compareHref({ a: { runId: run.id, actorId: cycle.actorId, ordinal: cycles[0].ordinal } })}
          />
        </div>
      </div>
      <div className="cycle-layout">
        <div className="cycle-main">
          {steps.length === 0 ? (
            <EmptyState title={live ? "No events to draw yet." : "Nothing to draw with these filters."}>
              <p>{live ? "The diagram appears as soon as the first events are recorded." : "Show more lifelines or message types, or switch to full detail."}</p>
            </EmptyState>
          ) : (
            <InteractiveDiagram
              text={diagram.text}
              label={label}
              seqs={diagram.seqs}
              describe={describe}
              selected={state.sel}
              current={diagram.highlightSeq}
              anomalies={anomalies}
              onSelect={select}
              onDrawn={onDrawn}
              onStateChange={onDrawingState}
              zoom={state.zoom ?? 1}
              onZoomChange={onZoomChange}
            />
          )}
          {steps.length > 0 && panelsShown && (
            <TimelinePanel
              steps={panels.steps}
              events={panels.events}
              start={panels.cycle.startTime}
              end={panels.cycle.endTime}
              selected={state.sel}
              current={diagram.highlightSeq}
              anomalies={panels.anomalies}
              describe={panelDescribe}
              onSelect={panelSelect}
            />
          )}
          <details className="mermaid-source">
            <summary>Mermaid text</summary>
            <pre data-testid="mermaid-text">{diagram.text}</pre>
          </details>
        </div>
        <aside className="cycle-side" aria-label="Selected event and anomalies">
          {!panelsShown ? null : state.sel !== null ? (
            <EventDetail
              key={state.sel}
              runId={run.id}
              seq={state.sel}
              events={events}
              steps={steps}
              cycleStart={cycle.startTime}
              runStartedAt={run.startedAt}
              tz={state.tz}
              onSelect={select}
              onClose={() => update({ sel: null })}
            />
          ) : (
            <p className="muted select-hint">Click an arrow or a note (or pick one from the list below) to see its details.</p>
          )}
          {panelsShown && (
            <AnomaliesPanel anomalies={panels.cycle.anomalies} events={panels.events} cycleStart={panels.cycle.startTime} selected={state.sel} onSelect={panelSelect} />
          )}
          {panelsShown && (
            <StepsPanel
              steps={panels.steps}
              cycleStart={panels.cycle.startTime}
              selected={state.sel}
              current={diagram.highlightSeq}
              anomalies={panels.anomalies}
              onSelect={panelSelect}
            />
          )}
        </aside>
      </div>
    </div>
  );
}
