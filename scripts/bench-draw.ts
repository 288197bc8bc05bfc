// Benchmark: how long the cycle page takes to draw a cycle, against Mermaid alone drawing the same
// text in the same browser. With the real server (`node scripts/start.mjs`: engine + production
// dashboard in one process, on a temporary database), it records cycles of about 97, 1,003 and
// 5,000 events, then in Chromium times, several times each, alternating:
//   page  navigation → the cycle page's diagram drawn (its figure says data-rendered, SVG inside);
//   bare  navigation → a blank page that loads Mermaid (the same package, its ESM build, which the
//         app loads too), renders the page's own Mermaid text and puts the SVG in the document.
// Both are warm: the browser's HTTP cache holds the app's code and Mermaid's, as a returning user's
// does. So the bare page and its Mermaid files come from a small static server of this script (on
// another loopback port, with the same cache headers the app sends), not from request interception:
// Playwright's routing turns the HTTP cache off for the whole browser context, which made the cycle
// page download and compile all its code on every navigation, as no user's browser does.
// In brackets: how long mermaid.render itself took in each.
// Prints the medians and page / bare (the goal: at most 1.2); with BENCH_VERBOSE=1 also each run and
// where the time went in both (first byte, parser done, render begun). Not a test: nothing asserts.
//   npx tsx scripts/bench-draw.ts [repetitions]   (needs a production build; NEXT_DIST_DIR is passed on)
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { RENDER_MEASURE } from "../components/mermaid-module";
import { median } from "./bench-timing";

const ROOT = path.resolve(__dirname, "..");
const REPETITIONS = Number(process.argv[2] ?? 5);
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
const MERMAID_DIST = path.join(ROOT, "node_modules", "mermaid", "dist");
/** Cache headers of the bare page's Mermaid files: those of the app's (app/vendor/mermaid). */
const IMMUTABLE = "public, max-age=31536000, immutable";
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

/**
 * The page reports when its drawing is done through a binding (DRAWN_BINDING), not by being asked:
 * asking means evaluating script in the page every few milliseconds while it loads (and, the first
 * time, Playwright installing its helpers there), main-thread work no user's browser does, which
 * lands in the middle of the cycle page's start and in the bare page's idle wait for Mermaid.
 */
const DRAWN_BINDING = "__benchDrawn";

/** Reports (performance.now(), from navigation) the moment the page's diagram is drawn. */
const STAMP_DRAWN = `(() => {
  const check = () => {
    if (window.__drawnAt === undefined && document.querySelector('[data-testid="diagram"][data-rendered="true"] svg')) {
      window.__drawnAt = performance.now();
      window.${DRAWN_BINDING}(window.__drawnAt);
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-rendered"] });
})()`;

/** Resolves with the time a page reports through DRAWN_BINDING. */
const drawnReports = new Map<Page, (at: number) => void>();

function drawn(page: Page, what: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 120_000);
    drawnReports.set(page, (at) => {
      clearTimeout(timer);
      drawnReports.delete(page);
      resolve(at);
    });
  });
}

/** Where a navigation's time went, in ms from its start: first byte, the parser done, the render begun. */
interface Milestones {
  firstByte: number;
  parsed: number;
  renderStart: number;
}

