// The waiting room in the browser: a customer joins an on-sale's queue before it opens, sees the
// countdown, is let in without reloading (server-sent events), follows the link to the show and
// holds a seat with the pass the page kept. A phone-sized viewport, since that is where most
// customers wait. Skips (fails under CI=true) without Debian's Chromium.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import test from "ava";
import { chromium } from "playwright-core";
import { startServer } from "../helpers/http.ts";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

test("a customer waits in the queue on a phone, is let in live, and holds a seat with the pass", async (t) => {
  t.timeout(90_000);
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === "true") return t.fail(`${CHROMIUM} is missing: apt-get install chromium`);
    return t.pass(`SKIPPED: ${CHROMIUM} is missing`);
  }
  const api = await startServer(t);
  const admin = await api.admin();
  const show = await api.dayAheadShow();
  const customer = await api.customer("Meera Iyer");
  const me = await api.request("GET", "/api/me", { token: customer.token });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await context.addInitScript(([token, user]) => localStorage.setItem("marquee.session", JSON.stringify({ token, user })), [customer.token, me.body] as const);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // The sale opens a few seconds after it is made: made once the browser is up, whatever
  // starting Chromium cost on a busy machine.
  const sale = await api.request("POST", "/api/admin/onsales", { token: admin, body: { shows: [show.id], opensAt: new Date(Date.now() + 8_000).toISOString(), admissionRate: 600, finishWithinSeconds: 300, maxTicketsPerAccount: 4 } });
  t.is(sale.status, 201);

  await page.goto(`${api.url}/#/queue/${sale.body.id}`);
  await page.getByTestId("queue-join").click();
  await page.getByTestId("queue-countdown").waitFor({ timeout: 10_000 });
  t.regex(await page.getByTestId("queue-countdown").innerText(), /^0:0\d$/);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}queue-prequeue.png`, fullPage: true });

  // The sale opens; the tick lets the customer in and the page hears it without a reload.
  const ticking = setInterval(() => void api.marquee.broker.call("onsale.tick").catch(() => undefined), 500);
  t.teardown(() => clearInterval(ticking));
  await page.getByTestId("queue-admitted").waitFor({ timeout: 20_000 });
  await page.reload();
  await page.getByTestId("queue-admitted").waitFor({ timeout: 10_000 });
  await page.screenshot({ path: `${SHOTS}queue-admitted.png`, fullPage: true });

  await page.getByTestId("queue-show").first().click();
  const seat = show.seats.find((s: { status: string }) => s.status === "available").id;
  await page.getByTestId(`seat-${seat}`).click();
  await page.getByTestId("hold-button").click();
  await page.getByTestId("hold-countdown").waitFor({ timeout: 10_000 });
  t.is((await api.request("GET", `/api/shows/${show.id}`)).body.seats.find((s: { id: string }) => s.id === seat).status, "held");
  t.deepEqual(errors, []);
});
