// Debian's Chromium driven by playwright-core for the web app's end-to-end tests: launching,
// pages that record script errors, and screenshots. Whether Chromium is there is decided when a
// test file loads (testNeeding(missingBinaries(CHROMIUM))), so a missing one is reported as a skip.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ExecutionContext } from "ava";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { CHROMIUM } from "./services.ts";
export const SHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
export const WAIT = { timeout: 10_000 };

/** Chromium for one test, closed in its teardown. */
export async function launch(t: ExecutionContext): Promise<Browser> {
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

/**
 * Pays for the hold on the page through the processor's hosted card page, as a customer does:
 * Marquee's Pay button leads there, the card is typed there, and the page sends the browser back.
 */
export async function cardOnProcessor(page: Page, number: string, screenshot?: string, button = "pay-button"): Promise<void> {
  await page.getByTestId(button).click();
  await page.waitForURL(/\/checkout\?/, WAIT);
  await page.locator("#number").fill(number);
  await page.locator("#expiry").fill(`12/${String(new Date().getFullYear() + 2).slice(-2)}`);
  await page.locator("#cvc").fill("123");
  if (screenshot) await shot(page, screenshot);
  await page.locator("#card button[type=submit]").click();
}
