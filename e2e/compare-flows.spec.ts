// Comparing flows: two recorded cycles side by side with their differences marked, and a recording
// checked against a reference diagram (uploaded or pasted) with missing and extra items marked.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { countShapes } from "./api";
import { expect, test } from "./fixtures";
import { countReferenceShapes, REFERENCE_DIR } from "./reference";

/** Elements marked on one side's drawing, once its SVG is there. */
async function marked(page: Page, side: "compare-baseline" | "compare-compared") {
  const pane = page.getByTestId(side);
  await expect(pane.getByTestId("diagram")).toHaveAttribute("data-rendered", "true");
  return pane.locator("svg [data-diff]");
}

function referenceFile(name: string) {
  return { name, mimeType: "text/plain", buffer: fs.readFileSync(path.join(REFERENCE_DIR, name)) };
}

test.describe("compare", () => {
  test("a messy cycle against an ideal one: both drawn, differences marked and listed", async ({ api, page }) => {
    const { run: ideal } = await api.runScenario("ideal", 41);
    const { run: messy } = await api.runScenario("messy", 41);
    const [actor] = await api.actors(messy.id);
    const idealCycle = await api.diagram(ideal.id, { actor: actor.actorId, cycle: 1 });
    const messyCycle = await api.diagram(messy.id, { actor: actor.actorId, cycle: 1 });

    // From the ideal run's page: its cycle's "Compare" link, then B picked in the page.
    await page.goto(`/runs/${encodeURIComponent(ideal.id)}`);
    await page.getByRole("link", { name: `Compare #1 of ${actor.actorId}` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compare");
    const pickB = page.getByRole("group", { name: "B", exact: true });
    await pickB.getByLabel("Run").selectOption(messy.id);
    await pickB.getByLabel("Cycle").selectOption({ label: `${actor.actorId} · cycle 1 (slept, ${(await api.cycles(messy.id))[0].eventCount} events)` });
    await expect(page).toHaveURL(`/compare?a=${ideal.id}:${actor.actorId}:1&b=${messy.id}:${actor.actorId}:1`);

    const verdict = page.getByTestId("compare-verdict");
    await expect(verdict).toHaveAttribute("data-ok", "false");
    // The ideal flow is the start of the messy one: nothing is only in A, the messy rest is only in B.
    await expect(verdict).toContainText("0 only in A");
    const onA = await marked(page, "compare-baseline");
    const onB = await marked(page, "compare-compared");
    await expect(onA).toHaveCount(0);
    const idealShapes = countShapes(idealCycle.items);
    const messyShapes = countShapes(messyCycle.items);
    const extraDrawn = messyShapes.arrows + messyShapes.relations + messyShapes.notes - (idealShapes.arrows + idealShapes.relations + idealShapes.notes);
    expect(extraDrawn).toBeGreaterThan(0);
    await expect(onB).toHaveCount(extraDrawn);
    await expect(page.getByTestId("compare-compared").locator('svg [data-diff="extra"]')).toHaveCount(extraDrawn);
    // The list names every difference, blocks included.
    const listed = page.getByTestId("diff-group-extra").getByTestId("diff-item");
    expect(await listed.count()).toBeGreaterThanOrEqual(extraDrawn);
    await expect(page.getByTestId("diff-group-extra")).toContainText("note over AWF: Mark as sleeping");

    // Swapped, what only the messy cycle has is now marked on A.
    await page.goto(`/compare?a=${messy.id}:${actor.actorId}:1&b=${ideal.id}:${actor.actorId}:1`);
    await expect(page.getByTestId("compare-verdict")).toHaveAttribute("data-ok", "false");
    expect(await (await marked(page, "compare-baseline")).count()).toBeGreaterThanOrEqual(extraDrawn);
  });

  test("the same cycle recorded twice has no differences, whatever its ids", async ({ api, page }) => {
    const { run: first } = await api.runScenario("messy", 42);
    const { run: second } = await api.runScenario("messy", 43);
    const [actor] = await api.actors(first.id);
    await page.goto(`/compare?a=${first.id}:${actor.actorId}:2&b=${second.id}:${actor.actorId}:2`);
    await expect(page.getByTestId("compare-verdict")).toHaveText("No differences: B draws the same flow as A.");
    await expect(await marked(page, "compare-compared")).toHaveCount(0);
  });

  test("a recording against a reference diagram: conforms, extra marked, missing marked", async ({ api, page }) => {
    const { run: ideal } = await api.runScenario("ideal", 44);
    const { run: messy } = await api.runScenario("messy", 44);
    const [actor] = await api.actors(ideal.id);
    const idealReference = countReferenceShapes("ideal-serverless-flow.mmd");
    const referenceItems = idealReference.arrows + idealReference.relations + idealReference.notes;

    // The ideal run against the ideal reference, uploaded as a file: it conforms.
    await page.goto(`/compare?a=${ideal.id}:${actor.actorId}&with=reference`);
    await page.getByLabel("Reference file (.mmd)").setInputFiles(referenceFile("ideal-serverless-flow.mmd"));
    const verdict = page.getByTestId("compare-verdict");
    await expect(verdict).toHaveAttribute("data-ok", "true");
    await expect(verdict).toContainText("Conforms");
    await expect(await marked(page, "compare-baseline")).toHaveCount(0);
    await expect(await marked(page, "compare-compared")).toHaveCount(0);

    // The messy run against it: everything the ideal flow has is there, the rest is extra.
    await page.getByRole("group", { name: "A (baseline)" }).getByLabel("Run").selectOption(messy.id);
    await page.getByRole("group", { name: "A (baseline)" }).getByLabel("Cycle").selectOption({ label: `${actor.actorId} · whole run` });
    await expect(page).toHaveURL(`/compare?a=${messy.id}:${actor.actorId}&with=reference`);
    await page.getByLabel("Reference file (.mmd)").setInputFiles(referenceFile("ideal-serverless-flow.mmd"));
    await expect(verdict).toHaveAttribute("data-ok", "false");
    await expect(verdict).toContainText("Does not conform: 0 missing");
    const messyShapes = countShapes((await api.diagram(messy.id, { actor: actor.actorId })).items);
    const extraOnRecording = messyShapes.arrows + messyShapes.relations + messyShapes.notes - referenceItems;
    await expect(await marked(page, "compare-compared")).toHaveCount(extraOnRecording);
    await expect(await marked(page, "compare-baseline")).toHaveCount(0);

    // The ideal run against the messy reference, pasted: what the ideal run lacks is missing.
    await page.goto(`/compare?a=${ideal.id}:${actor.actorId}&with=reference`);
    const messyText = fs.readFileSync(path.join(REFERENCE_DIR, "messy-serverless-flow.mmd"), "utf8");
    await page.getByLabel("Or paste the reference diagram (Mermaid)").fill(messyText);
    await page.getByRole("button", { name: "Check conformance" }).click();
    await expect(verdict).toHaveAttribute("data-ok", "false");
    await expect(verdict).not.toContainText("Does not conform: 0 missing");
    const missing = page.getByTestId("compare-baseline").locator('svg [data-diff="missing"]');
    await expect(await marked(page, "compare-baseline")).not.toHaveCount(0);
    expect(await missing.count()).toBeGreaterThan(0);
    await expect(page.getByTestId("diff-group-missing")).toContainText("line ");
  });

  test("a reference that is not a sequence diagram is refused with its line", async ({ api, page }) => {
    const { run } = await api.runScenario("ideal", 45);
    const [actor] = await api.actors(run.id);
    await page.goto(`/compare?a=${run.id}:${actor.actorId}:1&with=reference`);
    await page.getByLabel("Or paste the reference diagram (Mermaid)").fill("sequenceDiagram\n  U->>G: GET /\n  this is not mermaid");
    await page.getByRole("button", { name: "Check conformance" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("line 3: unsupported statement");
  });
});
