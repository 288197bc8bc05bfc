// Where the browser loads Mermaid from, how it is configured, and the two inline scripts that let a
// page start Mermaid before React has hydrated it.
//
// Mermaid is not bundled with the app's code: the browser imports Mermaid's own ES module build,
// served by app/vendor/mermaid. That URL is known when the HTML is written, so the HTML can import it
// at once (instead of after the app's code has loaded, run and hydrated) and a cycle page can draw its
// diagram from text the server computed while React is still starting. Every page shares one copy.
import type { MermaidConfig } from "mermaid";
import { APP_PRELOAD_GLOBAL, APP_START_GLOBAL } from "./app-start";

/** The installed Mermaid (package.json pins it); the URL's version keeps the browser's cache honest. */
export const MERMAID_VERSION = "12.3.0";
export const MERMAID_VENDOR_PREFIX = "/vendor/mermaid";
export const MERMAID_MODULE_URL = `${MERMAID_VENDOR_PREFIX}/${MERMAID_VERSION}/mermaid.esm.min.mjs`;

/** Mermaid's own input limit; past it, it draws an error picture instead of throwing. */
export const MERMAID_MAX_TEXT_SIZE = 50_000;

export const MERMAID_CONFIG: MermaidConfig = {
  startOnLoad: false,
  securityLevel: "strict",
  look: "classic",
  maxTextSize: MERMAID_MAX_TEXT_SIZE,
  // Report errors to us instead of drawing Mermaid's bomb picture into the page.
  suppressErrorRendering: true,
};

/** Name of the performance entry each drawing leaves (read by scripts/bench-draw.ts). */
export const RENDER_MEASURE = "wakeline:mermaid-render";

/** Id of the SVG drawn by the early script (its styles are scoped to it). */
export const EARLY_DIAGRAM_ID = "mermaid-early";

/** A diagram of the kind the app draws: parsing it makes Mermaid fetch its sequence-diagram code. */
const WARM_UP_TEXT = "sequenceDiagram\n  participant A";

export type MermaidApi = typeof import("mermaid").default;

/** What the inline scripts leave on `window` for the page's code. */
export interface EarlyMermaid {
  /** Mermaid, loaded and initialised (once per page). */
  __wakelineMermaid?: Promise<MermaidApi>;
  /** The SVG of the text the server expects the page to draw first, being drawn. */
  __wakelineEarlyDrawing?: EarlyDrawingState;
}

interface EarlyDrawingState {
  text: string;
  svg: Promise<string>;
  taken: boolean;
  /** Mermaid has loaded over the network: the app's held scripts are fetched while it draws (app-start.ts). */
  fetchAppAhead: boolean;
  /** Resolves once the drawing is on screen or has failed; `settled` is then true. */
  shown: Promise<void>;
  settled: boolean;
}

