// Export of what is on screen (Mermaid text, SVG, PNG, the JSON bundle) and import of a bundle as a
// new run that draws the same diagrams.
import fs from "node:fs";
import type { Download, Page } from "@playwright/test";
import { countShapes, type ShapeCounts } from "./api";
import { expect, test } from "./fixtures";

async function downloadOf(page: Page, action: () => Promise<void>): Promise<{ download: Download; content: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), action()]);
  const file = await download.path();
  return { download, content: fs.readFileSync(file) };
}

function runPage(runId: string, actorId: string): string {
  return `/runs/${encodeURIComponent(runId)}?actor=${encodeURIComponent(actorId)}`;
}

/** Counts what a standalone SVG document draws, parsed by the browser's XML parser. */
async function svgFileShapes(page: Page, svgText: string): Promise<ShapeCounts & { parseError: boolean; width: number }> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const root = doc.documentElement;
    return {
      parseError: doc.getElementsByTagName("parsererror").length > 0 || root.localName !== "svg",
      width: Number(root.getAttribute("width")),
      arrows: doc.querySelectorAll(".messageLine0").length,
      relations: doc.querySelectorAll(".messageLine1").length,
      notes: doc.querySelectorAll("rect.note").length,
    };
  }, svgText);
}

/** The SVG drawn on the page for a view. */
async function drawnShapes(page: Page): Promise<ShapeCounts> {
  const svg = page.getByTestId("diagram").locator("svg").first();
  return {
    arrows: await svg.locator(".messageLine0").count(),
    relations: await svg.locator(".messageLine1").count(),
    notes: await svg.locator("rect.note").count(),
  };
}

