// Dark and light themes: the system setting by default, a choice that is kept, diagrams that follow.
import { expect, test } from "./fixtures";

test.describe("themes", () => {
  test("follows the system setting until a theme is chosen, then keeps the choice", async ({ api, page }) => {
    const { run } = await api.runScenario("ideal", 51);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`/runs/${encodeURIComponent(run.id)}`);
    const toggle = page.getByTestId("theme-toggle");
    await expect(toggle).toHaveAttribute("data-theme-now", "dark");
    await expect(toggle).toHaveAccessibleName("Switch to the light theme");
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const darkBackground = await background();
    const diagram = page.getByTestId("diagram");
    await expect(diagram).toHaveAttribute("data-rendered", "true");
    // The drawing is turned dark with the page.
    await expect(diagram.locator("svg").first()).toHaveCSS("filter", /invert/);

    // Chosen with the keyboard.
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    await expect(toggle).toHaveAttribute("data-theme-now", "light");
    expect(await background()).not.toBe(darkBackground);
    await expect(diagram.locator("svg").first()).toHaveCSS("filter", "none");

    // Kept across pages and reloads, whatever the system says.
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    await expect(page.getByTestId("theme-toggle")).toHaveAccessibleName("Switch to the dark theme");
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByTestId("theme-toggle").click();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    expect(await background()).toBe(darkBackground);
  });
});
