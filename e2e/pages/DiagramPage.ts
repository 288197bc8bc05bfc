// The run page and the cycle page: both show one Mermaid diagram with its text and detail toggle.
import { expect, type Locator, type Page } from "@playwright/test";
import type { ShapeCounts } from "../api";

export class DiagramPage {
  readonly diagram: Locator;
  readonly mermaidText: Locator;

  constructor(readonly page: Page) {
    this.diagram = page.getByTestId("diagram");
    this.mermaidText = page.getByTestId("mermaid-text");
  }

  async gotoRun(runId: string, actorId: string): Promise<void> {
    await this.page.goto(`/runs/${encodeURIComponent(runId)}?actor=${encodeURIComponent(actorId)}`);
  }

  async gotoCycle(runId: string, actorId: string, ordinal: number): Promise<void> {
    await this.page.goto(`/runs/${encodeURIComponent(runId)}/cycles/${ordinal}?actor=${encodeURIComponent(actorId)}`);
  }

  /** Waits until Mermaid has drawn the current text (the component sets `data-rendered`). */
  async waitForRendered(): Promise<void> {
    await expect(this.diagram).toHaveAttribute("data-rendered", "true");
    await expect(this.diagram.locator("svg").first()).toBeVisible();
  }

  async chooseDetail(level: "Default" | "Full detail"): Promise<void> {
    await this.page.getByRole("navigation", { name: "Detail level" }).getByRole("link", { name: level }).click();
  }

  /** Asserts the drawn SVG: solid message lines, dotted relation lines, note boxes. */
  async expectShapes(expected: ShapeCounts): Promise<void> {
    const svg = this.diagram.locator("svg").first();
    await expect(svg.locator(".messageLine0")).toHaveCount(expected.arrows);
    await expect(svg.locator(".messageLine1")).toHaveCount(expected.relations);
    await expect(svg.locator("rect.note")).toHaveCount(expected.notes);
  }
}
