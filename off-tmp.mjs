import { chromium } from "@playwright/test";
const steps = [{ at: 10, request: { actor: "actor-1" } }, ...Array.from({ length: 8 }, (_, i) => ({ at: 100 + i * 2000, request: { actor: "actor-1", path: `/i/${i}` } }))];
const scenario = { name: "live-off", durationMs: 100 + 8 * 2000 + 500, pools: [{ name: "default", slotsPerRunner: 1, requestLifespan: 3600, drainGracePeriod: 5 }], actors: [{ id: "actor-1" }], steps };
const res = await fetch("http://127.0.0.1:3200/api/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario, speed: 1 }) });
const { run } = await res.json();
for (;;) { const c = await (await fetch(`http://127.0.0.1:3200/api/runs/${run.id}/cycles`)).json(); if (c.length) break; }
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const context = await browser.newContext();
const page = await context.newPage();
await page.route("**/events/stream?**", async (route) => { console.log("route", route.request().url(), JSON.stringify(await route.request().allHeaders())); await route.continue({ url: route.request().url() + "&limit=25" }); });
const bodies = [];
page.on("response", async (r) => { if (!r.url().includes("/events/stream")) return; try { const b = await r.body(); const ids = [...b.toString().matchAll(/^id: (\d+)$/gm)].map(m => Number(m[1])); bodies.push(ids); console.log("body", ids[0], ids.at(-1), ids.length); } catch (e) { console.log("body error", e.message); } });
await page.goto(`http://127.0.0.1:3200/runs/${run.id}/cycles/1?actor=actor-1`);
const status = () => page.evaluate(() => document.querySelector('[data-testid="live-status"]')?.textContent);
await page.waitForTimeout(3000);
console.log("before", await status());

for (let i = 0; i < 30; i++) { await page.waitForTimeout(1000); const s = await status(); console.log("online", s); if (s?.includes("finished")) break; }
console.log("steps", await page.evaluate(() => document.querySelector('[data-testid="replay-status"]')?.textContent));
const items = await (await fetch(`http://127.0.0.1:3200/api/runs/${run.id}/diagram?actor=actor-1&cycle=1`)).json();
console.log("api steps", items.items.filter((i) => i.seq !== undefined && (i.kind === "arrow" || i.kind === "note" || i.kind === "relation")).length);
console.log("all", bodies.flat().length, new Set(bodies.flat()).size);
await browser.close();