/** A JavaScript string literal that is safe inside an HTML <script> element (no "</script>", "<!--"). */
function scriptLiteral(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * Inline script: loads and configures Mermaid, then has it fetch its sequence-diagram code (a parse
 * of a tiny diagram), once per page. Mermaid runs its calls one at a time, so a drawing asked for
 * meanwhile simply follows that parse. A failed load is forgotten so that the next drawing tries again.
 */
export function mermaidLoaderScript(): string {
  return `(() => {
  if (window.__wakelineMermaid) return;
  const loading = import(${scriptLiteral(MERMAID_MODULE_URL)}).then(({ default: mermaid }) => {
    mermaid.initialize(${scriptLiteral(MERMAID_CONFIG)});
    mermaid.parse(${scriptLiteral(WARM_UP_TEXT)}, { suppressErrors: true }).catch(() => undefined);
    return mermaid;
  });
  window.__wakelineMermaid = loading;
  loading.catch(() => { if (window.__wakelineMermaid === loading) window.__wakelineMermaid = undefined; });
})();`;
}

/**
 * Inline script: load Mermaid and draw `text` right away, while the page's own code loads and
 * hydrates. The drawing is put in the page's early figure (MermaidDiagram's `early`: its empty
 * dangerouslySetInnerHTML slot, which hydration leaves alone); the figure's component then takes
 * the same SVG (takeEarlyDrawing) and makes it interactive (data-interactive).
 */
export function earlyDrawingScript(text: string, { holdsApp = false }: { holdsApp?: boolean } = {}): string {
  return `${mermaidLoaderScript()}
(() => {
  const text = ${scriptLiteral(text)};
  // Sent ahead of the page (early-drawing-prelude.ts), this runs in the head: Mermaid measures its
  // text in the body, and the drawing goes into the page's figure, neither of which is parsed yet.
  const present = (selector) => new Promise((resolve) => {
    const now = document.querySelector(selector);
    if (now) return resolve(now);
    const observer = new MutationObserver(() => {
      const found = document.querySelector(selector);
      if (found) { observer.disconnect(); resolve(found); }
    });
    observer.observe(document, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", () => { observer.disconnect(); resolve(document.querySelector(selector)); }, { once: true });
  });
  const early = { text, taken: false, settled: false, fetchAppAhead: false, holdsApp: ${holdsApp ? "true" : "false"} };
  window.__wakelineEarlyDrawing = early;
  const loaded = window.__wakelineMermaid.then((mermaid) => {
    // A first visit fetches the app's held scripts now, over the network while Mermaid draws; a
    // browser that had Mermaid in its cache has them there too (see app-start.ts).
    try {
      const entry = performance.getEntriesByName(new URL(${scriptLiteral(MERMAID_MODULE_URL)}, location.href).href)[0];
      early.fetchAppAhead = !entry || entry.transferSize > 0;
    } catch {
      early.fetchAppAhead = true;
    }
    const preloadApp = window.${APP_PRELOAD_GLOBAL};
    if (early.fetchAppAhead && preloadApp) preloadApp();
    return mermaid;
  });
  const svg = Promise.all([loaded, present("body")]).then(([mermaid]) => {
    const started = performance.now();
    return mermaid.render(${scriptLiteral(EARLY_DIAGRAM_ID)}, text).then((result) => {
      performance.measure(${scriptLiteral(RENDER_MEASURE)}, { start: started });
      return result.svg;
    });
  });
  early.svg = svg;
  // On screen at once, unless the page's code has already taken the drawing (then it shows it).
  early.shown = svg.then((markup) => present("[data-early-diagram] .diagram-canvas").then(() => {
    const figure = document.querySelector("[data-early-diagram]");
    const slot = figure && figure.querySelector(".diagram-canvas");
    if (early.taken || !slot || figure.dataset.state !== "rendering" || slot.firstChild) return;
    slot.innerHTML = markup;
    const status = figure.querySelector(".diagram-status");
    if (status) status.hidden = true;
    figure.dataset.state = "rendered";
    figure.dataset.rendered = "true";
    figure.setAttribute("aria-busy", "false");
  }), () => undefined).then(() => { early.settled = true; });
  // The app's code (held by server.ts, see app-start.ts) starts once this drawing is on screen, or now.
  ${START_APP}
  if (early.holdsApp) early.shown.then(startApp);
  else startApp();
})();`;
}

/** Starts the app's held code, on a page whose head server.ts rewrote (app-start.ts); else nothing. */
const START_APP = `function startApp() { const start = window.${APP_START_GLOBAL}; if (start) start(); }`;

/** Inline script: starts the app's held code now (a page whose first drawing does not wait for it). */
export function appStartNowScript(): string {
  return `(() => { ${START_APP} startApp(); })();`;
}

function earlyGlobals(): EarlyMermaid {
  return window as unknown as EarlyMermaid;
}

/** Mermaid, loaded and configured once per page (by the inline scripts, or here). */
export function loadMermaid(): Promise<MermaidApi> {
  const globals = earlyGlobals();
  if (!globals.__wakelineMermaid) {
    // Not bundled: the browser's own import of the vendored module (see the top of this file).
    const loading = import(/* webpackIgnore: true */ /* turbopackIgnore: true */ MERMAID_MODULE_URL).then((module: { default: MermaidApi }) => {
      module.default.initialize(MERMAID_CONFIG);
      void module.default.parse(WARM_UP_TEXT, { suppressErrors: true }).catch(() => undefined);
      return module.default;
    });
    globals.__wakelineMermaid = loading;
    loading.catch(() => {
      if (globals.__wakelineMermaid === loading) globals.__wakelineMermaid = undefined;
    });
  }
  return globals.__wakelineMermaid;
}

/** While the early script's drawing is still being made: a promise of its end (see AfterEarlyDrawing). */
export function earlyDrawingSettled(): Promise<void> | null {
  if (typeof window === "undefined") return null;
  const early = earlyGlobals().__wakelineEarlyDrawing;
  return early && !early.settled ? early.shown : null;
}

/**
 * The early script's drawing of `text`, if it made one. Not only once: the cycle page's preview
 * figure (shown while a large cycle's events load) and then its interactive figure both show it.
 */
export function takeEarlyDrawing(text: string): Promise<string> | null {
  const early = earlyGlobals().__wakelineEarlyDrawing;
  if (!early || early.text !== text) return null;
  // From now on the page's code shows the drawing: the early script leaves the page alone.
  early.taken = true;
  return early.svg;
}
