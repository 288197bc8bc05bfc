"use client";

// A Mermaid sequence diagram whose messages and notes can be clicked (or focused and activated with
// Enter / Space) to select the event behind them, with the selected item, the replay's current step
// and anomalies marked on the drawing. It is shown in a canvas (zoom, pan, lifeline header), and
// the selected item (else the replay's current step) is brought into view whenever it changes.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import type { SeqsInDrawingOrder } from "@/lib/diagram";
import { MermaidDiagram, type DiagramState } from "../MermaidDiagram";
import { DiagramCanvas } from "./DiagramCanvas";
import { markDiagramItems, seqOfTarget, tagDiagramItems } from "./diagram-items";
import type { ZoomSetting } from "./zoom";

export interface InteractiveDiagramProps {
  text: string;
  label: string;
  /** The event behind each drawn element (for `text`). */
  seqs: SeqsInDrawingOrder;
  /** Accessible name of a drawn item. */
  describe: (seq: number) => string;
  selected: number | null;
  current: number | null;
  anomalies: ReadonlySet<number>;
  onSelect: (seq: number) => void;
  /** Called with the text each time its drawing is on screen and interactive. */
  onDrawn?: (text: string, svg: SVGSVGElement) => void;
  onStateChange?: (state: DiagramState, error: string | null) => void;
  zoom: ZoomSetting;
  onZoomChange: (zoom: ZoomSetting) => void;
}

/** Texts whose element maps are kept for drawings that arrive late. */
const RECENT_TEXTS = 8;

export function InteractiveDiagram(props: InteractiveDiagramProps) {
  const { text, label, seqs, describe, selected, current, anomalies, onSelect, onDrawn, onStateChange, zoom, onZoomChange } = props;
  const [svg, setSvg] = useState<SVGSVGElement | null>(null);
  // The latest props for the render callback, which Mermaid calls asynchronously — possibly with
  // a drawing of earlier text (a live cycle draws while it grows), hence the element maps by text.
  const latest = useRef({ describe, onDrawn });
  const seqsByText = useRef(new Map<string, SeqsInDrawingOrder>());
  useEffect(() => {
    latest.current = { describe, onDrawn };
    const recent = seqsByText.current;
    recent.delete(text);
    recent.set(text, seqs);
    while (recent.size > RECENT_TEXTS) recent.delete(recent.keys().next().value as string);
  }, [text, seqs, describe, onDrawn]);

  const handleRendered = useCallback((element: SVGSVGElement, renderedText: string) => {
    const drawnSeqs = seqsByText.current.get(renderedText);
    if (drawnSeqs) tagDiagramItems(element, drawnSeqs, latest.current.describe);
    setSvg(element);
    latest.current.onDrawn?.(renderedText, element);
  }, []);

  // Before paint (and before the canvas reads the marks for its overview).
  useLayoutEffect(() => {
    if (svg) markDiagramItems(svg, { selected, current, anomalies });
  }, [svg, selected, current, anomalies]);

  function handleClick(event: MouseEvent<HTMLDivElement>) {
    const seq = seqOfTarget(event.target);
    if (seq !== null) onSelect(seq);
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== "Enter" && event.key !== " ") return;
    const seq = seqOfTarget(event.target);
    if (seq === null) return;
    event.preventDefault();
    onSelect(seq);
  }

  const focus = selected ?? current;
  return (
    // The handlers only act on the diagram's own focusable items (role="button", tabindex=0).
    <div className="interactive-diagram" onClick={handleClick} onKeyDown={handleKeyDown}>
      <DiagramCanvas
        svg={svg}
        zoom={zoom}
        onZoomChange={onZoomChange}
        label={`${label} (scrollable)`}
        reveal={focus === null ? null : { selector: `[data-seq="${focus}"]`, key: focus }}
        marksKey={`${selected}:${current}:${anomalies.size}`}
        keyboardShortcuts
      >
        <MermaidDiagram text={text} label={label} onRendered={handleRendered} onStateChange={onStateChange} keepPrevious interactive early />
      </DiagramCanvas>
    </div>
  );
}
