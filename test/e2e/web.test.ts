// End to end through the web app (public/) in Debian's Chromium: a customer signs up, holds
// seats that a second browser sees turn held over server-sent events without reloading, pays
// (a declined card first) and finds the booking confirmed; an admin creates a movie, a cinema
// from the text layout format and a show, watches its occupancy and revenue move live, and
// manages a festival and the guard rails on the pricing page.
// Screenshots of the main pages go to test-results/screenshots/.
import type { ExecutionContext } from "ava";
import { cardOnProcessor, launch, open, shot, WAIT } from "../helpers/browser.ts";
import { startServer } from "../helpers/http.ts";
import { CHROMIUM, missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries(CHROMIUM));

interface ShowSummary { id: string; city: string; localDate: string; startsAt: string; movieTitle: string }
interface Seat { id: string; row: string; status: string; price: number | null }

/** A server and a browser page for one test. */
async function start(t: ExecutionContext) {
  t.timeout(90_000);
  const api = await startServer(t);
  const browser = await launch(t);
  const errors: string[] = [];
  return { api, browser, page: await open(browser, errors), errors };
}

const inr = (minor: number) => `₹${(minor / 100).toLocaleString("en-IN", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

test("a customer signs up, holds seats another browser sees turn held live, pays and finds the booking confirmed", async (t) => {
  const { api, browser, page, errors } = await start(t);

  // Sign up.
  await page.goto(`${api.url}/#/signup`);
  await page.getByTestId("signup-name").fill("Asha Rao");
  await page.getByTestId("signup-email").fill(`asha-${process.pid}-${Date.now()}@example.com`);
  await page.getByTestId("signup-password").fill("a long password");
  await page.getByTestId("signup-submit").click();
  await page.getByTestId("user-name").filter({ hasText: "Asha Rao" }).waitFor(WAIT);
  t.is(await page.getByTestId("nav-admin").isVisible(), false, "customers get no admin link");

  // The city comes first, and this device remembers it.
  await page.locator("[data-testid=city-choice][data-city=Bengaluru]").click();
  await page.getByTestId("current-city").filter({ hasText: "Bengaluru" }).waitFor(WAIT);
  await page.reload();
  await page.getByTestId("current-city").filter({ hasText: "Bengaluru" }).waitFor(WAIT);

  // Browse: a show a few days out, in one city, picked through the filters.
  await page.getByTestId("show-list").locator("[data-testid=show-link]").first().waitFor(WAIT);
  const dates = await page.getByTestId("date-chip").evaluateAll((chips) => chips.map((c) => c.getAttribute("data-date") ?? ""));
  const shows = (await api.request<ShowSummary[]>("GET", "/api/shows")).body;
  const show = shows.find((s) => s.city !== "Bengaluru" && dates.slice(2).includes(s.localDate) && Date.parse(s.startsAt) > Date.now() + 86_400_000);
  if (!show) return t.fail(`no demo show outside Bengaluru on ${dates.slice(2).join(", ")}`);
  await page.getByTestId("change-city").click();
  await page.locator(`[data-testid=city-choice][data-city="${show.city}"]`).click();
  await page.locator(`[data-testid=date-chip][data-date="${show.localDate}"]`).click();
  const link = page.locator(`[data-testid=show-link][data-show-id="${show.id}"]`);
  await link.waitFor(WAIT);
  t.regex(await page.getByTestId("show-list").innerText(), new RegExp(show.movieTitle));
  // Its chip gets the lowest ticket price; its film, a poster.
  await link.locator(".chip-price").filter({ hasText: /^from ₹[\d,]+\.\d{2}$/ }).waitFor(WAIT);
  t.is(await page.locator(`[data-testid=movie]:has([data-show-id="${show.id}"]) img.poster`).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), true, "the poster loaded");
  await shot(page, "browse");
  await link.click();

  // Two seats in the third row, side by side.
  const details = (await api.request<{ seats: Seat[] }>("GET", `/api/shows/${show.id}`)).body;
  const thirdRow = [...new Set(details.seats.map((s) => s.row))][2];
  const [a, b] = details.seats.filter((s) => s.row === thirdRow && s.status === "available").slice(4, 6).map((s) => s.id) as [string, string];
  await page.locator("[data-testid=live-status][data-state=live]").waitFor(WAIT);

  // A second browser (nobody signed in) watches the same show.
  const viewer = await open(browser, errors);
  await viewer.goto(`${api.url}/#/show/${encodeURIComponent(show.id)}`);
  await viewer.locator("[data-testid=live-status][data-state=live]").waitFor(WAIT);
  t.is(await viewer.getByTestId(`seat-${a}`).getAttribute("data-status"), "available");

  // Select with the mouse and the keyboard: seat a by click, then arrow right to b and Space.
  const seatA = page.getByTestId(`seat-${a}`);
  await seatA.click();
  t.is(await seatA.getAttribute("aria-pressed"), "true");
  t.regex((await seatA.getAttribute("aria-label"))!, new RegExp(`^Row ${thirdRow} seat \\d+, \\w+, ₹[\\d,]+\\.\\d{2}, available$`));
  await page.keyboard.press("ArrowRight");
  t.is(await page.evaluate<string | undefined>("document.activeElement?.dataset.seat"), b);
  await page.keyboard.press("Space");
  t.is(await page.getByTestId(`seat-${b}`).getAttribute("aria-pressed"), "true");
  await page.getByTestId("quote-estimate-total").waitFor(WAIT);
  const estimate = await page.getByTestId("quote-estimate-total").innerText();
  t.regex(estimate, /^₹[\d,]+\.\d{2}$/);
  await shot(page, "seat-map");

  // Hold: the panel shows the countdown and the locked quote; the viewer sees the seats go held.
  const holding = Date.now();
  await page.getByTestId("hold-button").click();
  await page.getByTestId("hold-countdown").waitFor(WAIT);
  t.regex(await page.getByTestId("hold-countdown").innerText(), /^[78]:\d{2}$/);
  const total = await page.getByTestId("hold-quote-total").innerText();
  t.regex(total, /^₹[\d,]+\.\d{2}$/);
  t.is(await page.getByTestId(`seat-${a}`).getAttribute("data-mine"), "true");
  await viewer.locator(`[data-testid=seat-${a}][data-status=held]`).waitFor(WAIT);
  await viewer.locator(`[data-testid=seat-${b}][data-status=held]`).waitFor(WAIT);
  // How fast is for benchmarks to judge; here it is enough that the change arrived unasked.
  t.log(`the viewer saw the hold ${Date.now() - holding} ms after the click`);
  t.regex((await viewer.getByTestId(`seat-${a}`).getAttribute("aria-label"))!, /held by another customer$/);
  t.is(await viewer.getByTestId(`seat-${a}`).getAttribute("aria-disabled"), "true");
  await shot(viewer, "seat-map-viewer");

  // The card is typed on the processor's page, never on Marquee's: a declined card comes back
  // with the hold kept and the reason said.
  await shot(page, "payment");
  await cardOnProcessor(page, "4000 0000 0000 0002", "processor-card-page");
  await page.getByTestId("payment-error").filter({ hasText: "declined" }).waitFor(WAIT);
  t.regex(await page.getByTestId("payment-error").innerText(), /card_declined/);
  t.is(await page.getByTestId("hold-panel").isVisible(), true);
  await shot(page, "payment-declined");

  // A card whose bank asks for 3-D Secure, and the customer fails the challenge.
  await cardOnProcessor(page, "4000 0025 0000 3155");
  await page.getByRole("button", { name: "Fail authentication" }).waitFor(WAIT);
  await shot(page, "3ds-challenge");
  await page.getByRole("button", { name: "Fail authentication" }).click();
  await page.getByTestId("payment-error").filter({ hasText: "payment_intent_authentication_failure" }).waitFor(WAIT);
  t.is(await page.getByTestId("hold-panel").isVisible(), true);
  await shot(page, "3ds-failed");

  // The same card again, and this time the challenge is passed: the booking is confirmed.
  await cardOnProcessor(page, "4000 0025 0000 3155");
  await page.getByRole("button", { name: "Complete authentication" }).click();
  await page.getByTestId("booking-confirmation").waitFor(WAIT);
  const confirmation = await page.getByTestId("booking-confirmation").innerText();
  t.regex(confirmation, /Booking confirmed/);
  t.true(confirmation.includes(total), `paid ${total}`);
  t.regex(confirmation, /Visa •••• 3155/);
  t.false(page.url().includes("payment_method") || page.url().includes("payment_intent"), "the processor's answer is taken off the address");
  await viewer.locator(`[data-testid=seat-${a}][data-status=booked]`).waitFor(WAIT);
  await shot(page, "booking-confirmed");

  // My bookings.
  await page.getByTestId("go-bookings").click();
  const booking = page.locator("[data-testid=booking][data-status=confirmed]");
  await booking.waitFor(WAIT);
  t.is(await booking.getByTestId("booking-status").innerText(), "Confirmed");
  t.is(await booking.getByTestId("booking-seats").innerText(), `${a}, ${b}`);
  t.true((await booking.innerText()).includes(total));
  t.true((await booking.innerText()).includes(show.movieTitle), "the booking names its film");
  await shot(page, "bookings");

  // Back on the seat map, the customer's own booked seats stand apart from everyone else's.
  await page.goto(`${api.url}/#/show/${encodeURIComponent(show.id)}`);
  await page.locator(`[data-testid=seat-${a}][data-yours=true]`).waitFor(WAIT);
  t.regex((await page.getByTestId(`seat-${b}`).getAttribute("aria-label"))!, /booked by you$/);
  await viewer.locator(`[data-testid=seat-${a}][data-status=booked]`).waitFor(WAIT);
  t.is(await viewer.getByTestId(`seat-${a}`).getAttribute("data-yours"), "false", "to anyone else they are just booked");
  await shot(page, "seat-map-yours");

  // The server agrees.
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("marquee.session") ?? "{}").token as string);
  const mine = (await api.request<{ status: string; seats: string[]; amount: number }[]>("GET", "/api/me/bookings", { token })).body;
  t.is(mine.length, 1);
  t.is(mine[0]!.status, "confirmed");
  t.deepEqual(mine[0]!.seats, [a, b]);
  t.is(inr(mine[0]!.amount), total);

  // Cancelling asks first, then refunds in full.
  await page.goto(`${api.url}/#/bookings`);
  await page.getByTestId("cancel-booking").click();
  await page.getByTestId("keep-booking").click();
  await page.getByTestId("cancel-booking").click();
  await page.getByTestId("confirm-cancel").filter({ hasText: `refund ${total}` }).click();
  await page.locator("[data-testid=booking][data-status=cancelled]").waitFor(WAIT);
  await page.getByTestId("status").filter({ hasText: `${total} will be refunded` }).waitFor(WAIT);
  t.deepEqual(errors, []);
});

