import { describe, expect, it, vi } from "vitest";

// The route's modules are server-only; here they run in plain Node.
vi.mock("server-only", () => ({}));

const { GET } = await import("./route");
const { MERMAID_MODULE_URL, MERMAID_VERSION } = await import("@/components/mermaid-module");
const { mermaidPreloadUrls } = await import("@/components/mermaid-preloads");

function get(url: string): Promise<Response> {
  const file = url.replace(/^\/vendor\/mermaid\//, "").split("/");
  return GET(new Request(`http://localhost${url}`), { params: Promise.resolve({ file }) });
}

describe("/vendor/mermaid", () => {
  it("serves the installed ES module build, cacheable for good", async () => {
    const response = await get(MERMAID_MODULE_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect(await response.text()).toMatch(/^import/);
  });

  it("preloads the entry and the sequence-diagram module, and every file it names is served", async () => {
    const urls = mermaidPreloadUrls();
    expect(urls[0]).toBe(MERMAID_MODULE_URL);
    expect(urls.some((url) => /\/sequenceDiagram-\w+\.mjs$/.test(url))).toBe(true);
    for (const url of urls) expect((await get(url)).status, url).toBe(200);
  });

  it("answers nothing else: another version, source maps, paths outside the build", async () => {
    for (const url of [
      "/vendor/mermaid/0.0.1/mermaid.esm.min.mjs",
      `/vendor/mermaid/${MERMAID_VERSION}/mermaid.esm.min.mjs.map`,
      `/vendor/mermaid/${MERMAID_VERSION}/../package.json`,
      `/vendor/mermaid/${MERMAID_VERSION}/chunks/mermaid.esm.min/../../../package.json`,
      `/vendor/mermaid/${MERMAID_VERSION}/chunks/mermaid.esm.min/no-such-chunk.mjs`,
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });
});