/** Read in the page: the navigation entry and the render measure (started at its `startTime`). */
const MILESTONES = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const render = performance.getEntriesByName(${JSON.stringify(RENDER_MEASURE)})[0];
  return { firstByte: nav.responseStart, parsed: nav.domInteractive, renderStart: render ? render.startTime : NaN };
})()`;

interface Timing {
  ms: number;
  renderMs: number;
  milestones: Milestones;
}

async function timePage(context: BrowserContext, url: string): Promise<Timing & { text: string }> {
  const page = await context.newPage();
  try {
    const reported = drawn(page, "the cycle page's drawing");
    await page.goto(url, { waitUntil: "commit" });
    const ms = await reported;
    const text = (await page.locator('[data-testid="mermaid-text"]').first().textContent()) ?? "";
    // How long mermaid.render took inside the page (the early script of components/mermaid-module.ts, or
    // components/MermaidDiagram.tsx, leaves the entry).
    const renderMs = await page.evaluate<number>(`(performance.getEntriesByName(${JSON.stringify(RENDER_MEASURE)})[0] || { duration: NaN }).duration`);
    return { ms, renderMs, text, milestones: await page.evaluate<Milestones>(MILESTONES) };
  } finally {
    await page.close();
  }
}

/** The bare page: Mermaid loaded, configured as the app configures it, one render, the SVG put in. */
function barePage(text: string): string {
  const script = `
    const started = performance.now();
    const mermaid = (await import("/mermaid/mermaid.esm.min.mjs")).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", look: "classic", maxTextSize: 50000, suppressErrorRendering: true });
    const rendering = performance.now();
    const { svg } = await mermaid.render("bare-diagram", ${JSON.stringify(text).replace(/</g, "\\u003c")});
    performance.measure(${JSON.stringify(RENDER_MEASURE)}, { start: rendering });
    const target = document.getElementById("target");
    target.innerHTML = svg;
    target.querySelector("svg").getBoundingClientRect();
    window.__renderMs = performance.now() - rendering;
    window.__loadMs = rendering - started;
    window.__drawnAt = performance.now();
    window.${DRAWN_BINDING}(window.__drawnAt);
  `;
  return `<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head><body><div id="target"></div><script type="module">${script}</script></body></html>`;
}

/**
 * Serves the bare page (for the text last given to `show`) and Mermaid's ESM build, from this
 * process: no part of the server under test, no routing in the browser.
 */
async function startBareServer(): Promise<{ base: string; show: (text: string) => void; close: () => Promise<void> }> {
  let html = barePage("sequenceDiagram\n  participant A");
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://bare").pathname;
    if (pathname === "/page") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      return response.end(html);
    }
    const file = path.join(MERMAID_DIST, pathname.slice("/mermaid/".length));
    if (!pathname.startsWith("/mermaid/") || !file.startsWith(MERMAID_DIST + path.sep) || !fs.existsSync(file)) {
      response.writeHead(404);
      return response.end();
    }
    response.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": IMMUTABLE });
    response.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    show: (text) => (html = barePage(text)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function timeBare(context: BrowserContext, bare: Awaited<ReturnType<typeof startBareServer>>, text: string): Promise<Timing> {
  const page: Page = await context.newPage();
  try {
    bare.show(text);
    const reported = drawn(page, "the bare drawing");
    await page.goto(`${bare.base}/page`, { waitUntil: "commit" });
    const ms = await reported;
    const renderMs = await page.evaluate<number>("window.__renderMs");
    return { ms, renderMs, milestones: await page.evaluate<Milestones>(MILESTONES) };
  } finally {
    await page.close();
  }
}

function milestoneMedians(runs: Milestones[]): string {
  const at = (pick: (m: Milestones) => number) => median(runs.map(pick)).toFixed(0);
  return `first byte ${at((m) => m.firstByte)} · parsed ${at((m) => m.parsed)} · render from ${at((m) => m.renderStart)} ms`;
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
  const bareServer = await startBareServer();
  try {
    await until("the server", async () => {
      if (server.exitCode !== null) throw new Error(`the server exited:\n${output}`);
      return (await fetch(`${base}/api/scenarios`).then((r) => r.status)) === 200;
    }, 120_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${output}`);
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await context.exposeBinding(DRAWN_BINDING, ({ page }, at: number) => drawnReports.get(page)?.(at));
    await context.addInitScript(STAMP_DRAWN);
    console.log(`Cycle page draw vs bare mermaid.render (real server, Chromium, ${os.cpus().length} cores, median of ${REPETITIONS})`);
    console.log("events   steps drawn   text chars   page ms (render)   bare ms (render)   page / bare");
    for (const size of SIZES) {
      const cycle = await recordCycle(base, size.requests);
      const url = `${base}/runs/${encodeURIComponent(cycle.runId)}/cycles/1?actor=actor-1`;
      // Once each unmeasured: the browser has the app's and Mermaid's code cached, as a user has.
      const { text } = await timePage(context, url);
      await timeBare(context, bareServer, text);
      const page: number[] = [];
      const pageRender: number[] = [];
      const bare: number[] = [];
      const render: number[] = [];
      const pageMilestones: Milestones[] = [];
      const bareMilestones: Milestones[] = [];
      for (let i = 0; i < REPETITIONS; i++) {
        const opened = await timePage(context, url);
        page.push(opened.ms);
        pageRender.push(opened.renderMs);
        pageMilestones.push(opened.milestones);
        const alone = await timeBare(context, bareServer, text);
        bare.push(alone.ms);
        render.push(alone.renderMs);
        bareMilestones.push(alone.milestones);
      }
      const steps = (text.match(/^\s*(?:\S+\s*-[->x)]+[+-]?\s*\S+\s*:|note )/gm) ?? []).length;
      console.log(
        `${String(cycle.events).padStart(6)}   ${String(steps).padStart(11)}   ${String(text.length).padStart(10)}   ${median(page).toFixed(0).padStart(7)} (${median(pageRender).toFixed(0).padStart(5)})   ${median(bare).toFixed(0).padStart(7)} (${median(render).toFixed(0).padStart(5)})   ${(median(page) / median(bare)).toFixed(2).padStart(10)}×`,
      );
      if (process.env.BENCH_VERBOSE) {
        console.log(`  page: ${page.map((ms) => ms.toFixed(0)).join(" ")}   bare: ${bare.map((ms) => ms.toFixed(0)).join(" ")}`);
        console.log(`  page ${milestoneMedians(pageMilestones)}`);
        console.log(`  bare ${milestoneMedians(bareMilestones)}`);
      }
    }
  } finally {
    await browser.close();
    await bareServer.close();
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
