// Benchmark: how long the cycle page takes to draw a cycle, against Mermaid alone drawing the same
// text in the same browser. With the real server (`node scripts/start.mjs`: engine + production
// dashboard in one process, on a temporary database), it records cycles of about 97, 1,003 and
// 5,000 events, then in Chromium times, several times each, alternating:
//   page  navigation → the cycle page's diagram drawn (its figure says data-rendered, SVG inside);
//   bare  navigation → a blank page of the same origin that loads Mermaid (the same package, its
//         ESM build), renders the page's own Mermaid text and puts the SVG in the document.
// In brackets: how long mermaid.render itself took in each.
// Prints the medians and page / bare (the goal: at most 1.2). Not a test: nothing here asserts.
//   npx tsx scripts/bench-draw.ts [repetitions]   (needs a production build; NEXT_DIST_DIR is passed on)
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const ROOT = path.resolve(__dirname, "..");
const REPETITIONS = Number(process.argv[2] ?? 5);
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
const MERMAID_DIST = path.join(ROOT, "node_modules", "mermaid", "dist");
/** Served by the browser itself (page.route), never by the server under test. */
const BARE_PREFIX = "/__bench-draw";
/** Cycle sizes to measure, in events, and the requests to a running actor that make about that many. */
const SIZES = [
  { events: 97, requests: 4 },
  { events: 1_003, requests: 96 },
  { events: 5_000, requests: 500 },
];

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One actor woken by a request, then `requests` more while it runs: one long cycle (as e2e/cycle-support.ts). */
function busyActorScenario(requests: number): Record<string, unknown> {
  return {
    name: `bench-draw-${requests}`,
    durationMs: 100 + requests * 20 + 1_000,
    pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 3_600, drainGracePeriod: 5 }],
    actors: [{ id: "actor-1" }],
    steps: [
      { at: 10, request: { actor: "actor-1" } },
      ...Array.from({ length: requests }, (_, index) => ({ at: 100 + index * 20, request: { actor: "actor-1", path: `/item/${index}` } })),
    ],
  };
}

async function recordCycle(base: string, requests: number): Promise<{ runId: string; events: number }> {
  const response = await fetch(`${base}/api/runs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scenario: busyActorScenario(requests), seed: 1 }),
  });
  if (response.status !== 201) throw new Error(`recording a cycle failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { run: { id: string }; cycles: { eventCount: number }[] };
  return { runId: body.run.id, events: body.cycles[0].eventCount };
}

/** Stamps (performance.now(), from navigation) the moment the page's diagram is drawn. */
const STAMP_DRAWN = `(() => {
  const check = () => {
    if (window.__drawnAt === undefined && document.querySelector('[data-testid="diagram"][data-rendered="true"] svg')) window.__drawnAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-rendered"] });
})()`;

async function timePage(context: BrowserContext, url: string): Promise<{ ms: number; renderMs: number; text: string }> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: "commit" });
    const ms = await until("the cycle page's drawing", () => page.evaluate<number | undefined>("window.__drawnAt"), 120_000);
    const text = (await page.locator('[data-testid="mermaid-text"]').first().textContent()) ?? "";
    // How long mermaid.render took inside the page (components/MermaidDiagram.tsx leaves the entry).
    const renderMs = await page.evaluate<number>(`(performance.getEntriesByName("wakeline:mermaid-render")[0] || { duration: NaN }).duration`);
    return { ms, renderMs, text };
  } finally {
    await page.close();
  }
}

/** The bare page: Mermaid loaded, configured as the app configures it, one render, the SVG put in. */
function barePage(text: string): string {
  const script = `
    const started = performance.now();
    const mermaid = (await import("${BARE_PREFIX}/mermaid/mermaid.esm.min.mjs")).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", look: "classic", maxTextSize: 50000, suppressErrorRendering: true });
    const rendering = performance.now();
    const { svg } = await mermaid.render("bare-diagram", ${JSON.stringify(text).replace(/</g, "\\u003c")});
    const target = document.getElementById("target");
    target.innerHTML = svg;
    target.querySelector("svg").getBoundingClientRect();
    window.__renderMs = performance.now() - rendering;
    window.__loadMs = rendering - started;
    window.__drawnAt = performance.now();
  `;
  return `<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head><body><div id="target"></div><script type="module">${script}</script></body></html>`;
}

