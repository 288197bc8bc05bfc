import { chromium } from "@playwright/test";
const [,, url] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage();
for (let i = 0; i < 2; i++) {
const t0 = Date.now();
await page.goto(url);
const t1 = Date.now();
await page.waitForSelector('[data-rendered="true"]', { timeout: 60000 });
console.log("load", t1 - t0, "render", Date.now() - t1);
}
await browser.close();
