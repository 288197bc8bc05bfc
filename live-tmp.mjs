import { chromium } from "@playwright/test";
const steps = [{ at: 10, request: { actor: "actor-1" } }, ...Array.from({ length: 20 }, (_, i) => ({ at: 100 + i * 1500, request: { actor: "actor-1", path: `/i/${i}` } }))];
const scenario = { name: "live-dbg", durationMs: 100 + 20 * 1500 + 500, pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 3600, drainGracePeriod: 5 }], actors: [{ id: "actor-1" }], steps };
const res = await fetch("http://127.0.0.1:3200/api/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario, speed: 2 }) });
const { run } = await res.json();
console.log("run", run.id, res.status);
const t0 = Date.now();
for (;;) { const c = await (await fetch(`http://127.0.0.1:3200/api/runs/${run.id}/cycles`)).json(); if (c.length) break; }
console.log("cycle after", Date.now() - t0);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage();
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(`http://127.0.0.1:3200/runs/${run.id}/cycles/1?actor=actor-1`);
console.log("loaded", Date.now() - t0);
for (let i = 0; i < 30; i++) {
  const n = await page.locator('svg [data-et="message"]').count();
  const [st, ds, ev] = await page.evaluate(() => [document.querySelector('[data-testid="live-status"]')?.textContent, document.querySelector('[data-testid="diagram"]')?.getAttribute("data-state"), document.querySelector('[data-testid="cycle-event-count"]')?.textContent, document.querySelectorAll('[data-testid="diagram"] svg').length]);
  console.log(Date.now() - t0, "msgs", n, "state", ds, "events", ev, st);
  await page.waitForTimeout(500);
}
await browser.close();
