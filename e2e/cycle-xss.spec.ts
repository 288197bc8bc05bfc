// Payload text can never run as script: a request path written as HTML shows as text in the
// diagram, the step list and the detail panel, and no dialog opens.
import { expect, test } from "@playwright/test";
import { CycleApi, CyclePage } from "./cycle-support";

const HOSTILE_PATH = "/<img src=x onerror=alert(1)>";

test("a request path containing HTML is shown as text and never runs", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const api = new CycleApi(request);
  const { run } = await api.runInstant({
    name: "hostile-path",
    durationMs: 3_000,
    pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 300, drainGracePeriod: 5 }],
    actors: [{ id: "actor-1" }],
    steps: [{ at: 10, request: { actor: "actor-1", path: HOSTILE_PATH } }],
  });
  const events = await api.cycleEvents(run.id, "actor-1", 1);
  const userRequest = events.find((event) => event.type === "UserRequest")!;

  const cyclePage = new CyclePage(page);
  await cyclePage.goto(run.id, "actor-1", 1);
  await cyclePage.waitForRendered();

  // The label reads as text in the drawing; no element was made from it.
  await expect(cyclePage.svg.getByText(HOSTILE_PATH, { exact: false }).first()).toBeVisible();
  await expect(page.locator("main img")).toHaveCount(0);

  await cyclePage.item(userRequest.seq).click();
  await expect(cyclePage.detail.getByTestId("event-payload")).toContainText(`"path": "${HOSTILE_PATH}"`);
  await expect(cyclePage.detail).toContainText(HOSTILE_PATH);
  await expect(page.locator("main img")).toHaveCount(0);

  await page.getByText("Mermaid text").click();
  await expect(page.getByTestId("mermaid-text")).toBeVisible();
  await expect(page.locator("main img")).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
