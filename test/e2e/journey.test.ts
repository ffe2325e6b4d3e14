// The customer journey on a phone (390 x 844, touch) and on a desktop (1280 x 800): no page is
// ever wider than the screen, the phone keeps the seats, the total, the countdown and the next
// step in a bar under the thumb, hints match the input method, releasing asks first, and the
// page's one message region says only what is true now; the ticket it buys gets in at the door
// once, and the usher's second try is refused. It buys with best-available seats, and the customer, let in, rates the film. Screenshots of every step go to
// test-results/screenshots/journey-<width>-<step>.png.
import type { ExecutionContext } from "ava";
import type { Page } from "playwright-core";
import { startServer, type Client } from "../helpers/http.ts";
import { cardOnProcessor, launch, open, shot, WAIT } from "../helpers/browser.ts";
import { CHROMIUM, missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries(CHROMIUM));

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
const DESKTOP = { viewport: { width: 1280, height: 800 } } as const;

interface Seat { id: string; row: string; number: number; status: string; category: string }

/** The page is exactly as wide as the screen: nothing to scroll sideways, nothing clipped. */
async function fits(t: ExecutionContext, page: Page, step: string) {
  const { doc, view } = await page.evaluate<{ doc: number; view: number }>("({ doc: document.documentElement.scrollWidth, view: window.innerWidth })");
  t.is(doc, view, `${step}: the page is ${doc} px wide in a ${view} px screen`);
  await shot(page, `journey-${view}-${step}`);
}

async function signUp(page: Page, api: Client, name: string) {
  await page.goto(`${api.url}/#/signup`);
  await page.getByTestId("signup-name").fill(name);
  await page.getByTestId("signup-email").fill(`${name.replace(/\W/g, "")}-${process.pid}-${Date.now()}@example.com`);
  await page.getByTestId("signup-password").fill("a long password");
  await page.getByTestId("signup-submit").click();
  await page.getByTestId("user-name").filter({ hasText: name }).waitFor(WAIT);
}

/** A show a day or more away, two available seats of its fourth row, and that row's first two. */
async function pickShow(api: Client) {
  const show = await api.dayAheadShow();
  const row = [...new Set((show.seats as Seat[]).map((s) => s.row))][3];
  const inRow = (show.seats as Seat[]).filter((s) => s.row === row && s.status === "available");
  const [a, b] = inRow.slice(2, 4).map((s) => s.id) as [string, string];
  return { show, a, b, first: inRow[0]!.id, second: inRow[1]!.id };
}

