// Reviews over HTTP: only someone who was let in (or whose show has ended) rates the film, once
// per booking; films show the average and count; admins hide abuse, audited.
import test from "ava";
import { startServer } from "../helpers/http.ts";
import { paidTicket, usher } from "../helpers/door.ts";

test("someone let in at the door rates the film once; nobody else can, and films show the average and count", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const { user, ticket } = await paidTicket(api, show);
  const review = (token: string, body: object, bookingId = ticket.bookingId) => api.request("POST", `/api/bookings/${bookingId}/review`, { token, body });

  const early = await review(user.token, { rating: 5 });
  t.is(early.status, 403, "not yet attended");
  t.is(early.body.type, "NOT_ATTENDED");
  const stranger = await api.customer();
  t.is((await review(stranger.token, { rating: 1 })).status, 404, "someone else's booking");
  t.deepEqual((await api.request("GET", "/api/me/reviewable", { token: user.token })).body, []);

  const u = await usher(api);
  await api.request("POST", `/api/shows/${show.id}/admissions`, { token: u.token, body: { code: ticket.code, door: "Door 1" } });
  t.deepEqual((await api.request("GET", "/api/me/reviewable", { token: user.token })).body.map((r: { bookingId: string }) => r.bookingId), [ticket.bookingId]);
  t.is((await review(user.token, { rating: 7 })).status, 422);
  const made = await review(user.token, { rating: 4, text: "  Worth the ticket.  " });
  t.is(made.status, 201, JSON.stringify(made.body));
  t.like(made.body, { rating: 4, text: "Worth the ticket.", author: "Test" });
  const again = await review(user.token, { rating: 1 });
  t.is(again.status, 409);
  t.is(again.body.type, "REVIEW_EXISTS");
  t.deepEqual((await api.request("GET", "/api/me/reviewable", { token: user.token })).body, []);

  const forMovie = (await api.request("GET", `/api/movies/${show.movieId}/reviews`)).body;
  t.like(forMovie, { average: 4, count: 1 });
  t.is(forMovie.reviews[0].text, "Worth the ticket.");
  t.false("userId" in forMovie.reviews[0], "reviews do not reveal who wrote them");
  t.deepEqual((await api.request("GET", "/api/reviews/summary")).body, { [show.movieId]: { average: 4, count: 1 } });
});

test("an unpaid booking is never reviewable", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const user = await api.customer();
  const seat = show.seats.find((s: { status: string }) => s.status === "available").id;
  const hold = (await api.request("POST", `/api/shows/${show.id}/holds`, { token: user.token, body: { seats: [seat] } })).body;
  const booking = (await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id } })).body;
  const res = await api.request("POST", `/api/bookings/${booking.id}/review`, { token: user.token, body: { rating: 5 } });
  t.is(res.status, 403);
  t.is(res.body.type, "NOT_ATTENDED");
});

test("admins hide an abusive review, which then counts for nothing, and the change is audited", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const { user, ticket } = await paidTicket(api, show);
  const u = await usher(api);
  await api.request("POST", `/api/shows/${show.id}/admissions`, { token: u.token, body: { code: ticket.code, door: "Door 1" } });
  await api.request("POST", `/api/bookings/${ticket.bookingId}/review`, { token: user.token, body: { rating: 1, text: "abuse" } });
  const admin = await api.admin();
  t.is((await api.request("POST", `/api/admin/reviews/${ticket.bookingId}/hide`, { token: user.token, body: { reason: "mine" } })).status, 403);
  const hidden = await api.request("POST", `/api/admin/reviews/${ticket.bookingId}/hide`, { token: admin, body: { reason: "Abusive language" } });
  t.is(hidden.status, 200, JSON.stringify(hidden.body));
  t.like(hidden.body.hidden, { by: "admin@marquee.local", reason: "Abusive language" });
  t.like((await api.request("GET", `/api/movies/${show.movieId}/reviews`)).body, { average: null, count: 0, reviews: [] });
  const listed = (await api.request("GET", "/api/admin/reviews", { token: admin })).body;
  t.is(listed[0].id, ticket.bookingId, "admins still see it");
  const audit = (await api.request("GET", "/api/admin/reviews/audit", { token: admin })).body;
  t.like(audit[0], { by: "admin@marquee.local", change: "review.hide", reviewId: ticket.bookingId, reason: "Abusive language" });
  await api.request("POST", `/api/admin/reviews/${ticket.bookingId}/unhide`, { token: admin, body: { reason: "Appeal upheld" } });
  t.like((await api.request("GET", `/api/movies/${show.movieId}/reviews`)).body, { average: 1, count: 1 });
});
