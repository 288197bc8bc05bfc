"use client";

// Export of what is on screen: Mermaid text for Markdown (clipboard) or as a file, SVG, PNG, and the
// run's JSON bundle. A PNG larger than a browser canvas can hold is refused with the SVG offered instead.
import { useId, useState } from "react";
import {
  downloadBlob,
  markdownBlock,
  PngTooLargeError,
  safeFileStem,
  serializeSvg,
  svgToPng,
} from "./export-files";

type Notice = { tone: "ok" | "error"; text: string; offerSvg?: boolean } | null;

export interface ExportActionsProps {
  runId: string;
  mermaidText: string;
  getSvg: () => SVGSVGElement | null;
  fileStem: string;
  /** Why the drawing cannot be exported now (still drawing, too large to draw…); null when it can. */
  drawingUnavailable?: string | null;
}

const NOT_DRAWN = "The diagram is not drawn yet; wait until it appears, then try again.";

export function ExportActions({ runId, mermaidText, getSvg, fileStem, drawingUnavailable = null }: ExportActionsProps) {
  const reasonId = useId();
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const stem = safeFileStem(fileStem);

  async function copyMarkdown() {
    try {
      await navigator.clipboard.writeText(markdownBlock(mermaidText));
      setNotice({ tone: "ok", text: "Copied a Mermaid block for Markdown to the clipboard." });
    } catch {
      setNotice({ tone: "error", text: "The clipboard is not available here; download the Mermaid file instead." });
    }
  }

  function downloadMermaid() {
    downloadBlob(`${stem}.mmd`, new Blob([mermaidText], { type: "text/plain;charset=utf-8" }));
    setNotice({ tone: "ok", text: `Saved ${stem}.mmd.` });
  }

  function downloadSvg() {
    const svg = getSvg();
    if (!svg) return setNotice({ tone: "error", text: NOT_DRAWN });
    downloadBlob(`${stem}.svg`, new Blob([serializeSvg(svg)], { type: "image/svg+xml" }));
    setNotice({ tone: "ok", text: `Saved ${stem}.svg.` });
  }

  async function downloadPng() {
    const svg = getSvg();
    if (!svg) return setNotice({ tone: "error", text: NOT_DRAWN });
    setBusy(true);
    try {
      downloadBlob(`${stem}.png`, await svgToPng(svg));
      setNotice({ tone: "ok", text: `Saved ${stem}.png.` });
    } catch (error) {
      if (error instanceof PngTooLargeError) {
        setNotice({ tone: "error", text: `${error.message} SVG has no such limit.`, offerSvg: true });
      } else {
        setNotice({ tone: "error", text: `The PNG could not be made: ${error instanceof Error ? error.message : String(error)}` });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="export-actions" role="group" aria-label="Export">
      <span className="toolbar-label" aria-hidden="true">
        Export
      </span>
      <button type="button" className="button-secondary" onClick={copyMarkdown}>
        Copy for Markdown
      </button>
      <button type="button" className="button-secondary" onClick={downloadMermaid}>
        Download Mermaid
      </button>
      <button
        type="button"
        className="button-secondary"
        onClick={downloadSvg}
        disabled={drawingUnavailable !== null}
        title={drawingUnavailable ?? undefined}
        aria-describedby={drawingUnavailable !== null ? reasonId : undefined}
      >
        Download SVG
      </button>
      <button
        type="button"
        className="button-secondary"
        onClick={downloadPng}
        disabled={busy || drawingUnavailable !== null}
        title={drawingUnavailable ?? undefined}
        aria-describedby={drawingUnavailable !== null ? reasonId : undefined}
      >
        {busy ? "Making PNG…" : "Download PNG"}
      </button>
      <a className="button-link" href={`/api/runs/${encodeURIComponent(runId)}/export`} download>
        Download JSON bundle
      </a>
      {drawingUnavailable !== null && (
        <p id={reasonId} className="export-reason muted" data-testid="export-reason">
          SVG and PNG: {drawingUnavailable}
        </p>
      )}
      <div className="export-notice" aria-live="polite">
        {notice && (
          <p className={notice.tone === "error" ? "form-error" : "form-success"} role={notice.tone === "error" ? "alert" : "status"}>
            {notice.text}{" "}
            {notice.offerSvg && (
              <button type="button" className="button-secondary" onClick={downloadSvg}>
                Download SVG instead
              </button>
            )}
          </p>
        )}
      </div>
    </div>
  );
}
