// The diagrams a user reads: what Mermaid draws in the browser must be exactly what the diagram API
// says the view contains, and for the messy scenario, what the hand-drawn reference flow contains.
import { countShapes } from "./api";
import { expect, test } from "./fixtures";
import { countReferenceShapes } from "./reference";

test.describe("diagrams", () => {
  test("messy: the whole-run diagram draws every message and note of the reference flow", async ({ api, diagramPage }) => {
    const { run } = await api.runScenario("messy", 1);
    const [actor] = await api.actors(run.id);
    expect(actor, "the messy scenario records one actor").toBeDefined();

    const diagram = await api.diagram(run.id, { actor: actor.actorId });
    const expected = countShapes(diagram.items);
    const reference = countReferenceShapes("messy-serverless-flow.mmd");
    // Soft: a mismatch with the reference is reported, and the drawing is still checked below.
    expect.soft(expected.arrows, "arrows in the whole-run view vs the reference").toBe(reference.arrows);
    expect.soft(expected.notes, "notes in the whole-run view vs the reference").toBe(reference.notes);
    expect.soft(expected.relations, "relations in the whole-run view vs the reference").toBe(reference.relations);

    await diagramPage.gotoRun(run.id, actor.actorId);
    await diagramPage.waitForRendered();
    await diagramPage.expectShapes(expected);
    expect(await diagramPage.mermaidText.textContent()).toBe(diagram.text);
  });

  test("messy: a cycle page draws its cycle, and the full detail view draws more", async ({ api, diagramPage, page }) => {
    const { run } = await api.runScenario("messy", 2);
    const [actor] = await api.actors(run.id);
    const [firstCycle] = (await api.cycles(run.id)).filter((cycle) => cycle.actorId === actor.actorId);
    expect(firstCycle, "the actor has at least one cycle").toBeDefined();

    const byDefault = await api.diagram(run.id, { actor: actor.actorId, cycle: firstCycle.ordinal });
    const inFull = await api.diagram(run.id, { actor: actor.actorId, cycle: firstCycle.ordinal, detail: "full" });
    const defaultShapes = countShapes(byDefault.items);
    const fullShapes = countShapes(inFull.items);
    expect(defaultShapes.arrows).toBeGreaterThan(0);
    // Housekeeping (pings, acks, state notes) only appears in the full view.
    expect(fullShapes.arrows + fullShapes.notes).toBeGreaterThan(defaultShapes.arrows + defaultShapes.notes);

    await diagramPage.gotoCycle(run.id, actor.actorId, firstCycle.ordinal);
    await diagramPage.waitForRendered();
    await diagramPage.expectShapes(defaultShapes);

    await diagramPage.chooseDetail("Full detail");
    await expect(page).toHaveURL(/detail=full/);
    await diagramPage.waitForRendered();
    await diagramPage.expectShapes(fullShapes);
    expect(await diagramPage.mermaidText.textContent()).toBe(inFull.text);
  });

  test("Copy Mermaid puts the diagram's text on the clipboard", async ({ api, diagramPage, context, page }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const { run } = await api.runScenario("ideal", 6);
    const [actor] = await api.actors(run.id);
    const diagram = await api.diagram(run.id, { actor: actor.actorId, cycle: 1 });

    await diagramPage.gotoCycle(run.id, actor.actorId, 1);
    await diagramPage.waitForRendered();
    await page.getByRole("button", { name: "Copy Mermaid" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(diagram.text);
  });
});
