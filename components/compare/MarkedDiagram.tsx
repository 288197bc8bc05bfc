"use client";

// A Mermaid diagram with comparison marks laid over it: after Mermaid has drawn the SVG, the n-th
// message line and the n-th note get the mark of the n-th message / note of the flow. It is shown
// in a canvas (zoom, pan, lifeline header) that the other side of the comparison can follow.
import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { DiagramCanvas, type RevealTarget } from "../cycle/DiagramCanvas";
import type { ScrollSyncGroup } from "../cycle/scroll-sync";
import type { ZoomSetting } from "../cycle/zoom";
import { MermaidDiagram } from "../MermaidDiagram";
import { countMarks, type DiffMark, type DrawingMarks } from "./compare-model";

/** Every drawn message and note says which one it is (`data-item="m3"`, `"n0"`), to be found again. */
export const ITEM_ATTRIBUTE = "data-item";

function setMark(element: Element, mark: DiffMark | null): void {
  for (const name of ["diff-missing", "diff-extra", "diff-moved"]) element.classList.remove(name);
  if (mark === null) {
    element.removeAttribute("data-diff");
    return;
  }
  element.setAttribute("data-diff", mark);
  element.classList.add(`diff-${mark}`);
}

function applyMarks(svg: SVGSVGElement, marks: DrawingMarks): void {
  svg.querySelectorAll('[data-et="message"]').forEach((line, index) => {
    const mark = marks.messages[index] ?? null;
    setMark(line, mark);
    line.setAttribute(ITEM_ATTRIBUTE, `m${index}`);
    // Mermaid writes a message's label (a text element per line) just before its line.
    for (let label = line.previousElementSibling; label?.classList.contains("messageText"); label = label.previousElementSibling) {
      label.classList.toggle("diff-label", mark !== null);
    }
  });
  svg.querySelectorAll('g[data-et="note"]').forEach((note, index) => {
    setMark(note, marks.notes[index] ?? null);
    note.setAttribute(ITEM_ATTRIBUTE, `n${index}`);
  });
}

export interface MarkedDiagramProps {
  text: string;
  label: string;
  marks: DrawingMarks;
  zoom: ZoomSetting;
  onZoomChange: (zoom: ZoomSetting) => void;
  scrollSync?: ScrollSyncGroup;
  /** The drawn item to bring into view (`m3`, `n0`), with a key that changes on each request. */
  reveal?: { item: string; key: number } | null;
  keyboardShortcuts?: boolean;
}

export function MarkedDiagram({ text, label, marks, zoom, onZoomChange, scrollSync, reveal, keyboardShortcuts = false }: MarkedDiagramProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const [svg, setSvg] = useState<SVGSVGElement | null>(null);
  const onRendered = useCallback((element: SVGSVGElement) => setSvg(element), []);

  useLayoutEffect(() => {
    if (!svg) return;
    applyMarks(svg, marks);
    if (rootRef.current) rootRef.current.dataset.marked = String(countMarks(marks));
  }, [svg, marks]);

  const target: RevealTarget | null = reveal ? { selector: `[${ITEM_ATTRIBUTE}="${reveal.item}"]`, key: reveal.key } : null;
  return (
    <div ref={rootRef} className="marked-diagram" data-testid="marked-diagram">
      <DiagramCanvas
        svg={svg}
        zoom={zoom}
        onZoomChange={onZoomChange}
        label={`${label} (scrollable)`}
        reveal={target}
        marksKey={countMarks(marks)}
        scrollSync={scrollSync}
        keyboardShortcuts={keyboardShortcuts}
      >
        <MermaidDiagram text={text} label={label} onRendered={onRendered} />
      </DiagramCanvas>
    </div>
  );
}
