"use client";

// Share, export and compare actions for a diagram view. The cycle and run views mount it.
import Link from "next/link";
import { useIsOwner } from "@/app/_queries/access";
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
  /** Why there is no drawing to export as SVG or PNG right now (null: there is one). */
  drawingUnavailable?: string | null;
  /** Where comparing this view with another one starts. */
  compareHref?: string;
}

export function ViewToolbar({ runId, mermaidText, getSvg, fileStem, drawingUnavailable = null, compareHref }: ViewToolbarProps) {
  // A share-link viewer can neither make links nor compare with other runs.
  const owner = useIsOwner();
  return (
    <div className="view-toolbar" data-testid="view-toolbar">
      {owner && <ShareControl />}
      <ExportActions runId={runId} mermaidText={mermaidText} getSvg={getSvg} fileStem={fileStem} drawingUnavailable={drawingUnavailable} />
      {owner && compareHref && (
        <Link className="button-link" href={compareHref}>
          Compare…
        </Link>
      )}
    </div>
  );
}