test("an admin creates a movie, a cinema from the text layout and a show, watches occupancy and revenue live, and manages festivals and guard rails", async (t) => {
  const { api, page, errors } = await start(t);

  await page.goto(`${api.url}/#/login`);
  await page.getByTestId("login-email").fill("admin@marquee.local");
  await page.getByTestId("login-password").fill("marquee-admin");
  await page.getByTestId("login-submit").click();
  await page.locator("[data-testid=admin-show-row]").first().waitFor(WAIT);
  await page.getByTestId("admin-total-revenue").filter({ hasText: "₹" }).waitFor(WAIT);
  await shot(page, "admin");

  // A movie.
  const title = `Test Pattern ${Date.now()}`;
  await page.getByTestId("admin-nav-movie").click();
  await page.getByTestId("movie-title").fill(title);
  await page.getByTestId("movie-duration").fill("95");
  await page.getByTestId("movie-rating").selectOption("UA 13+");
  await page.getByTestId("movie-languages").fill("Hindi, English");
  await page.getByTestId("movie-genres").fill("Drama");
  // A 1x1 PNG as the poster: uploaded to our own origin and served back as image/png.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  await page.getByTestId("movie-poster").setInputFiles({ name: "poster.png", mimeType: "image/png", buffer: png });
  await page.getByTestId("movie-submit").click();
  await page.getByTestId("movie-created").filter({ hasText: title }).waitFor(WAIT);
  const movieId = (await api.request<{ id: string; title: string }[]>("GET", "/api/movies")).body.find((m) => m.title === title)!.id;
  const poster = await fetch(`${api.url}/api/movies/${movieId}/poster`);
  t.is(poster.headers.get("content-type"), "image/png");
  t.true(Buffer.from(await poster.arrayBuffer()).equals(png));

  // A cinema with one screen, typed in the text format; a bad line is caught before sending.
  await page.getByTestId("admin-nav-cinema").click();
  await page.getByTestId("cinema-name").fill("Test Talkies");
  await page.getByTestId("cinema-city").fill("Pune");
  await page.getByTestId("screen-name").fill("Audi 1");
  await page.getByTestId("screen-layout").fill("A-C standard ssss_ssss\nD premium ss_xx_sq");
  await page.getByTestId("layout-problems").filter({ hasText: "found q" }).waitFor(WAIT);
  await page.getByTestId("screen-layout").fill("A-C standard ssss_ssss\nD premium ss_xx_ss");
  await page.locator("[data-testid=layout-preview] [data-seat=D3]").waitFor(WAIT);
  await shot(page, "admin-cinema");
  await page.getByTestId("cinema-submit").click();
  await page.getByTestId("cinema-created").filter({ hasText: "Test Talkies" }).waitFor(WAIT);
  const cinema = (await api.request<{ id: string; name: string; screens: { id: string; layout: unknown }[] }[]>("GET", "/api/cinemas")).body.find((c) => c.name === "Test Talkies")!;
  t.deepEqual(cinema.screens[0]!.layout, {
    rows: [
      { row: "A", category: "standard", seats: "ssss_ssss" },
      { row: "B", category: "standard", seats: "ssss_ssss" },
      { row: "C", category: "standard", seats: "ssss_ssss" },
      { row: "D", category: "premium", seats: "ss_xx_ss" },
    ],
  });

  // A show tomorrow at 18:30 Pune time, priced ₹250 / ₹400.
  await page.getByTestId("admin-nav-show").click();
  await page.getByTestId("show-movie").selectOption({ label: `${title} (95 min)` });
  await page.getByTestId("show-cinema").selectOption({ label: "Test Talkies, Pune" });
  const starts = await page.getByTestId("show-starts").inputValue();
  t.regex(starts, /^\d{4}-\d{2}-\d{2}T18:30$/);
  await page.getByTestId("price-standard").fill("250");
  await page.getByTestId("price-premium").fill("400.50");
  await page.getByTestId("show-submit").click();
  const created = page.locator("[data-testid=show-created] [data-show-id]");
  await created.waitFor(WAIT);
  const showId = (await created.getAttribute("data-show-id"))!;
  const show = (await api.request<{ startsAt: string; prices: Record<string, number> }>("GET", `/api/shows/${showId}`)).body;
  t.is(show.startsAt, `${starts.slice(0, 10)}T13:00:00.000Z`, "18:30 in Asia/Kolkata");
  t.deepEqual(show.prices, { standard: 25000, premium: 40050 });
  await shot(page, "admin-new-show");

  // Watch it live while a customer holds and pays through the API.
  await page.getByRole("link", { name: "Watch live" }).click();
  await page.locator("[data-testid=live-status][data-state=live]").waitFor(WAIT);
  await page.locator("[data-testid=stat-forSale]").filter({ hasText: /^28$/ }).waitFor(WAIT);
  t.is(await page.getByTestId("stat-held").innerText(), "0");
  const customer = await api.customer();
  const hold = await api.request("POST", `/api/shows/${showId}/holds`, { token: customer.token, body: { seats: ["D1", "D2"] } });
  t.is(hold.status, 201);
  await page.locator("[data-testid=stat-held]").filter({ hasText: /^2$/ }).waitFor(WAIT);
  await page.locator("[data-testid=admin-seat-map] [data-seat=D1][data-status=held]").waitFor(WAIT);
  const booking = await api.request("POST", "/api/bookings", { token: customer.token, body: { holdId: hold.body.id } });
  const paid = await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: customer.token, body: { paymentMethod: "pm_card_mastercard" } });
  t.is(paid.status, 200);
  await page.locator("[data-testid=stat-booked]").filter({ hasText: /^2$/ }).waitFor(WAIT);
  await page.locator("[data-testid=stat-revenue]").filter({ hasText: inr(paid.body.amount) }).waitFor(WAIT);
  t.is(await page.getByTestId("stat-held").innerText(), "0");
  t.is(await page.getByTestId("stat-bookings").innerText(), "1");
  await shot(page, "admin-live");

  // Pricing: a festival is added and shows in the rules and the audit log; the guard rails
  // change; the festival is removed again.
  const adminToken = await api.admin();
  const rules = async () => (await api.request<{ rules: { festivals: { name: string }[]; guardRails: { roundTo: number } } }>("GET", "/api/admin/pricing/rules", { token: adminToken })).body.rules;
  const festivalRow = page.locator("[data-testid=festival-row]").filter({ hasText: "Test Fest" });
  await page.getByTestId("admin-nav-pricing").click();
  await page.getByTestId("festival-name").fill("Test Fest");
  await page.getByTestId("festival-cities").fill("Pune");
  await page.getByTestId("festival-change").fill("25");
  await page.getByTestId("festival-submit").click();
  await festivalRow.filter({ hasText: "+25%" }).waitFor(WAIT);
  await page.locator("[data-testid=audit-row]").filter({ hasText: "festivals.create" }).first().waitFor(WAIT);
  t.like((await rules()).festivals.find((f) => f.name === "Test Fest"), { cities: ["Pune"], multiplier: 1.25 });
  await page.getByTestId("rails-roundTo").fill("1");
  await page.getByTestId("rails-submit").click();
  await page.locator("[data-testid=audit-row]").filter({ hasText: "guardRails.set" }).first().waitFor(WAIT);
  t.is((await rules()).guardRails.roundTo, 100, "₹1 is 100 paise");
  t.is(await page.getByTestId("fees-default").innerText(), "GST and fees: ₹20.00 convenience fee a ticket + 18% GST on it; tickets: 5% GST up to ₹100.00, 18% above");
  await shot(page, "admin-pricing");
  // Removing asks first; keeping changes nothing.
  await page.getByRole("button", { name: "Remove Test Fest" }).click();
  await page.getByRole("button", { name: "Keep" }).click();
  t.true((await rules()).festivals.some((f) => f.name === "Test Fest"), "kept");
  await page.getByRole("button", { name: "Remove Test Fest" }).click();
  await page.getByRole("button", { name: "Yes, remove Test Fest" }).click();
  await festivalRow.waitFor({ state: "detached", ...WAIT });
  t.false((await rules()).festivals.some((f) => f.name === "Test Fest"));
  t.deepEqual(errors, []);
});
