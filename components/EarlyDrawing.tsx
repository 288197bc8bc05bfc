// Server-rendered: has Mermaid draw a page's first diagram as soon as the HTML is parsed, in parallel
// with the page's own code loading and hydrating. The head asks for all of Mermaid's files at once
// (modulepreload) and runs its entry module from there (preinitModule), before the parser reaches
// the body; an inline script imports Mermaid (that same module) and draws `text`. The page's
// MermaidDiagram takes the SVG when it mounts with the same text (takeEarlyDrawing); with other
// text it draws its own.
import "server-only";
import { preinitModule, preloadModule } from "react-dom";
import { appStartNowScript, earlyDrawingScript, MERMAID_MODULE_URL, mermaidLoaderScript } from "./mermaid-module";
import { mermaidPreloadUrls } from "./mermaid-preloads";

/**
 * Starts loading Mermaid and drawing `text`; with no text, only loading Mermaid. `holdsApp`: the
 * app's code starts once the drawing is on screen (a cycle sent with the page, see app-start.ts);
 * otherwise it starts now.
 */
export function EarlyDrawing({ text, holdsApp = false }: { text: string | null; holdsApp?: boolean }) {
  for (const url of mermaidPreloadUrls()) preloadModule(url, { as: "script" });
  preinitModule(MERMAID_MODULE_URL, { as: "script" });
  const script = text === null ? mermaidLoaderScript() + appStartNowScript() : earlyDrawingScript(text, { holdsApp });
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