test.describe("export", () => {
  test("Mermaid, SVG and JSON downloads of a run hold what the page draws", async ({ api, page }) => {
    const { run } = await api.runScenario("messy", 21);
    const [actor] = await api.actors(run.id);
    const diagram = await api.diagram(run.id, { actor: actor.actorId });
    await page.goto(runPage(run.id, actor.actorId));
    await expect(page.getByTestId("diagram")).toHaveAttribute("data-rendered", "true");
    const toolbar = page.getByTestId("view-toolbar");

    const mermaid = await downloadOf(page, () => toolbar.getByRole("button", { name: "Download Mermaid" }).click());
    expect(mermaid.download.suggestedFilename()).toMatch(/^messy-actor-1-run\.mmd$/);
    expect(mermaid.content.toString("utf8")).toBe(diagram.text);

    const svg = await downloadOf(page, () => toolbar.getByRole("button", { name: "Download SVG" }).click());
    expect(svg.download.suggestedFilename()).toMatch(/\.svg$/);
    const shapes = await svgFileShapes(page, svg.content.toString("utf8"));
    expect(shapes.parseError).toBe(false);
    expect(shapes.width).toBeGreaterThan(0);
    expect({ arrows: shapes.arrows, relations: shapes.relations, notes: shapes.notes }).toEqual(countShapes(diagram.items));

    const json = await downloadOf(page, () => toolbar.getByRole("link", { name: "Download JSON bundle" }).click());
    const bundle = JSON.parse(json.content.toString("utf8"));
    expect(bundle).toMatchObject({ format: "wakeline-bundle", version: 1, run: { id: run.id, name: "messy", seed: 21 } });
    expect(bundle.events).toHaveLength(run.eventCount);
    expect(bundle.cycles).toHaveLength((await api.cycles(run.id)).length);
  });

  test("a PNG is drawn at twice the diagram's size; one too large for a canvas is refused with SVG offered", async ({ api, page }) => {
    const { run } = await api.runScenario("ideal", 22);
    const [actor] = await api.actors(run.id);
    await page.goto(runPage(run.id, actor.actorId));
    await expect(page.getByTestId("diagram")).toHaveAttribute("data-rendered", "true");
    const svg = page.getByTestId("diagram").locator("svg").first();
    const viewBox = await svg.evaluate((element) => {
      const box = (element as SVGSVGElement).viewBox.baseVal;
      return { width: Math.ceil(box.width), height: Math.ceil(box.height) };
    });
    const toolbar = page.getByTestId("view-toolbar");

    const png = await downloadOf(page, () => toolbar.getByRole("button", { name: "Download PNG" }).click());
    expect(png.download.suggestedFilename()).toMatch(/\.png$/);
    expect(png.content.subarray(1, 4).toString("ascii")).toBe("PNG");
    // IHDR: width and height as big-endian 32-bit numbers at bytes 16 and 20.
    expect({ width: png.content.readUInt32BE(16), height: png.content.readUInt32BE(20) }).toEqual({
      width: viewBox.width * 2,
      height: viewBox.height * 2,
    });

    // As tall as ~1,500 messages: past Chromium's 65,535 px per side.
    await svg.evaluate((element) => element.setAttribute("viewBox", "0 0 1200 70000"));
    await toolbar.getByRole("button", { name: "Download PNG" }).click();
    const refusal = toolbar.getByRole("alert");
    await expect(refusal).toContainText("1,200 × 70,000 px, larger than a browser canvas can draw");
    const instead = await downloadOf(page, () => refusal.getByRole("button", { name: "Download SVG instead" }).click());
    expect(instead.download.suggestedFilename()).toMatch(/\.svg$/);
    expect(instead.content.toString("utf8")).toContain('viewBox="0 0 1200 70000"');
  });

  test("Copy for Markdown puts a mermaid block of the diagram on the clipboard", async ({ api, page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const { run } = await api.runScenario("ideal", 23);
    const [actor] = await api.actors(run.id);
    const diagram = await api.diagram(run.id, { actor: actor.actorId });
    await page.goto(runPage(run.id, actor.actorId));
    await page.getByTestId("view-toolbar").getByRole("button", { name: "Copy for Markdown" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Copied a Mermaid block" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`\`\`\`mermaid\n${diagram.text}\`\`\`\n`);
  });

  test("the cycle view exports the diagram it shows", async ({ api, page }) => {
    const { run } = await api.runScenario("messy", 24);
    const [actor] = await api.actors(run.id);
    await page.goto(`/runs/${encodeURIComponent(run.id)}/cycles/1?actor=${encodeURIComponent(actor.actorId)}&detail=full`);
    await expect(page.getByTestId("diagram")).toHaveAttribute("data-interactive", "true");
    const onScreen = await page.getByTestId("mermaid-text").textContent();
    const mermaid = await downloadOf(page, () => page.getByTestId("view-toolbar").getByRole("button", { name: "Download Mermaid" }).click());
    expect(mermaid.download.suggestedFilename()).toBe("messy-actor-1-cycle-1.mmd");
    expect(mermaid.content.toString("utf8")).toBe(onScreen);
  });
});

test.describe("import", () => {
  test("an imported bundle becomes a new run whose diagrams are identical", async ({ api, page, request }) => {
    const { run } = await api.runScenario("messy", 25);
    const [actor] = await api.actors(run.id);
    const original = await api.diagram(run.id, { actor: actor.actorId });
    const exported = await request.get(`/api/runs/${encodeURIComponent(run.id)}/export`);
    const bundleText = await exported.text();

    await page.goto("/");
    await page.getByLabel("Bundle file").setInputFiles({ name: "messy.json", mimeType: "application/json", buffer: Buffer.from(bundleText) });
    const result = page.getByTestId("import-result");
    await expect(result).toContainText("Imported messy.json as messy");
    const href = await result.getByRole("link").getAttribute("href");
    const copyId = decodeURIComponent(href!.split("/").pop()!);
    expect(copyId).not.toBe(run.id);

    const copy = await api.diagram(copyId, { actor: actor.actorId });
    expect(copy.text).toBe(original.text);
    for (const ordinal of (await api.cycles(run.id)).map((cycle) => cycle.ordinal)) {
      expect((await api.diagram(copyId, { actor: actor.actorId, cycle: ordinal, detail: "full" })).text).toBe(
        (await api.diagram(run.id, { actor: actor.actorId, cycle: ordinal, detail: "full" })).text,
      );
    }

    // Drawn the same in the browser, shape for shape.
    await page.goto(runPage(run.id, actor.actorId));
    await expect(page.getByTestId("diagram")).toHaveAttribute("data-rendered", "true");
    const originalShapes = await drawnShapes(page);
    await page.goto(runPage(copyId, actor.actorId));
    await expect(page.getByRole("heading", { level: 1 })).toContainText("messy");
    await expect(page.getByText("import", { exact: true })).toBeVisible();
    await expect(page.getByTestId("diagram")).toHaveAttribute("data-rendered", "true");
    expect(await drawnShapes(page)).toEqual(originalShapes);
    expect(originalShapes).toEqual(countShapes(original.items));
    expect(await page.getByTestId("mermaid-text").textContent()).toBe(original.text);
  });

  test("a bundle dropped on the page is imported", async ({ api, page, request }) => {
    const { run } = await api.runScenario("ideal", 26);
    const bundleText = await (await request.get(`/api/runs/${encodeURIComponent(run.id)}/export`)).text();
    await page.goto("/");
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "dropped.json", { type: "application/json" }));
      return transfer;
    }, bundleText);
    const zone = page.getByTestId("import-drop-zone");
    await zone.dispatchEvent("dragover", { dataTransfer });
    await zone.dispatchEvent("drop", { dataTransfer });
    await expect(page.getByTestId("import-result")).toContainText("Imported dropped.json as ideal");
  });

  test("a large bundle shows how far its import has got, then the new run", async ({ api, page, request }) => {
    const { run } = await api.runScenario("messy", 28);
    const bundle = (await (await request.get(`/api/runs/${encodeURIComponent(run.id)}/export`)).json()) as { events: { payload: unknown }[] };
    // Over ten megabytes: every event carries a large payload, as real request bodies can.
    for (const [index, event] of bundle.events.entries()) event.payload = { original: event.payload, body: `${index} `.repeat(25_000) };
    const buffer = Buffer.from(JSON.stringify(bundle));
    expect(buffer.length).toBeGreaterThan(12e6);

    await page.goto("/");
    // Every text the progress shows, as it changes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { importTexts: string[] }).importTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector("[data-testid=import-progress]")?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByLabel("Bundle file").setInputFiles({ name: "large.json", mimeType: "application/json", buffer });
    await expect(page.getByTestId("import-result")).toContainText("Imported large.json as messy", { timeout: 60_000 });
    await expect(page.getByTestId("import-progress")).toHaveCount(0);
    const texts = await page.evaluate(() => (window as unknown as { importTexts: string[] }).importTexts);
    const shares = texts.flatMap((text) => {
      const match = /Importing… (\d+) % \(([\d.]+) of ([\d.]+) MB\)/.exec(text);
      return match ? [Number(match[1])] : [];
    });
    // Part-way figures were shown, growing, before the run was finished.
    expect(shares.some((share) => share > 0 && share < 100), texts.join(" | ")).toBe(true);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
  });

  test("a file that is not a bundle is refused with the reason", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("Bundle file").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": "world"}') });
    await expect(page.getByRole("main").getByRole("alert")).toContainText("notes.json could not be imported: Not a Wakeline bundle: format");
    await page.getByLabel("Bundle file").setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from("{not json") });
    await expect(page.getByRole("main").getByRole("alert")).toContainText("broken.json could not be imported: The bundle is not valid JSON");
  });

  test("the import API answers a coded 400 for what is not a complete bundle", async ({ api, request }) => {
    const { run } = await api.runScenario("ideal", 27);
    const bundle = await (await request.get(`/api/runs/${encodeURIComponent(run.id)}/export`)).json();
    const cases: { name: string; body: string; code: string; message: RegExp }[] = [
      { name: "empty", body: "", code: "invalid_json", message: /empty/ },
      { name: "not JSON", body: "{format:", code: "invalid_json", message: /not valid JSON/ },
      { name: "another format", body: JSON.stringify({ ...bundle, format: "otel" }), code: "invalid_bundle", message: /^Not a Wakeline bundle: format/ },
      { name: "an event missing", body: JSON.stringify({ ...bundle, events: bundle.events.slice(1) }), code: "invalid_bundle", message: /position 1 has seq 2/ },
    ];
    for (const { name, body, code, message } of cases) {
      const response = await request.post("/api/runs/import", { data: Buffer.from(body), headers: { "content-type": "application/json" } });
      expect(response.status(), name).toBe(400);
      const answer = await response.json();
      expect(answer, name).toEqual({ code, message: expect.stringMatching(message) });
    }
  });
});
