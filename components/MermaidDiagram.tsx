"use client";

// Draws Mermaid text as SVG in the browser. Mermaid is loaded on demand inside an effect, so it never
// runs on the server and stays out of the first page load. When the drawing is done the container
// carries `data-rendered`, which tests and other code wait for instead of guessing a delay.
import { useEffect, useId, useState } from "react";

/** Mermaid's own input limit; past it, it draws an error picture instead of throwing. */
export const MERMAID_MAX_TEXT_SIZE = 50_000;
const TEXT_SIZE_EXCEEDED = "Maximum text size in diagram exceeded";

type RenderResult = { text: string; svg: string } | { text: string; error: string };

let renderCounter = 0;

async function renderMermaid(idPrefix: string, text: string): Promise<string> {
  const mermaid = (await import("mermaid")).default;
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    look: "classic",
    maxTextSize: MERMAID_MAX_TEXT_SIZE,
    // Report errors to us instead of drawing Mermaid's bomb picture into the page.
    suppressErrorRendering: true,
  });
  renderCounter += 1;
  const { svg } = await mermaid.render(`${idPrefix}-${renderCounter}`, text);
  return svg;
}

function describeRenderError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split("\n")[0] ?? message;
  return `The diagram could not be drawn: ${firstLine}`;
}

export interface MermaidDiagramProps {
  /** Mermaid source text. */
  text: string;
  /** Accessible name of the drawing, e.g. "Sequence diagram of cycle 2". */
  label: string;
}

export function MermaidDiagram({ text, label }: MermaidDiagramProps) {
  // Mermaid needs an element id that is a valid CSS identifier; useId's colons are not.
  const idPrefix = `mermaid-${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
  const [result, setResult] = useState<RenderResult | null>(null);

  useEffect(() => {
    let cancelled = false;
    if (text.length > MERMAID_MAX_TEXT_SIZE) {
      // Skip the expensive attempt: Mermaid would only answer with its error picture.
      Promise.resolve().then(() => {
        if (!cancelled) setResult({ text, error: tooLargeMessage(text.length) });
      });
      return () => {
        cancelled = true;
      };
    }
    renderMermaid(idPrefix, text).then(
      (svg) => {
        if (cancelled) return;
        if (svg.includes(TEXT_SIZE_EXCEEDED)) setResult({ text, error: tooLargeMessage(text.length) });
        else setResult({ text, svg });
      },
      (error: unknown) => {
        if (!cancelled) setResult({ text, error: describeRenderError(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [idPrefix, text]);

  // A result for older text is stale: show the drawing as in progress until the new one is ready.
  const current = result?.text === text ? result : null;
  const state = current === null ? "rendering" : "svg" in current ? "rendered" : "error";

  return (
    <figure
      className="diagram"
      data-testid="diagram"
      data-state={state}
      data-rendered={state === "rendered" ? "true" : undefined}
      aria-busy={state === "rendering"}
    >
      {state === "rendering" && (
        <p className="diagram-status" role="status">
          Drawing diagram…
        </p>
      )}
      {current !== null && "error" in current && (
        <p className="diagram-error" role="alert">
          {current.error}
        </p>
      )}
      {current !== null && "svg" in current && (
        <div
          className="diagram-canvas"
          role="img"
          aria-label={label}
          // Mermaid sanitises the SVG itself (securityLevel "strict").
          dangerouslySetInnerHTML={{ __html: current.svg }}
        />
      )}
    </figure>
  );
}

function tooLargeMessage(length: number): string {
  return (
    `This diagram is too large to draw: its text has ${length.toLocaleString("en-US")} characters and ` +
    `Mermaid draws at most ${MERMAID_MAX_TEXT_SIZE.toLocaleString("en-US")}. Open a single cycle or ` +
    `switch to the default detail level; the Mermaid text is still available below.`
  );
}
