// `?` opens the keyboard shortcut help anywhere (not while typing), Escape closes it and gives the
// focus back; while it is open, the page's own keys (replay, zoom) rest.
import { expect, test } from "@playwright/test";
import { expectZoom } from "./canvas-support";
import { CycleApi, CyclePage } from "./cycle-support";

test.describe("keyboard shortcut help", () => {
  test("? opens the list of shortcuts, Escape closes it", async ({ page, request }) => {
    const api = new CycleApi(request);
    const { run } = await api.runInstant("ideal", 95);
    const cyclePage = new CyclePage(page);
    await cyclePage.goto(run.id, "actor-1", 1);
    await cyclePage.waitForRendered();

    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(help).toBeHidden();
    const forward = cyclePage.button("Forward");
    await page.keyboard.press("Home");
    await forward.focus();
    await page.keyboard.press("?");
    await expect(help).toBeVisible();
    for (const what of ["One step back or forward", "Play or pause", "Zoom in", "Fit to width", "Show these shortcuts"]) {
      await expect(help).toContainText(what);
    }
    // The page's keys rest while the help is open.
    const before = await cyclePage.replayStatus.textContent();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("+");
    await expect(cyclePage.replayStatus).toHaveText(before ?? "");
    await expectZoom(page, "100%");

    await page.keyboard.press("Escape");
    await expect(help).toBeHidden();
    await expect(forward).toBeFocused();

    // Typed into a field, ? is only a character.
    await page.getByTestId("view-toolbar").getByRole("button", { name: "Share", exact: true }).click();
    await page.getByLabel("Link lifetime").focus();
    await page.keyboard.press("?");
    await expect(help).toBeHidden();

    // The header's button opens it too, on any page.
    await page.goto("/");
    await page.getByTestId("shortcuts-button").click();
    await expect(help).toBeVisible();
    await help.getByRole("button", { name: "Close" }).click();
    await expect(help).toBeHidden();
    await expect(page.getByTestId("shortcuts-button")).toBeFocused();
  });
});
