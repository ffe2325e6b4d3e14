import test from "ava";
import { startServer, type Client } from "../helpers/http.ts";

const VISA = "pm_card_visa";
const DECLINED = "pm_card_chargeDeclined";

async function holdSeats(api: Client, token: string, count = 2) {
  const show = await api.dayAheadShow();
  const seats = show.seats.filter((s: { status: string }) => s.status === "available").slice(0, count).map((s: { id: string }) => s.id);
  const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token, body: { seats } });
  if (hold.status !== 201) throw new Error(`hold failed ${hold.status}`);
  return { showId: show.id as string, seats: seats as string[], hold: hold.body };
}

const seatStatus = async (api: Client, showId: string, seat: string) =>
  (await api.request("GET", `/api/shows/${showId}`)).body.seats.find((s: { id: string }) => s.id === seat).status;

test("hold, book and pay: the booking is confirmed, the seats are booked, the amount is the quote", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const { showId, seats, hold } = await holdSeats(api, user.token);
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id, amount: 1, currency: "USD" } });
  t.is(booking.status, 201);
  t.is(booking.body.status, "pending_payment");
  t.is(booking.body.amount, hold.quote.total);
  t.is(booking.body.currency, hold.quote.currency);
  t.deepEqual(booking.body.seats, seats);

  const paid = await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod: VISA, amount: 1 } });
  t.is(paid.status, 200);
  t.is(paid.body.status, "confirmed");
  t.is(paid.body.amount, hold.quote.total);
  t.is(paid.body.payment.card.last4, "4242");
  t.false(JSON.stringify(paid.body).includes("4242424242424242"));
  t.is(await seatStatus(api, showId, seats[0]!), "booked");

  const mine = await api.request("GET", "/api/me/bookings", { token: user.token });
  t.deepEqual(mine.body.map((b: { id: string }) => b.id), [booking.body.id]);
  // Each booking names its show, so "my bookings" needs no call per show.
  const show = (await api.request("GET", `/api/shows/${showId}`)).body;
  t.like(mine.body[0].show, { id: showId, movieTitle: show.movie.title, cinemaName: show.cinema.name, timezone: show.cinema.timezone, startsAt: show.startsAt });
  t.is((await api.request("GET", `/api/bookings/${booking.body.id}`, { token: user.token })).body.status, "confirmed");
});

test("someone else's booking is a 404, to read, pay or cancel", async (t) => {
  const api = await startServer(t);
  const [a, b] = [await api.customer(), await api.customer()];
  const { hold } = await holdSeats(api, a.token);
  const booking = await api.request("POST", "/api/bookings", { token: a.token, body: { holdId: hold.id } });
  t.is((await api.request("POST", "/api/bookings", { token: b.token, body: { holdId: hold.id } })).status, 404);
  t.is((await api.request("GET", `/api/bookings/${booking.body.id}`, { token: b.token })).status, 404);
  t.is((await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: b.token, body: { paymentMethod: VISA } })).status, 404);
  t.is((await api.request("POST", `/api/bookings/${booking.body.id}/cancel`, { token: b.token })).status, 404);
  t.deepEqual((await api.request("GET", "/api/me/bookings", { token: b.token })).body, []);
});

test("a declined card is a 402 with the reason; the seats stay held and another card can pay", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const { showId, seats, hold } = await holdSeats(api, user.token);
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id } });
  const declined = await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod: DECLINED } });
  t.is(declined.status, 402);
  t.is(declined.body.type, "PAYMENT_FAILED");
  t.is(declined.body.data.booking.status, "payment_failed");
  t.is(declined.body.data.reason, "card_declined");
  t.is(await seatStatus(api, showId, seats[0]!), "held");
  const paid = await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  t.is(paid.status, 200);
  t.is(paid.body.status, "confirmed");
});

test("a replayed Idempotency-Key returns the stored result and charges once; a different body is 422", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const { hold } = await holdSeats(api, user.token);
  const headers = { "idempotency-key": "book-1" };
  const first = await api.request("POST", "/api/bookings", { token: user.token, headers, body: { holdId: hold.id } });
  const again = await api.request("POST", "/api/bookings", { token: user.token, headers, body: { holdId: hold.id } });
  t.is(first.status, 201);
  t.is(again.status, 201);
  t.is(again.body.id, first.body.id);

  const payHeaders = { "idempotency-key": "pay-1" };
  const path = `/api/bookings/${first.body.id}/pay`;
  const paid = await api.request("POST", path, { token: user.token, headers: payHeaders, body: { paymentMethod: VISA } });
  const replay = await api.request("POST", path, { token: user.token, headers: payHeaders, body: { paymentMethod: VISA } });
  t.is(paid.status, 200);
  t.deepEqual(replay.body, paid.body);
  const other = await api.request("POST", path, { token: user.token, headers: payHeaders, body: { paymentMethod: "pm_card_mastercard" } });
  t.is(other.status, 422);
  t.is(other.body.type, "IDEMPOTENCY_KEY_REUSED");
  // What the processor itself charged for this booking: one payment.
  const intents = await api.marquee.store.all<{ intent: { status: string; metadata: { bookingId?: string } } }>("stripe:payment_intents");
  t.is(intents.filter((r) => r.intent.metadata.bookingId === first.body.id && r.intent.status === "succeeded").length, 1);
});

test("cancelling a confirmed booking refunds it and frees the seats", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const { showId, seats, hold } = await holdSeats(api, user.token);
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id } });
  await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  // The seat map tells its owner which seats are theirs, and nobody else.
  t.deepEqual((await api.request("GET", `/api/shows/${showId}`, { token: user.token })).body.yourSeats, seats);
  t.deepEqual((await api.request("GET", `/api/shows/${showId}`, { token: (await api.customer()).token })).body.yourSeats, []);
  t.deepEqual((await api.request("GET", `/api/shows/${showId}`)).body.yourSeats, []);
  const cancel = await api.request("POST", `/api/bookings/${booking.body.id}/cancel`, { token: user.token });
  t.is(cancel.status, 200);
  t.is(cancel.body.status, "cancelled");
  t.is(cancel.body.refund.amount, hold.quote.total);
  t.is(cancel.body.refund.status, "succeeded");
  t.is(await seatStatus(api, showId, seats[0]!), "available");
  t.deepEqual((await api.request("GET", `/api/shows/${showId}`, { token: user.token })).body.yourSeats, [], "a cancelled booking's seats are no longer yours");
  const again = await api.request("POST", `/api/bookings/${booking.body.id}/cancel`, { token: user.token });
  t.is(again.status, 200);
  t.is(again.body.refund.id, cancel.body.refund.id);
});

test("a booking whose hold expired before payment cannot be paid and says why", async (t) => {
  const api = await startServer(t, { holdTtlMs: 400 });
  const user = await api.customer();
  const { hold } = await holdSeats(api, user.token);
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id } });
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(hold.expiresAt) - Date.now()) + 200));
  const pay = await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  t.is(pay.status, 410);
  t.is(pay.body.data.booking.status, "expired");
  const payments = await api.marquee.store.all("payments");
  t.is(payments.length, 0);
});

test("a hold can be booked only once", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const { hold } = await holdSeats(api, user.token);
  const [a, b] = await Promise.all([
    api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id } }),
    api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id } }),
  ]);
  t.deepEqual([a.status, b.status].sort(), [201, 409]);
});
