"use client";

// Share and export actions for a diagram view. The cycle and run views mount it.
import { ExportActions } from "./ExportActions";
import { ShareControl } from "./ShareControl";

export interface ViewToolbarProps {
  runId: string;
  /** The Mermaid text of what is on screen. */
  mermaidText: string;
  /** The rendered SVG element, when the diagram has been drawn. */
  getSvg: () => SVGSVGElement | null;
  /** A short name for exported files, e.g. "messy-actor-1-cycle-2". */
  fileStem: string;
}

export function ViewToolbar({ runId, mermaidText, getSvg, fileStem }: ViewToolbarProps) {
  return (
    <div className="view-toolbar" data-testid="view-toolbar">
      <ShareControl />
      <ExportActions runId={runId} mermaidText={mermaidText} getSvg={getSvg} fileStem={fileStem} />
    </div>
  );
}
