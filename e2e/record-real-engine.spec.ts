// Recording a real Rivet engine from the dashboard: the owner starts a recording proxy in front of
// the real engine (from the npm package), traffic through the proxy wakes a serverless v7 actor,
// and stopping the recording adds the engine's workflow histories; the run then has its cycles.
import { startRealEngine, type RealEngine } from "@/lib/proxy/testing/real-engine";
import { startTestEndpoint, type TestEndpoint } from "@/lib/proxy/testing/v7-endpoint";
import { expect, test } from "./fixtures";

test.describe("recording a real engine from the dashboard", () => {
  let engine: RealEngine;
  let endpoint: TestEndpoint;

  test.beforeAll(async () => {
    [engine, endpoint] = await Promise.all([startRealEngine({ pegboard: { serverless_drain_grace_period: 1000 } }), startTestEndpoint()]);
  });
  test.afterAll(async () => {
    await endpoint?.close();
    await engine?.stop();
  });

  test("starts a proxy, records a wake through it, and stops with the workflow histories", async ({ page, request }) => {
    test.setTimeout(120_000);
    await page.goto("/");
    const form = page.getByRole("form", { name: "Record a real engine" });
    await form.getByLabel("Engine URL (gateway and API)").fill(engine.url);
    await form.getByLabel("Engine data folder (optional)").fill(engine.dataDir);
    await form.getByRole("button", { name: "Start recording" }).click();
    const recording = page.getByTestId("recording");
    await expect(recording).toContainText(engine.url);
    const proxyUrl = (await recording.locator("code").first().textContent())!;
    expect(proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Clients use the proxy instead of the engine.
    const pool = { datacenters: { default: { serverless: { url: endpoint.url, headers: {}, request_lifespan: 300, drain_grace_period: 10, max_runners: 5, min_runners: 0, runners_margin: 0, slots_per_runner: 1 } } } };
    expect((await request.put(`${proxyUrl}/runner-configs/dash?namespace=default`, { data: pool })).status()).toBe(200);
    const created = await request.post(`${proxyUrl}/actors?namespace=default`, { data: { name: "dash", key: "d1", runner_name_selector: "dash", crash_policy: "sleep" } });
    expect(created.status()).toBe(200);
    const actorId: string = (await created.json()).actor.actor_id;
    const answer = await request.get(`${proxyUrl}/gateway/${actorId}/hello`, { timeout: 60_000 });
    expect(answer.status()).toBe(200);
    expect(await answer.text()).toBe("ok");

    await recording.getByRole("button", { name: "Stop and add histories" }).click();
    const result = page.getByTestId("recording-result");
    await expect(result).toContainText("from wire + workflow-history", { timeout: 60_000 });
    await expect(page.getByTestId("recording")).toHaveCount(0);
    await result.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("real engine 2.3.19");
    await expect(page.getByText(actorId).first()).toBeVisible();
  });

  test("answers an engine that cannot be reached with the reason, and refuses a start from another site", async ({ page, playwright, baseURL }) => {
    await page.goto("/");
    const form = page.getByRole("form", { name: "Record a real engine" });
    await form.getByLabel("Engine URL (gateway and API)").fill("http://127.0.0.1:1");
    await form.getByRole("button", { name: "Start recording" }).click();
    await expect(page.locator(".form-error")).toContainText("The recording did not start: cannot reach the engine");
    // A request that did not come from this server's pages is refused at the gate.
    const outsider = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: "http://evil.example" } });
    const refused = await outsider.post("/api/recordings", { data: { engineUrl: engine.url } });
    expect(refused.status()).toBe(403);
    await outsider.dispose();
  });
});
