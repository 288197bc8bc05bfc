// A run of any length stays usable: its cycles are listed a page at a time with their figures and a
// timeline bar each; the page draws one chosen cycle (or a range) instead of one huge diagram; and
// a drawing that is too large offers a smaller one, with the export buttons saying why they are off.
import { expect, test } from "@playwright/test";
import { collectErrors } from "./canvas-support";
import { CycleApi } from "./cycle-support";

/** One actor woken and put to sleep `cycles` times (each request to /sleep is one wake/sleep cycle). */
function manyCycles(cycles: number): Record<string, unknown> {
  return {
    name: "many-cycles",
    description: `${cycles} wake/sleep cycles of one actor`,
    durationMs: 10 + cycles * 3_000 + 2_000,
    pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 3_600, drainGracePeriod: 5 }],
    actors: [{ id: "actor-1" }],
    steps: Array.from({ length: cycles }, (_, index) => ({ at: 10 + index * 3_000, request: { actor: "actor-1", path: "/sleep" } })),
  };
}

test.describe("a long run's page", () => {
  test("lists its cycles by pages with timeline bars, draws one cycle, a range, and never stops at 'too large'", async ({ page, request }) => {
    test.setTimeout(150_000);
    const api = new CycleApi(request);
    const { run, cycles } = await api.runInstant(manyCycles(80));
    expect(cycles).toHaveLength(80);
    expect(run.eventCount).toBeGreaterThan(2_000);
    const errors = collectErrors(page);

    await page.goto(`/runs/${encodeURIComponent(run.id)}`);
    // The list: 50 at a time, each with its figures and its bar, the rest a page away.
    const rows = page.getByTestId("cycle-row");
    await expect(rows).toHaveCount(50);
    await expect(page.getByTestId("cycles-page")).toHaveText("Cycles 1–50 of 80");
    await expect(rows.first().getByTestId("cycle-bar")).toBeVisible();
    const bars = await page.getByTestId("cycle-bar").evaluateAll((elements) =>
      elements.map((element) => (element.firstElementChild as HTMLElement).style.left),
    );
    // Later cycles sit further right on their bars.
    expect(Number.parseFloat(bars[49])).toBeGreaterThan(Number.parseFloat(bars[0]));
    await page.getByTestId("cycles-pager").getByRole("button", { name: "Next" }).click();
    await expect(rows).toHaveCount(30);
    await expect(rows.first()).toHaveAttribute("data-ordinal", "51");

    // The diagram: one cycle, not the whole run.
    await expect(page.getByRole("heading", { name: /Diagram of cycle 1 of/ })).toBeVisible();
    const diagram = page.getByTestId("diagram");
    await expect(diagram).toHaveAttribute("data-rendered", "true", { timeout: 30_000 });
    const oneCycle = (await page.getByTestId("mermaid-text").textContent()) ?? "";
    expect(oneCycle.length).toBeLessThan(20_000);

    // A range, picked in the form.
    const picker = page.getByTestId("draw-picker");
    await picker.getByLabel("From cycle").selectOption("3");
    await picker.getByLabel("to", { exact: true }).selectOption("5");
    await picker.getByRole("button", { name: "Draw" }).click();
    await expect(page).toHaveURL(/[?&]draw=3-5(&|$)/);
    await expect(page.getByRole("heading", { name: /Diagram of cycles 3–5 of/ })).toBeVisible();
    await expect(diagram).toHaveAttribute("data-rendered", "true", { timeout: 30_000 });
    expect(((await page.getByTestId("mermaid-text").textContent()) ?? "").length).toBeGreaterThan(oneCycle.length);

    // One cycle from the list's own link.
    await page.getByRole("link", { name: "Draw cycle 60 of actor-1 below" }).click();
    await expect(page).toHaveURL(/[?&]draw=60(&|#|$)/);
    await expect(page.getByRole("heading", { name: /Diagram of cycle 60 of/ })).toBeVisible();
    await expect(diagram).toHaveAttribute("data-rendered", "true", { timeout: 30_000 });

    // The whole run: too large for Mermaid. Not a dead end: smaller drawings are offered, and the
    // export buttons say why they are off instead of failing when pressed.
    await page.getByTestId("draw-picker").getByRole("link", { name: "Whole run" }).click();
    await expect(page).toHaveURL(/[?&]draw=run(&|$)/);
    await expect(page.getByRole("alert").filter({ hasText: "too large to draw" })).toBeVisible({ timeout: 30_000 });
    const svgButton = page.getByTestId("view-toolbar").getByRole("button", { name: "Download SVG" });
    await expect(svgButton).toBeDisabled();
    await expect(svgButton).toHaveAttribute("title", /too large|could not be drawn/);
    await expect(page.getByTestId("export-reason")).toBeVisible();
    await expect(svgButton).toHaveAccessibleDescription(/SVG and PNG: .*(too large|could not be drawn)/);
    // The Mermaid text is still there to take away.
    await expect(page.getByTestId("view-toolbar").getByRole("button", { name: "Download Mermaid" })).toBeEnabled();

    const offers = page.getByTestId("diagram-offers");
    await expect(offers.getByRole("link", { name: "Open cycle 1 in the cycle view" })).toBeVisible();
    await offers.getByRole("link", { name: "Draw cycles 1–5" }).click();
    await expect(page).toHaveURL(/[?&]draw=1-5(&|$)/);
    await expect(diagram).toHaveAttribute("data-rendered", "true", { timeout: 30_000 });
    await expect(svgButton).toBeEnabled();
    expect(errors).toEqual([]);
  });
});
