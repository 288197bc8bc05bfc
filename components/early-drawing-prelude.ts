// The first drawing of a recorded cycle, sent by server.ts ahead of the cycle page that Next.js is
// still rendering (app/_queries/cycle-document.ts says why): the start of the document, with the
// same Mermaid preloads and drawing script EarlyDrawing would put in the page's head. Next.js'
// document follows it in the same response. The HTML parser takes that second start
// (`<!DOCTYPE html><html …><head>`) as part of the first: the doctype and `<head>` are ignored,
// `<html>`'s attributes join the open element, and Next.js' head elements land in this head.
// React's hydration passes over the extra elements in the head. Pure string work.
import { earlyDrawingScript, MERMAID_MODULE_URL } from "./mermaid-module";
import { mermaidPreloadUrls } from "./mermaid-preloads";

/**
 * The request header by which server.ts tells the page that its first drawing went ahead of it: the
 * page then leaves EarlyDrawing out, and takes the reads handed over under the header's value
 * (app/_queries/cycle-document.ts). server.ts removes it from what a client sends.
 */
export const FIRST_DRAWING_HEADER = "x-wakeline-first-drawing";

export interface FirstDrawing {
  text: string;
  /** The app's code starts once the drawing is on screen (see app-start.ts). */
  holdsApp: boolean;
}

/** The start of a cycle page's document: its head's first elements, which draw `drawing.text`. */
export function earlyDrawingPrelude(drawing: FirstDrawing): string {
  const preloads = mermaidPreloadUrls().map((url) => `<link rel="modulepreload" href="${url}"/>`);
  return [
    "<!DOCTYPE html><html><head>",
    ...preloads,
    `<script type="module" src="${MERMAID_MODULE_URL}" async=""></script>`,
    `<script>${earlyDrawingScript(drawing.text, { holdsApp: drawing.holdsApp })}</script>`,
  ].join("");
}
