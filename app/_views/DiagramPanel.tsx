"use client";

import { useCallback, useState, type ReactNode } from "react";
import { CopyButton } from "@/components/CopyButton";
import { DiagramCanvas } from "@/components/cycle/DiagramCanvas";
import type { ZoomSetting } from "@/components/cycle/zoom";
import { MermaidDiagram, type DiagramState } from "@/components/MermaidDiagram";
import { ErrorState, LoadingState } from "@/components/QueryStates";
import { SegmentedLinks } from "@/components/SegmentedLinks";
import type { DiagramDetail } from "../_queries/resources";

export interface DiagramPanelProps {
  /** The Mermaid text; null while it is loaded (or when there is none to draw). */
  text: string | null;
  pending: boolean;
  /** Why the text could not be loaded. */
  error: unknown;
  /** Accessible name of the drawing. */
  label: string;
  detail: DiagramDetail;
  /** Where each detail level of the same view lives. */
  detailHref: (detail: DiagramDetail) => string;
  /** Shown under the message when the text cannot be drawn (a smaller drawing to try…). */
  errorActions?: ReactNode;
  /** Told about the drawing: the SVG once on screen, and whether it is drawing, drawn or failed. */
  onDrawing?: (svg: SVGSVGElement | null, state: DiagramState, error: string | null) => void;
}

/** A diagram with its detail toggle, in a zoomable canvas, with the Mermaid text and a copy button. */
export function DiagramPanel({ text, pending, error, label, detail, detailHref, errorActions, onDrawing }: DiagramPanelProps) {
  const [zoom, setZoom] = useState<ZoomSetting>(1);
  const [svg, setSvg] = useState<SVGSVGElement | null>(null);
  const onRendered = useCallback(
    (element: SVGSVGElement) => {
      setSvg(element);
      onDrawing?.(element, "rendered", null);
    },
    [onDrawing],
  );
  const onStateChange = useCallback(
    (state: DiagramState, reason: string | null) => {
      if (state === "rendered") return;
      setSvg(null);
      onDrawing?.(null, state, reason);
    },
    [onDrawing],
  );
  return (
    <div className="diagram-panel">
      <div className="toolbar">
        <SegmentedLinks
          label="Detail level"
          current={detail}
          options={[
            { key: "default", label: "Default", href: detailHref("default") },
            { key: "full", label: "Full detail", href: detailHref("full") },
          ]}
        />
        {text !== null && <CopyButton text={text} label="Copy Mermaid" />}
      </div>
      {pending && <LoadingState>Loading diagram…</LoadingState>}
      {error !== null && error !== undefined && <ErrorState title="The diagram could not be loaded." error={error} />}
      {text !== null && (
        <>
          <DiagramCanvas svg={svg} zoom={zoom} onZoomChange={setZoom} label={`${label} (scrollable)`}>
            <MermaidDiagram text={text} label={label} onRendered={onRendered} onStateChange={onStateChange} errorActions={errorActions} />
          </DiagramCanvas>
          <details className="mermaid-source">
            <summary>Mermaid text</summary>
            <pre data-testid="mermaid-text">{text}</pre>
          </details>
        </>
      )}
    </div>
  );
}
