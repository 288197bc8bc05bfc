// A cycle page's app code waits for its first drawing. Next.js puts the app's scripts in the head
// as async scripts, and they ran while Mermaid loaded and drew: on a 2-core machine, evaluating
// the framework and hydrating took 100–150 ms of the main thread in the middle of the drawing.
// server.ts rewrites the head of a cycle page (holdAppScripts): each app script becomes a preload
// (fetched, not run), and an inline script keeps their list and starts them (APP_START_GLOBAL)
// when the early drawing says so (mermaid-module.ts), at once on a page with nothing to wait for,
// and at the first key press or pointer press, so a hurried user never waits on a drawing.
// Pure string work: the node side (streaming, compression) is lib/transport/document-rewrite.ts.

/** The page's function that starts the held app scripts (idempotent). */
export const APP_START_GLOBAL = "__wakelineStartApp";

/** How long at most the app waits for a drawing that neither shows nor fails. */
export const APP_START_DEADLINE_MS = 5_000;

/** Next.js' app scripts in the head: `<script src="/_next/static/chunks/….js" async=""></script>`. */
const APP_SCRIPT = /<script src="(\/_next\/static\/chunks\/[\w.~-]+\.js)" async=""><\/script>/g;

/**
 * The head with its app scripts held: each replaced by a preload, and the starter script in the
 * place of the first. A head without app scripts comes back unchanged.
 */
export function holdAppScripts(head: string): string {
  const sources: string[] = [];
  const held = head.replace(APP_SCRIPT, (_tag, src: string) => {
    sources.push(src);
    return `<link rel="preload" as="script" href="${src}"/>`;
  });
  if (sources.length === 0) return head;
  const first = held.indexOf(`<link rel="preload" as="script" href="${sources[0]}"/>`);
  return `${held.slice(0, first)}<script>${appStarterScript(sources)}</script>${held.slice(first)}`;
}

/** Inline script: keeps the held sources and defines the starter (see the top of this file). */
export function appStarterScript(sources: readonly string[]): string {
  // The sources match APP_SCRIPT: no quote, angle bracket or backslash can be in them.
  return `(() => {
  const sources = ${JSON.stringify(sources)};
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const src of sources) {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      document.head.appendChild(script);
    }
  };
  window.${APP_START_GLOBAL} = start;
  for (const type of ["pointerdown", "keydown"]) addEventListener(type, start, { capture: true, once: true });
  document.addEventListener("DOMContentLoaded", () => {
    const early = window.__wakelineEarlyDrawing;
    if (!early || !early.holdsApp) start();
    else setTimeout(start, ${APP_START_DEADLINE_MS});
  });
})();`;
}
