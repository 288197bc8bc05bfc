// What a user or API client sees when asking for something that does not exist or sending bad input:
// a clear page or a JSON `{code, message}` with a 4xx status, never a stack trace.
import { expect, test } from "./fixtures";

function expectCodedError(body: unknown): void {
  expect(body).toEqual({ code: expect.any(String), message: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+/);
}

test.describe("unknown things and bad input", () => {
  test("an unknown run id shows a not-found page with status 404", async ({ page }) => {
    const response = await page.goto("/runs/no-such-run");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Run not found" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Back to all runs" })).toBeVisible();
  });

  test("an unknown cycle of a real run shows a not-found page", async ({ api, page }) => {
    const { run } = await api.runScenario("ideal", 4);
    const response = await page.goto(`/runs/${encodeURIComponent(run.id)}/cycles/999`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Cycle not found" })).toBeVisible();
  });

  test("the API answers 404 with a coded error for an unknown run", async ({ request }) => {
    for (const url of ["/api/runs/no-such-run", "/api/runs/no-such-run/cycles", "/api/runs/no-such-run/export"]) {
      const response = await request.get(url);
      expect(response.status(), url).toBe(404);
      expectCodedError(await response.json());
    }
  });

  test("the API answers 400 with a coded error for a bad body", async ({ request }) => {
    const cases: { name: string; body: string }[] = [
      { name: "missing scenario", body: JSON.stringify({ seed: 1 }) },
      { name: "seed is not a number", body: JSON.stringify({ scenario: "messy", seed: "one" }) },
      { name: "unknown field", body: JSON.stringify({ scenario: "messy", pace: 2 }) },
      { name: "not JSON", body: "{scenario: messy" },
    ];
    for (const { name, body } of cases) {
      const response = await request.post("/api/runs", { data: body, headers: { "content-type": "application/json" } });
      expect(response.status(), name).toBe(400);
      expectCodedError(await response.json());
    }
  });

  test("the API refuses an unknown scenario and a bad diagram query", async ({ api, request }) => {
    const unknown = await request.post("/api/runs", { data: { scenario: "no-such-scenario" } });
    expect(unknown.status()).toBeGreaterThanOrEqual(400);
    expect(unknown.status()).toBeLessThan(500);
    expectCodedError(await unknown.json());

    const { run } = await api.runScenario("ideal", 5);
    const badDetail = await request.get(`/api/runs/${encodeURIComponent(run.id)}/diagram?detail=everything`);
    expect(badDetail.status()).toBe(400);
    expectCodedError(await badDetail.json());
  });
});
