import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { earlyDrawingScript, MERMAID_MODULE_URL, MERMAID_VERSION, mermaidLoaderScript } from "./mermaid-module";

describe("mermaid-module", () => {
  it("names the installed Mermaid (the vendored URL is cached for good)", () => {
    const installed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "node_modules", "mermaid", "package.json"), "utf8")) as { version: string };
    expect(MERMAID_VERSION).toBe(installed.version);
    expect(fs.existsSync(path.join(__dirname, "..", "node_modules", "mermaid", "dist", "mermaid.esm.min.mjs"))).toBe(true);
    expect(MERMAID_MODULE_URL).toBe(`/vendor/mermaid/${installed.version}/mermaid.esm.min.mjs`);
  });

  it("keeps diagram text inert inside the inline script, whatever the payloads hold", () => {
    const text = 'sequenceDiagram\n  A->>B: </script><script>alert(1)</script> <!-- \u2028 "quoted"';
    const script = earlyDrawingScript(text);
    expect(script).not.toMatch(/<\/script|<!--|<script/i);
    expect(script).not.toContain("\u2028");
    // The literal still reads back as the same text.
    const literal = /const text = (".*?");\n/s.exec(script)?.[1];
    expect(literal).toBeDefined();
    expect(vm.runInNewContext(literal as string)).toBe(text);
  });

  /** Runs the early script in a page of one early figure, with a Mermaid whose render is `render`. */
  async function earlyPage(render: () => Promise<{ svg: string }>) {
    const slot = { innerHTML: "", firstChild: null };
    const status = { hidden: false };
    const figure = {
      dataset: { state: "rendering" } as Record<string, string>,
      attributes: {} as Record<string, string>,
      querySelector: (selector: string) => (selector === ".diagram-canvas" ? slot : selector === ".diagram-status" ? status : null),
      setAttribute(name: string, value: string) {
        this.attributes[name] = value;
      },
    };
    const window: Record<string, unknown> = { __wakelineMermaid: Promise.resolve({ render }) };
    const context = { window, document: { querySelector: () => figure }, performance: { now: () => 0, measure: () => undefined } };
    vm.runInNewContext(earlyDrawingScript("sequenceDiagram\n  A->>B: hi"), context);
    const early = window.__wakelineEarlyDrawing as { settled: boolean; shown: Promise<void> };
    expect(early.settled).toBe(false);
    await early.shown;
    return { early, figure, slot, status };
  }

  it("puts the early drawing in the page's figure, then says it is settled (the view hydrates after it)", async () => {
    const { early, figure, slot, status } = await earlyPage(async () => ({ svg: "<svg>drawn</svg>" }));
    expect(slot.innerHTML).toBe("<svg>drawn</svg>");
    expect(status.hidden).toBe(true);
    expect(figure.dataset).toMatchObject({ state: "rendered", rendered: "true" });
    expect(figure.attributes["aria-busy"]).toBe("false");
    expect(early.settled).toBe(true);
  });

  it("settles a drawing that fails too, so the view never waits for ever", async () => {
    const { early, slot } = await earlyPage(() => Promise.reject(new Error("parse error")));
    expect(slot.innerHTML).toBe("");
    expect(early.settled).toBe(true);
  });

  it("writes scripts that parse", () => {
    expect(() => new vm.Script(mermaidLoaderScript())).not.toThrow();
    expect(() => new vm.Script(earlyDrawingScript("sequenceDiagram\n  A->>B: hi"))).not.toThrow();
  });
});
