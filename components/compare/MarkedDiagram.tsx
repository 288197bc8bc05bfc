"use client";

// A Mermaid diagram with comparison marks laid over it: after Mermaid has drawn the SVG, the n-th
// message line and the n-th note get the mark of the n-th message / note of the flow.
import { useEffect, useRef } from "react";
import { MermaidDiagram } from "../MermaidDiagram";
import { countMarks, type DiffMark, type DrawingMarks } from "./compare-model";

function setMark(element: Element, mark: DiffMark | null): void {
  for (const name of ["diff-missing", "diff-extra", "diff-moved"]) element.classList.remove(name);
  if (mark === null) {
    element.removeAttribute("data-diff");
    return;
  }
  element.setAttribute("data-diff", mark);
  element.classList.add(`diff-${mark}`);
}

function applyMarks(root: HTMLElement, marks: DrawingMarks): boolean {
  const svg = root.querySelector("svg");
  if (!svg) return false;
  svg.querySelectorAll('[data-et="message"]').forEach((line, index) => {
    const mark = marks.messages[index] ?? null;
    setMark(line, mark);
    // Mermaid writes a message's label just before its line.
    const label = line.previousElementSibling;
    if (label?.classList.contains("messageText")) {
      label.classList.remove("diff-label");
      if (mark !== null) label.classList.add("diff-label");
    }
  });
  svg.querySelectorAll('g[data-et="note"]').forEach((note, index) => setMark(note, marks.notes[index] ?? null));
  return true;
}

export interface MarkedDiagramProps {
  text: string;
  label: string;
  marks: DrawingMarks;
}

export function MarkedDiagram({ text, label, marks }: MarkedDiagramProps) {
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const apply = () => {
      if (applyMarks(root, marks)) root.dataset.marked = String(countMarks(marks));
    };
    apply();
    // Mermaid draws asynchronously (and again when the text changes): mark each new drawing.
    const observer = new MutationObserver(apply);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [marks, text]);

  return (
    <div ref={rootRef} className="marked-diagram" data-testid="marked-diagram">
      <MermaidDiagram text={text} label={label} />
    </div>
  );
}