async function journey(t: ExecutionContext, options: typeof PHONE | typeof DESKTOP) {
  t.timeout(90_000);
  const api = await startServer(t);
  const browser = await launch(t);
  if (!browser) return;
  const errors: string[] = [];
  const page = await open(browser, errors, options);
  const phone = options.viewport.width < 980;

  await signUp(page, api, "Meera Iyer");
  await page.getByTestId("city-choice").first().waitFor(WAIT);
  await fits(t, page, "city");
  await page.getByTestId("city-choice").first().click();
  await page.getByTestId("show-list").locator("[data-testid=show-link] .chip-price:not(:empty)").first().waitFor(WAIT);
  await fits(t, page, "browse");

  const { show, a, b, first, second } = await pickShow(api);
  await page.goto(`${api.url}/#/show/${encodeURIComponent(show.id)}`);
  await page.locator("[data-testid=live-status][data-state=live]").waitFor(WAIT);
  await fits(t, page, "seat-map");

  // Picking by hand a seat that strands its neighbour against the row's end is warned about.
  await page.getByTestId(`seat-${second}`).click();
  await page.getByTestId("orphan-warning").filter({ hasText: new RegExp(`leave (.+ and )?${first}( and .+)? on (its|their) own`) }).waitFor(WAIT);
  await fits(t, page, "orphan-warning");
  await page.getByTestId(`seat-${second}`).click();

  // Hints and sizes follow the input method; the row letters stay put while the map scrolls.
  const hint = await page.getByTestId("seat-hint").innerText();
  if (phone) {
    t.notRegex(hint, /Tab/, "no keyboard hint on a touch screen");
    t.regex(hint, /Tap/);
    const box = (await page.getByTestId(`seat-${a}`).boundingBox())!;
    t.true(box.width >= 32 && box.height >= 32, `a seat is ${box.width} x ${box.height} px`);
    t.true(await page.getByTestId("seat-scroll-hint").isVisible(), "a map wider than the screen says it scrolls");
    t.is(await page.evaluate<string>("getComputedStyle(document.querySelector('.seat-row .row-label')).position"), "sticky");
  } else {
    t.regex(hint, /Tab to the seats/);
  }

  await page.getByTestId(`seat-${a}`).click();
  await page.getByTestId(`seat-${b}`).click();
  // The estimate for both seats (an estimate for the first alone may arrive first).
  await page.getByTestId("quote-estimate").filter({ hasText: `(${a}, ${b})` }).waitFor(WAIT);
  const estimate = await page.getByTestId("quote-estimate-total").innerText();
  t.regex(await page.getByTestId("quote-estimate").innerText(), /GST 18% on the fee/);
  if (phone) {
    t.true(await page.getByTestId("action-bar").isVisible());
    await page.getByTestId("bar-total").filter({ hasText: estimate }).waitFor(WAIT);
  } else {
    t.false(await page.getByTestId("action-bar").isVisible(), "the desktop keeps the side panel instead");
  }
  await fits(t, page, "selected");

  // Hold: the phone's bar shows the seats, the locked total and the countdown, and offers Pay.
  await page.getByTestId(phone ? "bar-hold" : "hold-button").click();
  await page.getByTestId("hold-countdown").waitFor(WAIT);
  const total = await page.getByTestId("hold-quote-total").innerText();
  await page.getByTestId("status").filter({ hasText: /^Held/ }).waitFor(WAIT);
  t.regex(await page.getByTestId("cancel-terms").innerText(), new RegExp(`^Free cancellation until .+: a full refund of ${total.replace(/[.]/g, "\\.")}\\.$`));
  if (phone) {
    t.regex(await page.getByTestId("action-bar").innerText(), new RegExp(`${a} and ${b}[\\s\\S]*${total.replace(/[.]/g, "\\.")}[\\s\\S]*\\d:\\d{2} left`));
    t.true(await page.getByTestId("bar-pay").isVisible());
  }
  await fits(t, page, "held");

  // Releasing asks first; keeping the seats changes nothing.
  await page.getByTestId("release-hold").click();
  await page.getByTestId("keep-hold").click();
  t.true(await page.getByTestId("hold-countdown").isVisible(), "the hold is kept");
  await page.getByTestId("release-hold").click();
  await fits(t, page, "release-confirm");
  await page.getByTestId("confirm-release").click();
  await page.getByTestId("status").filter({ hasText: `Released ${a} and ${b}.` }).waitFor(WAIT);
  t.notRegex(await page.getByTestId("message-box").innerText(), /Held/, "the held message was replaced, not stacked");

  // Now let the server pick: the best two standard seats, side by side; pay from the bar
  // (phone) or the form (desktop).
  if (phone) await page.getByTestId("bar-best").click();
  await page.getByTestId("best-count").selectOption("2");
  await page.getByTestId("best-category").selectOption("standard");
  await fits(t, page, "best-available");
  await page.getByTestId("best-button").click();
  await page.getByTestId("hold-countdown").waitFor(WAIT);
  const picked = await page.locator("[data-mine=true]").evaluateAll((els) => els.map((el) => el.getAttribute("data-seat") ?? ""));
  t.is(picked.length, 2);
  const [p1, p2] = picked.map((id) => (show.seats as (Seat & { column: number })[]).find((s) => s.id === id)!);
  t.true(p1!.row === p2!.row && p2!.column - p1!.column === 1 && p1!.category === "standard", `best seats ${picked.join(", ")} are side by side`);
  const bestTotal = await page.getByTestId("hold-quote-total").innerText();
  await fits(t, page, "payment");
  await cardOnProcessor(page, "4242 4242 4242 4242", phone ? "processor-card-page-phone" : undefined, phone ? "bar-pay" : "pay-button");
  await page.getByTestId("booking-confirmation").waitFor(WAIT);
  t.true((await page.getByTestId("booking-confirmation").innerText()).includes(bestTotal));
  await fits(t, page, "confirmed");

  // The ticket: a short code, a QR code, the refund terms and the receipt's GST lines.
  await page.getByTestId(phone ? "bar-ticket" : "go-ticket").click();
  await page.getByTestId("ticket-code").waitFor(WAIT);
  const code = await page.getByTestId("ticket-code").innerText();
  t.regex(code, /^MQ-[0-9A-HJKMNP-TV-Z]{6}$/);
  t.true(await page.getByTestId("ticket-qr").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), "the QR code is drawn");
  t.regex(await page.getByTestId("ticket-cancel-terms").innerText(), new RegExp(`full refund of ${bestTotal.replace(/[.]/g, "\\.")}`));
  t.is(await page.getByTestId("ticket-seats").innerText(), picked.join(", "));
  await page.locator("[data-testid=ticket] summary").click();
  t.regex(await page.getByTestId("ticket-receipt").innerText(), /GST \d+% on tickets[\s\S]*Convenience fee[\s\S]*GST 18% on the fee/);
  await fits(t, page, "ticket");

  await page.goto(`${api.url}/#/bookings`);
  const booking = page.locator("[data-testid=booking][data-status=confirmed]");
  await booking.waitFor(WAIT);
  t.true((await booking.innerText()).includes(bestTotal));
  t.is(await booking.getByTestId("booking-code").innerText(), code);
  t.regex(await booking.getByTestId("booking-cancel-terms").innerText(), /^Free until .+: full refund of ₹/);
  t.is(await booking.getByTestId("cancel-booking").count(), 1, "a paid ticket not yet used can be cancelled");
  await fits(t, page, "bookings");

  // A second browser, an usher at the door: the ticket gets in once; the second try is refused
  // with when and where it got in.
  const staff = await api.customer("Ravi Usher");
  const granted = await api.request("PUT", "/api/admin/users/role", { token: await api.admin(), body: { email: staff.email, role: "usher" } });
  t.is(granted.status, 200);
  const door = await open(browser, errors, options);
  await door.goto(`${api.url}/#/login`);
  await door.getByTestId("login-email").fill(staff.email);
  await door.getByTestId("login-password").fill("correct horse battery");
  await door.getByTestId("login-submit").click();
  await door.getByTestId("user-name").filter({ hasText: "(usher)" }).waitFor(WAIT);
  await door.goto(`${api.url}/#/door?show=${encodeURIComponent(show.id)}`);
  await door.getByTestId("door-code").waitFor(WAIT);
  t.is(await door.getByTestId("door-show").inputValue(), show.id);
  await door.getByTestId("door-name").fill("Door 2");
  await door.getByTestId("door-name").dispatchEvent("change");
  await fits(t, door, "door");
  await door.getByTestId("door-code").fill(code.toLowerCase());
  await door.getByTestId("door-admit").click();
  await door.locator("[data-testid=door-result][data-outcome=admitted]").waitFor(WAIT);
  t.regex(await door.getByTestId("door-result").innerText(), new RegExp(`Admit 2 people[\\s\\S]*${picked.join(", ")}`));
  await fits(t, door, "door-admitted");
  await door.getByTestId("door-code").fill(code);
  await door.getByTestId("door-admit").click();
  await door.locator("[data-testid=door-result][data-outcome=refused]").waitFor(WAIT);
  t.regex(await door.getByTestId("door-reason").innerText(), /^Already admitted at \d{2}:\d{2} by Door 2/);
  await fits(t, door, "door-refused");

  // Let in, the customer may now rate the film, once; its card then shows the rating.
  await page.reload();
  const form = page.getByTestId("review-form");
  await form.waitFor(WAIT);
  t.is(await page.locator("[data-testid=booking][data-status=confirmed] [data-testid=cancel-booking]").count(), 0, "a used ticket is no longer offered for cancelling");
  await form.locator("label.star").nth(4).click();
  await page.getByTestId("review-text").fill("Gripping from the first minute.");
  await fits(t, page, "review");
  await page.getByTestId("review-submit").click();
  await page.getByTestId("review-thanks").filter({ hasText: "5 out of 5" }).waitFor(WAIT);
  await page.goto(`${api.url}/#/?date=any`);
  const card = page.locator(`[data-testid=movie]:has([data-show-id="${show.id}"])`);
  await card.getByTestId("movie-rating").filter({ hasText: "★ 5.0 · 1 review" }).waitFor(WAIT);
  await fits(t, page, "browse-rated");
  t.deepEqual(errors, []);
}

