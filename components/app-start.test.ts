import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { appStarterScript, holdAppScripts } from "./app-start";
import { appStartNowScript, earlyDrawingScript } from "./mermaid-module";

const SOURCES = ["/_next/static/chunks/a.js", "/_next/static/chunks/b.js"];

/**
 * A page that ran the head's starter script, then `later` (the body's inline scripts), with a Mermaid
 * whose render resolves when `draw` is called. It records the scripts the starter puts in the head.
 */
function page(later: string[] = []) {
  const appended: string[] = [];
  const listeners = new Map<string, (() => void)[]>();
  const on = (type: string, listener: () => void) => listeners.set(type, [...(listeners.get(type) ?? []), listener]);
  let draw: () => void = () => undefined;
  const rendered = new Promise<{ svg: string }>((resolve) => (draw = () => resolve({ svg: "<svg/>" })));
  const figure = { dataset: { state: "rendering" }, querySelector: () => ({ innerHTML: "", firstChild: null, hidden: false }), setAttribute: () => undefined };
  const window: Record<string, unknown> = { __wakelineMermaid: Promise.resolve({ render: () => rendered }) };
  const timers: (() => void)[] = [];
  const context = {
    window,
    performance: { now: () => 0, measure: () => undefined },
    setTimeout: (fn: () => void) => timers.push(fn),
    addEventListener: on,
    document: {
      addEventListener: on,
      createElement: () => ({ src: "", async: false }),
      head: { appendChild: (script: { src: string }) => appended.push(script.src) },
      querySelector: () => figure,
    },
  };
  vm.runInNewContext(appStarterScript(SOURCES), context);
  for (const script of later) vm.runInNewContext(script, context);
  const fire = (type: string) => (listeners.get(type) ?? []).forEach((listener) => listener());
  return { appended, fire, draw, timers, early: () => window.__wakelineEarlyDrawing as { shown: Promise<void> } | undefined };
}

describe("holding a cycle page's app scripts", () => {
  it("rewrites nothing in a head without app scripts", () => {
    const head = '<head><script src="/vendor/mermaid/12.3.0/mermaid.esm.min.mjs" type="module" async=""></script>';
    expect(holdAppScripts(head)).toBe(head);
  });

  it("starts the app once the drawing sent with the page is on screen, not when the document is parsed", async () => {
    const p = page([earlyDrawingScript("sequenceDiagram\n  A->>B: hi", { holdsApp: true })]);
    p.fire("DOMContentLoaded");
    await Promise.resolve();
    expect(p.appended).toEqual([]);
    p.draw();
    await p.early()!.shown;
    await Promise.resolve();
    expect(p.appended).toEqual(SOURCES);
    // Once only, whatever else asks.
    p.fire("keydown");
    p.timers.forEach((timer) => timer());
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
