import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { appStarterScript, holdAppScripts } from "./app-start";
import { appStartNowScript, earlyDrawingScript } from "./mermaid-module";

const SOURCES = ["/_next/static/chunks/a.js", "/_next/static/chunks/b.js"];

/**
 * A page that ran the head's starter script, then `later` (the body's inline scripts), with a Mermaid
 * whose render resolves when `draw` is called. It records the scripts the starter puts in the head.
 */
function page(later: string[] = [], { mermaidCached = false } = {}) {
  const appended: string[] = [];
  const preloaded: string[] = [];
  const listeners = new Map<string, (() => void)[]>();
  const on = (type: string, listener: () => void) => listeners.set(type, [...(listeners.get(type) ?? []), listener]);
  let draw: () => void = () => undefined;
  const rendered = new Promise<{ svg: string }>((resolve) => (draw = () => resolve({ svg: "<svg/>" })));
  const figure = { dataset: { state: "rendering" }, querySelector: () => ({ innerHTML: "", firstChild: null, hidden: false }), setAttribute: () => undefined };
  const window: Record<string, unknown> = { __wakelineMermaid: Promise.resolve({ render: () => rendered }) };
  const timers: (() => void)[] = [];
  const context = {
    window,
    performance: {
      now: () => 0,
      measure: () => undefined,
      getEntriesByName: (name: string) => (name.endsWith("/mermaid.esm.min.mjs") ? [{ transferSize: mermaidCached ? 0 : 300_000 }] : []),
    },
    location: { href: "http://wakeline/runs/r/cycles/1" },
    URL,
    setTimeout: (fn: () => void) => timers.push(fn),
    addEventListener: on,
    document: {
      addEventListener: on,
      createElement: (tag: string) => ({ tag, src: "", href: "", rel: "", as: "", async: false }),
      head: {
        appendChild: (element: { tag: string; src: string; href: string; rel: string; as: string }) =>
          element.tag === "script" ? appended.push(element.src) : element.rel === "preload" && element.as === "script" && preloaded.push(element.href),
      },
      querySelector: () => figure,
    },
  };
  vm.runInNewContext(appStarterScript(SOURCES), context);
  for (const script of later) vm.runInNewContext(script, context);
  const fire = (type: string) => (listeners.get(type) ?? []).forEach((listener) => listener());
  return { appended, preloaded, fire, draw, timers, early: () => window.__wakelineEarlyDrawing as { shown: Promise<void> } | undefined };
}

describe("holding a cycle page's app scripts", () => {
  it("rewrites nothing in a head without app scripts", () => {
    const head = '<head><script src="/vendor/mermaid/12.3.0/mermaid.esm.min.mjs" type="module" async=""></script>';
    expect(holdAppScripts(head)).toBe(head);
  });

  it("rewrites the head's app scripts into the starter, leaving the rest of the head as it was", () => {
    const head = `<head><meta charSet="utf-8"/>${SOURCES.map((src) => `<script src="${src}" async=""></script>`).join("")}<title>t</title></head>`;
    const held = holdAppScripts(head);
    expect(held).not.toMatch(/<script src=/);
    expect(held).not.toContain('rel="preload"');
    expect(held.startsWith('<head><meta charSet="utf-8"/><script>')).toBe(true);
    expect(held).toContain(JSON.stringify(SOURCES));
    expect(held.endsWith("</script><title>t</title></head>")).toBe(true);
  });

  it("fetches the app's scripts once Mermaid has loaded over the network, and starts them once the drawing sent with the page is on screen", async () => {
    const p = page([earlyDrawingScript("sequenceDiagram\n  A->>B: hi", { holdsApp: true })]);
    p.fire("DOMContentLoaded");
    await Promise.resolve();
    await Promise.resolve();
    expect(p.preloaded).toEqual(SOURCES);
    expect(p.appended).toEqual([]);
    p.draw();
    await p.early()!.shown;
    await Promise.resolve();
    expect(p.appended).toEqual(SOURCES);
    expect(p.preloaded).toEqual(SOURCES);
    // Once only, whatever else asks.
    p.fire("keydown");
    p.timers.forEach((timer) => timer());
    expect(p.appended).toEqual(SOURCES);
  });

  it("fetches nothing ahead where Mermaid came from the browser's cache (the app's scripts are there too)", async () => {
    const p = page([earlyDrawingScript("sequenceDiagram\n  A->>B: hi", { holdsApp: true })], { mermaidCached: true });
    p.draw();
    await p.early()!.shown;
    await Promise.resolve();
    expect(p.preloaded).toEqual([]);
    expect(p.appended).toEqual(SOURCES);
  });

  it("does not let a drawing that never settles hold the app: a deadline, or the first key or pointer press", () => {
    const waiting = page([earlyDrawingScript("sequenceDiagram\n  A->>B: hi", { holdsApp: true })]);
    waiting.fire("DOMContentLoaded");
    expect(waiting.appended).toEqual([]);
    waiting.timers.forEach((timer) => timer());
    expect(waiting.appended).toEqual(SOURCES);

    const pressed = page([earlyDrawingScript("sequenceDiagram\n  A->>B: hi", { holdsApp: true })]);
    pressed.fire("pointerdown");
    expect(pressed.appended).toEqual(SOURCES);
  });

  it("starts at once where the view must not wait: a large cycle's preview, a live cycle, a page with no drawing", () => {
    expect(page([earlyDrawingScript("sequenceDiagram\n  A->>B: preview")]).appended).toEqual(SOURCES);
    expect(page([appStartNowScript()]).appended).toEqual(SOURCES);
    const plain = page();
    expect(plain.appended).toEqual([]);
    plain.fire("DOMContentLoaded");
    expect(plain.appended).toEqual(SOURCES);
  });
});
