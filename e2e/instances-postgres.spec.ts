// Several instances on one PostgreSQL, as users run them: `npm start` with the engine, and `npm
// start` with WAKELINE_ENGINE=0 serving dashboards only. The dashboard instance follows the live
// run the engine instance records, arrow by arrow; a second engine on a namespace that is already
// served is refused at start. Needs a PostgreSQL server (WAKELINE_TEST_POSTGRES_URL; `.ci/run`
// provides one).
import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createPostgresDatabase } from "@/lib/store/testing/postgres-database";
import { ROOT, freePort } from "../test/reliability/server-process";

interface Instance {
  url: string;
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm start`'s own entry on a free port, against `databaseUrl`: the engine of `namespace`, or dashboards only. */
async function startInstance(databaseUrl: string, namespace: string | "dashboards-only"): Promise<Instance> {
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      WAKELINE_HOSTNAME: "127.0.0.1",
      WAKELINE_UI: "1",
      ...(namespace === "dashboards-only" ? { WAKELINE_ENGINE: "0" } : { WAKELINE_NAMESPACE: namespace }),
    },
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { url: `http://127.0.0.1:${port}`, process: child, output: () => output, exited };
}

/** Until the instance answers its own API (503 while it starts). */
async function ready(request: APIRequestContext, instance: Instance): Promise<void> {
  await expect
    .poll(
      async () => {
        if (instance.process.exitCode !== null) throw new Error(`the instance exited at start:\n${instance.output()}`);
        return (await request.get(`${instance.url}/api/runs`).catch(() => null))?.status() ?? 0;
      },
      { timeout: 90_000 },
    )
    .toBe(200);
}

async function stop(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.process.exitCode !== null) return;
  instance.process.kill("SIGTERM");
  await instance.exited;
}

test.describe("two instances on one PostgreSQL", () => {
  test.skip(!process.env.WAKELINE_TEST_POSTGRES_URL, "needs a PostgreSQL server (WAKELINE_TEST_POSTGRES_URL)");
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let alpha: Instance | undefined;
  let beta: Instance | undefined;

  test.afterAll(async () => {
    await Promise.all([stop(alpha), stop(beta)]);
    await database?.drop();
  });

  test("a dashboard-only instance follows the engine instance's live run; a second engine on a served namespace is refused", async ({ page, request }) => {
    test.setTimeout(240_000);
    database = await createPostgresDatabase();
    // One at a time: the first applies the migrations, the second finds them applied.
    alpha = await startInstance(database.url, "alpha");
    await ready(request, alpha);
    beta = await startInstance(database.url, "dashboards-only");
    await ready(request, beta);
    // It has no engine: its engine endpoints say so.
    const disabled = await request.get(`${beta.url}/gateway/demo/`);
    expect(disabled.status()).toBe(503);
    expect((await disabled.json()).code).toBe("engine_disabled");

    // Alpha's demo actor wakes: its live run has a first cycle.
    expect((await request.get(`${alpha.url}/gateway/demo/`)).status()).toBe(200);
    const alphaRun = /live run (\S+)\)/.exec(alpha.output())?.[1];
    expect(alphaRun).toBeTruthy();

    // The dashboard instance draws it, live.
    await page.goto(`${beta.url}/runs/${encodeURIComponent(alphaRun!)}/cycles/1?actor=demo`);
    const svg = page.getByTestId("diagram").locator("svg").first();
    await expect(svg).toBeVisible({ timeout: 30_000 });
    const newestDrawn = () => svg.locator("[data-seq]").evaluateAll((items) => Math.max(0, ...items.map((item) => Number(item.getAttribute("data-seq")))));
    await expect.poll(newestDrawn, { timeout: 30_000 }).toBeGreaterThan(0);
    const before = await newestDrawn();
    // Another request to alpha: beta's page draws it without a reload.
    expect((await request.get(`${alpha.url}/gateway/demo/again`)).status()).toBe(200);
    await expect.poll(newestDrawn, { timeout: 30_000 }).toBeGreaterThan(before);
    await expect(svg).toContainText("GET /again");

    // A second engine for alpha's namespace stops at start, naming the first.
    const second = await startInstance(database.url, "alpha");
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain("failed to start (engine_already_running)");
    expect(second.output()).toContain('An engine already runs namespace "alpha"');
  });
});
