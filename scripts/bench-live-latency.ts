// Benchmark: how long from a gateway request reaching the engine to its arrow being drawn on an
// open page, with the real server (`node scripts/start.mjs`: engine + production dashboard in one
// process, on a temporary database). Opens the live run's cycle page, then its run page, in
// Chromium, sends requests through the gateway one at a time and times request sent → the
// request's arrow in the page's diagram (the browser stamps the moment it sees it). Prints p50/p95.
//   npm run bench:live-latency [-- <requests per page>]   (needs `npm run build`; NEXT_DIST_DIR is passed on)
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { percentile } from "./bench-timing";

const ROOT = path.resolve(__dirname, "..");
const REQUESTS = Number(process.argv[2] ?? 40);
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";

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

/**
 * Stamps, in every page, the first moment each marker arrives over an event stream (before the page
 * does anything with it): splits the latency into "reached the browser" and "drawn".
 */
const STAMP_STREAM = `(() => {
  window.__wire = {};
  const Original = window.EventSource;
  if (!Original) return;
  window.EventSource = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (message) => {
        const found = /lat[a-z]+\\d+z/.exec(message.data);
        if (found && window.__wire[found[0]] === undefined) window.__wire[found[0]] = Date.now();
      });
    }
  };
})()`;

/** Stamps, in the page, the first moment each marker appears in a drawn diagram (an <svg>'s text). */
async function watchDiagram(page: Page): Promise<void> {
  // A string, not a function: tsx's helpers would not exist in the page.
  await page.evaluate(`(() => {
    window.__seen = {};
    window.__want = [];
    const check = () => {
      if (window.__want.length === 0) return;
      let text = "";
      for (const svg of Array.from(document.querySelectorAll("svg"))) text += svg.textContent || "";
      window.__want = window.__want.filter((marker) => {
        if (!text.includes(marker)) return true;
        window.__seen[marker] = Date.now();
        return false;
      });
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

interface Latencies {
  /** Request sent → its arrow drawn. */
  drawn: number[];
  /** Request sent → its event reached the page over the stream (the server's share). */
  wire: number[];
}

async function measure(page: Page, base: string, label: string, requests: number): Promise<Latencies> {
  await watchDiagram(page);
  const latencies: number[] = [];
  const wire: number[] = [];
  for (let i = 0; i < requests; i++) {
    const marker = `lat${label}${i}z`;
    await page.evaluate(`window.__want.push(${JSON.stringify(marker)})`);
    const sent = Date.now();
    const answer = await fetch(`${base}/gateway/demo/${marker}`);
    await answer.arrayBuffer();
    const seen = await until(`arrow ${marker} on the ${label} page`, () =>
      page.evaluate<number | undefined>(`window.__seen[${JSON.stringify(marker)}]`),
    );
    latencies.push(seen - sent);
    const arrived = await page.evaluate<number | undefined>(`window.__wire[${JSON.stringify(marker)}]`);
    if (arrived !== undefined) wire.push(arrived - sent);
  }
  return { drawn: latencies, wire };
}

function report(name: string, latencies: number[]) {
  if (latencies.length === 0) return;
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(`${name.padEnd(12)} ${sorted.length} requests   p50 ${percentile(sorted, 50).toFixed(0).padStart(5)} ms   p95 ${percentile(sorted, 95).toFixed(0).padStart(5)} ms   max ${sorted[sorted.length - 1].toFixed(0)} ms`);
  if (process.env.BENCH_VERBOSE) console.log(`  in order: ${latencies.map((ms) => ms.toFixed(0)).join(" ")}`);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-bench-live-"));
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
      const status = await fetch(`${base}/api/scenarios`).then((r) => r.status);
      return status === 200;
    }, 120_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${output}`);
    });
    // Wake the demo actor once, then find the live run and the cycle it opened.
    await (await fetch(`${base}/gateway/demo/warm-up`)).arrayBuffer();
    const run = await until("the live run", async () => {
      const runs = (await (await fetch(`${base}/api/runs?source=live&limit=1`)).json()) as { id: string; status: string }[];
      return runs[0]?.status === "running" ? runs[0] : null;
    });
    const cycle = await until("the demo actor's cycle", async () => {
      const cycles = (await (await fetch(`${base}/api/runs/${run.id}/cycles`)).json()) as { actorId: string; ordinal: number }[];
      return cycles[cycles.length - 1];
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript(STAMP_STREAM);
    // An open page: its diagram drawn (not just any SVG, such as the logo) before the first request.
    const drawn = page.locator('[data-testid="diagram"][data-rendered="true"] svg').first();
    await page.goto(`${base}/runs/${run.id}/cycles/${cycle.ordinal}?actor=${encodeURIComponent(cycle.actorId)}`);
    await drawn.waitFor();
    const onCycle = await measure(page, base, "cycle", REQUESTS);
    await page.goto(`${base}/runs/${run.id}?actor=${encodeURIComponent(cycle.actorId)}&draw=${cycle.ordinal}`);
    await drawn.waitFor();
    const onRun = await measure(page, base, "run", REQUESTS);
    console.log(`Live latency: gateway request sent → its arrow drawn (real server, Chromium, ${os.cpus().length} cores)`);
    report("cycle page", onCycle.drawn);
    report("  on wire", onCycle.wire);
    report("run page", onRun.drawn);
    report("  on wire", onRun.wire);
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