async function timeBare(context: BrowserContext, base: string, text: string): Promise<{ ms: number; renderMs: number }> {
  const page: Page = await context.newPage();
  try {
    await page.route(`${base}${BARE_PREFIX}/page`, (route) => route.fulfill({ contentType: "text/html", body: barePage(text) }));
    await page.goto(`${base}${BARE_PREFIX}/page`, { waitUntil: "commit" });
    const ms = await until("the bare drawing", () => page.evaluate<number | undefined>("window.__drawnAt"), 120_000);
    const renderMs = await page.evaluate<number>("window.__renderMs");
    return { ms, renderMs };
  } finally {
    await page.close();
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-bench-draw-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "start.mjs")], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: `file:${path.join(dir, "bench.db")}`, PORT: String(port), WAKELINE_HOSTNAME: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1" },
  });
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    await until("the server", async () => {
      if (server.exitCode !== null) throw new Error(`the server exited:\n${output}`);
      return (await fetch(`${base}/api/scenarios`).then((r) => r.status)) === 200;
    }, 120_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${output}`);
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await context.addInitScript(STAMP_DRAWN);
    // Mermaid's ESM build and its chunks, for the bare page.
    await context.route(`${base}${BARE_PREFIX}/mermaid/**`, (route) => {
      const file = path.join(MERMAID_DIST, new URL(route.request().url()).pathname.slice(`${BARE_PREFIX}/mermaid/`.length));
      if (!file.startsWith(MERMAID_DIST) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: "" });
      return route.fulfill({ contentType: "text/javascript", body: fs.readFileSync(file) });
    });

    console.log(`Cycle page draw vs bare mermaid.render (real server, Chromium, ${os.cpus().length} cores, median of ${REPETITIONS})`);
    console.log("events   steps drawn   text chars   page ms (render)   bare ms (render)   page / bare");
    for (const size of SIZES) {
      const cycle = await recordCycle(base, size.requests);
      const url = `${base}/runs/${encodeURIComponent(cycle.runId)}/cycles/1?actor=actor-1`;
      // Once each unmeasured: the browser has the app's and Mermaid's code cached, as a user has.
      const { text } = await timePage(context, url);
      await timeBare(context, base, text);
      const page: number[] = [];
      const pageRender: number[] = [];
      const bare: number[] = [];
      const render: number[] = [];
      for (let i = 0; i < REPETITIONS; i++) {
        const opened = await timePage(context, url);
        page.push(opened.ms);
        pageRender.push(opened.renderMs);
        const alone = await timeBare(context, base, text);
        bare.push(alone.ms);
        render.push(alone.renderMs);
      }
      const steps = (text.match(/^\s*(?:\S+\s*-[->x)]+[+-]?\s*\S+\s*:|note )/gm) ?? []).length;
      console.log(
        `${String(cycle.events).padStart(6)}   ${String(steps).padStart(11)}   ${String(text.length).padStart(10)}   ${median(page).toFixed(0).padStart(7)} (${median(pageRender).toFixed(0).padStart(5)})   ${median(bare).toFixed(0).padStart(7)} (${median(render).toFixed(0).padStart(5)})   ${(median(page) / median(bare)).toFixed(2).padStart(10)}×`,
      );
      if (process.env.BENCH_VERBOSE) console.log(`  page: ${page.map((ms) => ms.toFixed(0)).join(" ")}   bare: ${bare.map((ms) => ms.toFixed(0)).join(" ")}`);
    }
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : server.once("exit", () => resolve())));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
