// A cycle page's app code waits for its first drawing. Next.js puts the app's scripts in the head
// as async scripts, and they ran while Mermaid loaded and drew: on a 2-core machine, evaluating
// the framework and hydrating took 100–150 ms of the main thread in the middle of the drawing.
// server.ts rewrites the head of a cycle page (holdAppScripts): the app scripts leave the head, and
// an inline script keeps their list and starts them (APP_START_GLOBAL) when the early drawing says
// so (mermaid-module.ts), at once on a page with nothing to wait for, and at the first key press or
// pointer press, so a hurried user never waits on a drawing. They are not fetched with the head:
// fetched alongside Mermaid's thirty modules, even from the browser's cache, they held Mermaid back
// (a small cycle's drawing began 60–80 ms later, `npm run bench:draw`), and fetched while Mermaid
// draws, they slowed the drawing by about as much. A first visit, which gets Mermaid over the
// network, fetches them ahead (APP_PRELOAD_GLOBAL) once Mermaid has loaded, so that they come over
// the network while it draws; a browser that had Mermaid cached has them cached too, and fetches
// them when they start. Pure string work: the node side (streaming, compression) is
// lib/transport/document-rewrite.ts.

/** The page's function that starts the held app scripts (idempotent). */
export const APP_START_GLOBAL = "__wakelineStartApp";

/** The page's function that fetches the held app scripts without running them (idempotent). */
export const APP_PRELOAD_GLOBAL = "__wakelinePreloadApp";

/** How long at most the app waits for a drawing that neither shows nor fails. */
export const APP_START_DEADLINE_MS = 5_000;

/** Next.js' app scripts in the head: `<script src="/_next/static/chunks/….js" async=""></script>`. */
const APP_SCRIPT = /<script src="(\/_next\/static\/chunks\/[\w.~-]+\.js)" async=""><\/script>/g;

/** Marks where the first held script was, while the head is rewritten. */
const FIRST_HELD = "\u0000wakeline-first-held\u0000";

/**
 * The head with its app scripts held: taken out, and the starter script in the place of the first.
 * A head without app scripts comes back unchanged.
 */
export function holdAppScripts(head: string): string {
  const sources: string[] = [];
  const held = head.replace(APP_SCRIPT, (_tag, src: string) => {
    sources.push(src);
    return sources.length === 1 ? FIRST_HELD : "";
  });
  if (sources.length === 0) return head;
  return held.replace(FIRST_HELD, `<script>${appStarterScript(sources)}</script>`);
}

/** Inline script: keeps the held sources and defines the starter (see the top of this file). */
export function appStarterScript(sources: readonly string[]): string {
  // The sources match APP_SCRIPT: no quote, angle bracket or backslash can be in them.
  return `(() => {
  const sources = ${JSON.stringify(sources)};
  const addEach = (tag, set) => {
    for (const src of sources) {
      const element = document.createElement(tag);
      set(element, src);
      document.head.appendChild(element);
    }
  };
  let preloaded = false;
  const preload = () => {
    if (preloaded) return;
    preloaded = true;
    addEach("link", (link, src) => Object.assign(link, { rel: "preload", as: "script", href: src }));
  };
  window.${APP_PRELOAD_GLOBAL} = preload;
  // Mermaid may have loaded before this script came (a drawing sent ahead of the page).
  if (window.__wakelineEarlyDrawing && window.__wakelineEarlyDrawing.fetchAppAhead) preload();
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    addEach("script", (script, src) => Object.assign(script, { src, async: true }));
  };
  window.${APP_START_GLOBAL} = start;
  for (const type of ["pointerdown", "keydown"]) addEventListener(type, start, { capture: true, once: true });
  document.addEventListener("DOMContentLoaded", () => {
    const early = window.__wakelineEarlyDrawing;
    if (!early || !early.holdsApp || early.settled) return start();
    // A drawing sent ahead of the page (early-drawing-prelude.ts) may be shown before this script runs.
    early.shown.then(start);
    setTimeout(start, ${APP_START_DEADLINE_MS});
  });
})();`;
}
