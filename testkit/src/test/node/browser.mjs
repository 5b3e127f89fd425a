// Loads Tern's web page in headless Chromium, waits until the page's nats.ws subscription is in
// effect (prints READY), then until a message whose text is <expected> shows in the list (prints
// SEEN), publishes from the page and waits for that message to come back (prints ECHOED), and
// saves a screenshot. Usage: node browser.mjs <http-port> <subject> <expected> <png>
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [httpPort, subject, expected, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const profile = mkdtempSync(join(tmpdir(), "tern-chromium-"));
let context;
try {
  // A persistent context is how Playwright takes a user data dir: a fresh one for every run.
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1200, height: 700 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
    timeout: 60000,
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on("console", (m) => console.log(`page console ${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
  await page.goto(`http://127.0.0.1:${httpPort}/?subject=${encodeURIComponent(subject)}`, { timeout: 30000 });
  await page.waitForSelector('#status[data-state="subscribed"]', { timeout: 30000 });
  console.log("READY");
  const item = page.locator("#messages li", { hasText: expected });
  await item.first().waitFor({ timeout: 30000 });
  // Let the next /varz refresh count the page's own connection before the picture.
  await page.waitForFunction(() => Number(document.getElementById("varz-connections")?.textContent) >= 1,
    null, { timeout: 10000 });
  console.log(`SEEN ${await item.first().textContent()}`);
  // The page publishes too: its own message comes back through Tern to its subscription.
  await page.fill("#pub-subject", subject);
  await page.fill("#pub-payload", "published by the page");
  await page.click("#publish-form button");
  await page.locator("#messages li", { hasText: "published by the page" }).first().waitFor({ timeout: 30000 });
  console.log("ECHOED");
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`STATUS ${await page.locator("#status").textContent()}`);
} catch (e) {
  console.log(`FAILED ${e.message}`);
  process.exitCode = 1;
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
}
