"use client";

// Draws Mermaid text as SVG in the browser. Mermaid is loaded on demand (see mermaid-module.ts), so it
// never runs on the server and stays out of the app's bundle; a page may have started it, or even
// drawn the first text, with an inline script before hydrating. When the drawing is done the container
// carries `data-rendered`, which tests and other code wait for instead of guessing a delay.
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { loadMermaid, MERMAID_MAX_TEXT_SIZE, RENDER_MEASURE, takeEarlyDrawing } from "./mermaid-module";

const TEXT_SIZE_EXCEEDED = "Maximum text size in diagram exceeded";

type RenderResult = { text: string; svg: string } | { text: string; error: string };

let renderCounter = 0;

/** Starts fetching Mermaid before there is anything to draw (while the page reads its data). */
export function preloadMermaid(): void {
  void loadMermaid().catch(() => undefined);
}

async function renderMermaid(idPrefix: string, text: string): Promise<string> {
  // Drawn already, or being drawn, by the page's inline script (see earlyDrawingScript)?
  const early = takeEarlyDrawing(text);
  let svg = early ? await early.catch(() => null) : null;
  if (svg === null) {
    const mermaid = await loadMermaid();
    renderCounter += 1;
    const started = performance.now();
    svg = (await mermaid.render(`${idPrefix}-${renderCounter}`, text)).svg;
    performance.measure(RENDER_MEASURE, { start: started });
  }
  return svg;
}

/** The SVG for `text`, or the error to show instead (never Mermaid's own error picture). */
async function drawOutcome(idPrefix: string, text: string): Promise<RenderResult> {
  // Skip the expensive attempt: Mermaid would only answer with its error picture.
  if (text.length > MERMAID_MAX_TEXT_SIZE) return { text, error: tooLargeMessage(text.length) };
  try {
    const svg = await renderMermaid(idPrefix, text);
    return svg.includes(TEXT_SIZE_EXCEEDED) ? { text, error: tooLargeMessage(text.length) } : { text, svg };
  } catch (error) {
    return { text, error: describeRenderError(error) };
  }
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
  /**
   * Called each time a drawing is put in the page (to make it interactive), with the text it was
   * drawn from — with `keepPrevious`, that may be older text than the current one.
   */
  onRendered?: (svg: SVGSVGElement, text: string) => void;
  /**
   * Keep showing the previous drawing while the next one is made (replay steps, live growth), instead
   * of a "Drawing…" placeholder that makes the page jump. `data-rendered` still waits for the new one.
   */
  keepPrevious?: boolean;
  /** The drawing holds focusable items: a group (whose items a screen reader reaches), not an image. */
  interactive?: boolean;
  /** Told whenever the drawing starts, is on screen, or fails (with the reason shown). */
  onStateChange?: (state: DiagramState, error: string | null) => void;
  /** Shown under the error when the text cannot be drawn (e.g. a way to draw less). */
  errorActions?: ReactNode;
  /**
   * The page's first drawing may be put in this figure before React hydrates it, by the inline
   * script of components/EarlyDrawing.tsx (one such figure per page).
   */
  early?: boolean;
}

export type DiagramState = "rendering" | "rendered" | "error";

export function MermaidDiagram({ text, label, onRendered, keepPrevious = false, interactive = false, onStateChange, errorActions, early = false }: MermaidDiagramProps) {
  // Mermaid needs an element id that is a valid CSS identifier; useId's colons are not.
  const idPrefix = `mermaid-${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
  const [result, setResult] = useState<RenderResult | null>(null);

  // One drawing at a time: Mermaid queues its renders, so text that changes faster than it draws
  // (a live cycle, a replay) would pile up work. While a drawing is made, newer text only updates
  // `wanted`; when the drawing is done, the latest wanted text is drawn next.
  const wanted = useRef(text);
  const drawing = useRef(false);
  const mounted = useRef(true);
  const keepPreviousRef = useRef(keepPrevious);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    keepPreviousRef.current = keepPrevious;
    wanted.current = text;
    if (drawing.current) return;
    drawing.current = true;
    void (async () => {
      try {
        for (;;) {
          const target = wanted.current;
          const outcome = await drawOutcome(idPrefix, target);
          if (!mounted.current) return;
          // A drawing of older text is still worth showing when the caller keeps the previous one.
          if (wanted.current === target || (keepPreviousRef.current && "svg" in outcome)) setResult(outcome);
          if (wanted.current === target) return;
        }
      } finally {
        drawing.current = false;
      }
    })();
  }, [idPrefix, text, keepPrevious]);

  // A result for older text is stale: show the drawing as in progress until the new one is ready.
  const current = result?.text === text ? result : null;
  const state = current === null ? "rendering" : "svg" in current ? "rendered" : "error";
  const shown = current ?? (keepPrevious && result !== null && "svg" in result ? result : null);

  const canvasRef = useRef<HTMLDivElement>(null);
  // Set once this component's own drawing is in the figure and `onRendered` has made it interactive
  // (an early drawing is on screen, and says data-rendered, before that). A figure without
  // `onRendered` (the cycle page's preview) is never interactive.
  const [interactiveText, setInteractiveText] = useState<string | null>(null);
  const onRenderedRef = useRef(onRendered);
  const onStateChangeRef = useRef(onStateChange);
  useLayoutEffect(() => {
    onRenderedRef.current = onRendered;
    onStateChangeRef.current = onStateChange;
  }, [onRendered, onStateChange]);
  // Before the browser paints: a caller that sizes or tags the drawing does so before it is seen.
  useLayoutEffect(() => {
    if (shown === null || !("svg" in shown)) return;
    const svg = canvasRef.current?.querySelector("svg");
    if (!svg || !onRenderedRef.current) return;
    onRenderedRef.current(svg, shown.text);
    setInteractiveText(shown.text);
  }, [shown]);
  const errorText = current !== null && "error" in current ? current.error : null;
  useEffect(() => {
    onStateChangeRef.current?.(state, errorText);
  }, [state, errorText]);

  return (
    <figure
      className="diagram"
      data-testid="diagram"
      data-state={state}
      data-rendered={state === "rendered" ? "true" : undefined}
      data-interactive={state === "rendered" && interactiveText === text ? "true" : undefined}
      data-early-diagram={early ? "" : undefined}
      aria-busy={state === "rendering"}
    >
      {state === "rendering" && shown === null && (
        <p className="diagram-status" role="status">
          Drawing diagram…
        </p>
      )}
      {current !== null && "error" in current && (
        <>
          <p className="diagram-error" role="alert">
            {current.error}
          </p>
          {errorActions}
        </>
      )}
      {(shown !== null ? "svg" in shown : state === "rendering") && (
        <div
          ref={canvasRef}
          className="diagram-canvas"
          role={interactive ? "group" : "img"}
          aria-label={label}
          // Mermaid sanitises the SVG itself (securityLevel "strict"). Empty (and hidden by CSS) while
          // the first drawing is made: the early script may fill it before hydration, which leaves
          // the content of a dangerouslySetInnerHTML element alone.
          dangerouslySetInnerHTML={{ __html: shown !== null && "svg" in shown ? shown.svg : "" }}
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
