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

  it("writes scripts that parse", () => {
    expect(() => new vm.Script(mermaidLoaderScript())).not.toThrow();
    expect(() => new vm.Script(earlyDrawingScript("sequenceDiagram\n  A->>B: hi"))).not.toThrow();
  });
});
