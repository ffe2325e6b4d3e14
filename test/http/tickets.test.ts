// A paid booking's ticket: its short code, a QR payload signed with the ticket key that a door
// can check offline, and what cancelling would refund; nobody else's ticket, no ticket unpaid.
import test from "ava";
import { bookingCode, verifyTicket } from "../../domain/ticket/ticket.ts";
import { startServer } from "../helpers/http.ts";

const VISA = "pm_card_visa";

test("a paid booking's ticket carries its code, a QR code of a payload signed for its show and seats, and the refund terms", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const show = await api.dayAheadShow();
  const seats = show.seats.filter((s: { status: string }) => s.status === "available").slice(0, 2).map((s: { id: string }) => s.id);
  const hold = (await api.request("POST", `/api/shows/${show.id}/holds`, { token: user.token, body: { seats } })).body;
  const booking = (await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id } })).body;

  const unpaid = await api.request("GET", `/api/bookings/${booking.id}/ticket`, { token: user.token });
  t.is(unpaid.status, 409);
  t.is(unpaid.body.type, "NO_TICKET");

  await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  const ticket = await api.request("GET", `/api/bookings/${booking.id}/ticket`, { token: user.token });
  t.is(ticket.status, 200, JSON.stringify(ticket.body));
  t.is(ticket.body.code, bookingCode(booking.id));
  t.regex(ticket.body.qrSvg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const key = api.marquee.config.ticketSecret;
  t.not(key, api.marquee.config.tokenSecret, "tickets and logins never share a key");
  t.deepEqual(verifyTicket(ticket.body.payload, key, show.id), { ok: true, claim: { bookingId: booking.id, showId: show.id, seats } });
  t.is(ticket.body.refundIfCancelled, hold.quote.total);
  t.is(ticket.body.cancelUntil, new Date(Date.parse(show.startsAt) - api.marquee.config.cancelCutoffMs).toISOString());
  t.deepEqual(ticket.body.charges, hold.quote.charges, "the receipt shows the GST lines that were paid");

  const mine = await api.request("GET", "/api/me/bookings", { token: user.token });
  t.is(mine.body[0].code, ticket.body.code, "my bookings show the same code");

  const stranger = await api.customer();
  t.is((await api.request("GET", `/api/bookings/${booking.id}/ticket`, { token: stranger.token })).status, 404);
  t.is((await api.request("GET", `/api/bookings/${booking.id}/ticket`)).status, 401);
});
