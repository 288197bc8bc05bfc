"use client";

// Share and export actions for a diagram view. The cycle and run views mount it; its contents are
// built in this folder.
export interface ViewToolbarProps {
  runId: string;
  /** The Mermaid text of what is on screen. */
  mermaidText: string;
  /** The rendered SVG element, when the diagram has been drawn. */
  getSvg: () => SVGSVGElement | null;
  /** A short name for exported files, e.g. "messy-actor-1-cycle-2". */
  fileStem: string;
}

export function ViewToolbar(props: ViewToolbarProps) {
  void props;
  return null;
}
