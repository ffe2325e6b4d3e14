// Debian's Chromium driven by playwright-core for the web app's end-to-end tests: launching (or
// skipping when it is not installed), pages that record script errors, and screenshots.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ExecutionContext } from "ava";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
export const SHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
export const WAIT = { timeout: 10_000 };

/** Chromium, or undefined after skipping (failing under CI=true) when it is not installed. */
export async function launch(t: ExecutionContext): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    const message = `${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium) to run the web end-to-end tests`;
    if (process.env.CI === "true") t.fail(message);
    else {
      t.log(`SKIPPED: ${message}`);
      t.pass();
    }
    return undefined;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  t.teardown(() => browser.close());
  return browser;
}

/** A page in a fresh context that records uncaught script errors, so a test can insist there were none. */
export async function open(browser: Browser, errors: string[], options: BrowserContextOptions = { viewport: { width: 1280, height: 900 } }): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  return page;
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}