test("on a 390 x 844 phone the journey fits the screen, with the next step in a bar under the thumb", (t) => journey(t, PHONE));
test("on a 1280 x 800 desktop the journey fits the screen and keeps the keyboard seat grid", (t) => journey(t, DESKTOP));

test("when a hold expires the one message says so instead of the held message, and the seats stay selected to hold again", async (t) => {
  t.timeout(90_000);
  const api = await startServer(t, { holdTtlMs: 3_000 });
  const browser = await launch(t);
  if (!browser) return;
  const errors: string[] = [];
  const page = await open(browser, errors, PHONE);
  await signUp(page, api, "Kabir Shah");
  const { show, a, b } = await pickShow(api);
  await page.goto(`${api.url}/#/show/${encodeURIComponent(show.id)}`);
  await page.locator("[data-testid=live-status][data-state=live]").waitFor(WAIT);
  await page.getByTestId(`seat-${a}`).click();
  await page.getByTestId(`seat-${b}`).click();
  await page.getByTestId("bar-hold").click();
  await page.getByTestId("status").filter({ hasText: /^Held/ }).waitFor(WAIT);
  await page.getByTestId("status").filter({ hasText: /expired/ }).waitFor(WAIT);
  t.is(await page.getByTestId("message-box").getAttribute("data-tone"), "error");
  t.notRegex(await page.getByTestId("message-box").innerText(), /Held/, "no stale message above the news");
  t.is(await page.getByTestId(`seat-${a}`).getAttribute("aria-pressed"), "true", "the selection is kept");
  t.is(await page.getByTestId(`seat-${b}`).getAttribute("aria-pressed"), "true");
  await fits(t, page, "expired");
  await page.getByTestId("bar-hold").click();
  await page.getByTestId("status").filter({ hasText: `Held ${a} and ${b}` }).waitFor(WAIT);
  t.deepEqual(errors, []);
});
