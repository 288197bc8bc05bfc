"use client";

import { useQuery } from "@tanstack/react-query";
import { CopyButton } from "@/components/CopyButton";
import { MermaidDiagram } from "@/components/MermaidDiagram";
import { ErrorState, LoadingState } from "@/components/QueryStates";
import { SegmentedLinks } from "@/components/SegmentedLinks";
import { queries, type DiagramDetail, type DiagramView } from "../_queries/resources";

export interface DiagramPanelProps {
  view: DiagramView;
  /** Accessible name of the drawing. */
  label: string;
  /** Where each detail level of the same view lives. */
  detailHref: (detail: DiagramDetail) => string;
}

/** A diagram with its detail toggle, the Mermaid text and a copy button. */
export function DiagramPanel({ view, label, detailHref }: DiagramPanelProps) {
  const diagram = useQuery(queries.diagram(view));
  return (
    <div className="diagram-panel">
      <div className="toolbar">
        <SegmentedLinks
          label="Detail level"
          current={view.detail}
          options={[
            { key: "default", label: "Default", href: detailHref("default") },
            { key: "full", label: "Full detail", href: detailHref("full") },
          ]}
        />
        {diagram.data && <CopyButton text={diagram.data.text} label="Copy Mermaid" />}
      </div>
      {diagram.isPending && <LoadingState>Loading diagram…</LoadingState>}
      {diagram.isError && <ErrorState title="The diagram could not be loaded." error={diagram.error} />}
      {diagram.data && (
        <>
          <MermaidDiagram text={diagram.data.text} label={label} />
          <details className="mermaid-source">
            <summary>Mermaid text</summary>
            <pre data-testid="mermaid-text">{diagram.data.text}</pre>
          </details>
        </>
      )}
    </div>
  );
}
