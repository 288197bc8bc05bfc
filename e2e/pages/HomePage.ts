// The home page: the scenario form and the list of recorded runs with their cycles.
import type { Locator, Page } from "@playwright/test";

export class HomePage {
  readonly startForm: Locator;

  constructor(readonly page: Page) {
    this.startForm = page.getByRole("form", { name: "Start a scenario" });
  }

  async goto(): Promise<void> {
    await this.page.goto("/");
  }

  runCard(runId: string): Locator {
    return this.page.locator(`[data-testid="run-card"][data-run-id="${runId}"]`);
  }

  cycleRows(runId: string): Locator {
    return this.runCard(runId).getByTestId("cycle-row");
  }

  async startScenario(scenario: string, seed?: number): Promise<void> {
    await this.startForm.getByLabel("Scenario").selectOption(scenario);
    if (seed !== undefined) await this.startForm.getByLabel("Seed (optional)").fill(String(seed));
    await this.startForm.getByRole("button", { name: "Run scenario" }).click();
  }
}
