// Money and seats never disagree, over HTTP: a slow processor (PROCESSOR_FAULTS=latency=...) races pays
// against cancels, hold expiry, an operator's expire and each other; the show's actor orders them,
// the loser gets a clear 409, and the history checker finds every charge confirmed or refunded.
import test from "ava";
import { answerOf, verifyRun } from "../helpers/history.ts";
import { startServer, type Client } from "../helpers/http.ts";
import type { Answer } from "../../domain/booking/history.ts";

const VISA = "pm_card_visa";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A customer with a booking awaiting payment on a show more than a day away. */
async function pendingBooking(api: Client, seatCount = 1) {
  const user = await api.customer();
  const show = await api.dayAheadShow();
  const taken = new Set<string>();
  const seats = show.seats.filter((s: { status: string; id: string }) => s.status === "available" && !taken.has(s.id)).slice(0, seatCount).map((s: { id: string }) => s.id);
  const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token: user.token, body: { seats } });
  if (hold.status !== 201) throw new Error(`hold: ${hold.status} ${JSON.stringify(hold.body)}`);
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.body.id } });
  if (booking.status !== 201) throw new Error(`booking: ${booking.status} ${JSON.stringify(booking.body)}`);
  return { user, showId: show.id as string, seats: seats as string[], hold: hold.body, booking: booking.body };
}

async function verify(t: import("ava").ExecutionContext, api: Client, tokens: string[], answers: Answer[]) {
  const adminToken = await api.admin();
  const problems = await verifyRun((path, token) => api.request("GET", path, { token }), { adminToken, customerTokens: tokens, answers, settled: true });
  t.deepEqual(problems, [], problems.join("\n"));
}

test("a cancel sent while the charge is under way is refused with 409 PAYMENT_IN_PROGRESS; the pay confirms and is charged once", async (t) => {
  const api = await startServer(t, { processorFaults: "latency=300" });
  const { user, booking } = await pendingBooking(api);
  const pay = api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  await sleep(50);
  const cancel = await api.request("POST", `/api/bookings/${booking.id}/cancel`, { token: user.token });
  t.is(cancel.status, 409);
  t.is(cancel.body.type, "PAYMENT_IN_PROGRESS");
  t.truthy(cancel.headers.get("retry-after"));
  const paid = await pay;
  t.is(paid.status, 200);
  t.is(paid.body.status, "confirmed");
  const after = await api.request("GET", `/api/bookings/${booking.id}`, { token: user.token });
  t.like(after.body, { status: "confirmed", refunds: [], paymentInProgress: false });
  await verify(t, api, [user.token], [answerOf(booking.id, "pay", paid), answerOf(booking.id, "cancel", cancel)]);
});

test("pay racing cancel, either way round: exactly one wins and the money matches the seats", async (t) => {
  const api = await startServer(t, { processorFaults: "latency=40" });
  const tokens: string[] = [];
  const answers: Answer[] = [];
  let payWins = 0;
  let cancelWins = 0;
  for (let i = 0; i < 12; i++) {
    const { user, booking } = await pendingBooking(api);
    tokens.push(user.token);
    // The cancel goes first, at the same time, or 20 or 60 ms after the pay.
    const [payDelay, cancelDelay] = ([[30, 0], [0, 0], [0, 20], [0, 60]] as const)[i % 4]!;
    const [paid, cancelled] = await Promise.all([
      sleep(payDelay).then(() => api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } })),
      sleep(cancelDelay).then(() => api.request("POST", `/api/bookings/${booking.id}/cancel`, { token: user.token })),
    ]);
    answers.push(answerOf(booking.id, "pay", paid), answerOf(booking.id, "cancel", cancelled));
    const final = (await api.request("GET", `/api/bookings/${booking.id}`, { token: user.token })).body;
    if (paid.status === 200) {
      payWins++;
      t.is(cancelled.status === 200 ? cancelled.body.status : cancelled.body.type, cancelled.status === 200 ? "cancelled" : "PAYMENT_IN_PROGRESS");
      // A cancel that came after the confirmation cancels it and refunds it in full.
      if (cancelled.status === 200) t.like(final, { status: "cancelled", refunded: final.amount });
      else t.is(final.status, "confirmed");
    } else {
      cancelWins++;
      t.is(cancelled.status, 200);
      t.is(final.status, "cancelled");
      t.true([409, 410].includes(paid.status), `pay answered ${paid.status} ${JSON.stringify(paid.body)}`);
    }
  }
  t.log(`pay won ${payWins}, cancel won ${cancelWins} of 12`);
  await verify(t, api, tokens, answers);
});

test("two pays of one booking at once, without a key: one charge; the other waits its turn with 409 or finds it paid", async (t) => {
  const api = await startServer(t, { processorFaults: "latency=200" });
  const { user, booking } = await pendingBooking(api);
  const [a, b] = await Promise.all([0, 1].map(() => api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } })));
  const statuses = [a!.status, b!.status].sort();
  t.deepEqual(statuses, [200, 409]);
  t.is([a, b].find((r) => r!.status === 409)!.body.type, "PAYMENT_IN_PROGRESS");
  const again = await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  t.is(again.status, 200);
  t.is(again.body.attempts, 1, "paying a confirmed booking again charges nothing");
  await verify(t, api, [user.token], []);
});

test("two pays of one booking at once under the same Idempotency-Key charge once", async (t) => {
  const api = await startServer(t, { processorFaults: "latency=200" });
  const { user, booking } = await pendingBooking(api);
  const headers = { "idempotency-key": "pay-twice-1" };
  const replies = await Promise.all([0, 1].map(() => api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA }, headers })));
  t.true(replies.some((r) => r.status === 200));
  for (const r of replies) t.true(r.status === 200 || r.body.type === "IDEMPOTENCY_IN_FLIGHT" || r.body.type === "PAYMENT_IN_PROGRESS", JSON.stringify(r.body));
  const final = (await api.request("GET", `/api/bookings/${booking.id}`, { token: user.token })).body;
  t.like(final, { status: "confirmed", attempts: 1 });
  await verify(t, api, [user.token], []);
});

test("three cancels of a paid booking at once: all answer cancelled, and it is refunded once, in full", async (t) => {
  const api = await startServer(t);
  const { user, booking } = await pendingBooking(api, 2);
  t.is((await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } })).status, 200);
  const replies = await Promise.all([0, 1, 2].map(() => api.request("POST", `/api/bookings/${booking.id}/cancel`, { token: user.token })));
  for (const r of replies) {
    t.is(r.status, 200, JSON.stringify(r.body));
    t.is(r.body.status, "cancelled");
  }
  const final = (await api.request("GET", `/api/bookings/${booking.id}`, { token: user.token })).body;
  t.is(final.refunds.length, 1);
  t.like(final.refund, { amount: booking.amount, status: "succeeded" });
  await verify(t, api, [user.token], replies.map((r) => answerOf(booking.id, "cancel", r)));
});

test("pay racing the hold's expiry: confirmed within the payment grace, or gone with nothing charged", async (t) => {
  const api = await startServer(t, { holdTtlMs: 3_000, processorFaults: "latency=300", paymentGraceMs: 5_000 });
  const early = await pendingBooking(api);
  // Started before the hold lapses (with room for a busy machine to deliver the request in
  // time): the grace period covers the slow charge, which outlasts the hold.
  await sleep(Math.max(0, Date.parse(early.hold.expiresAt) - Date.now() - 700));
  const paid = await api.request("POST", `/api/bookings/${early.booking.id}/pay`, { token: early.user.token, body: { paymentMethod: VISA } });
  t.is(paid.status, 200, JSON.stringify(paid.body));
  t.is(paid.body.status, "confirmed");
  // Started after it lapsed: refused as gone, never charged.
  const late = await pendingBooking(api);
  await sleep(Math.max(0, Date.parse(late.hold.expiresAt) - Date.now() + 100));
  const gone = await api.request("POST", `/api/bookings/${late.booking.id}/pay`, { token: late.user.token, body: { paymentMethod: VISA } });
  t.is(gone.status, 410);
  t.is(gone.body.data.booking.status, "expired");
  await verify(t, api, [early.user.token, late.user.token], [answerOf(early.booking.id, "pay", paid)]);
});

test("an operator's expire during a charge is refused with HOLD_IN_PAYMENT and the pay confirms", async (t) => {
  const api = await startServer(t, { processorFaults: "latency=300" });
  const admin = await api.admin();
  const { user, booking, hold } = await pendingBooking(api);
  const pay = api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  await sleep(80);
  const expire = await api.request("POST", `/api/admin/holds/${hold.id}/expire`, { token: admin });
  t.is(expire.status, 409);
  t.is(expire.body.type, "HOLD_IN_PAYMENT");
  t.is((await pay).body.status, "confirmed");
  await verify(t, api, [user.token], []);
});

test("an admin refunds part of a confirmed booking, then the rest; never more; customers cannot; the ledger shows who", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const { user, booking } = await pendingBooking(api, 2);
  t.is((await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } })).status, 200);
  t.is((await api.request("POST", `/api/admin/bookings/${booking.id}/refund`, { token: user.token, body: { amount: 100 } })).status, 403);
  const part = await api.request("POST", `/api/admin/bookings/${booking.id}/refund`, { token: admin, body: { amount: 100, note: "late start" } });
  t.is(part.status, 200, JSON.stringify(part.body));
  t.like(part.body, { status: "confirmed", refunded: 100 });
  const tooMuch = await api.request("POST", `/api/admin/bookings/${booking.id}/refund`, { token: admin, body: { amount: booking.amount } });
  t.is(tooMuch.status, 422);
  t.is(tooMuch.body.type, "REFUND_EXCEEDS_PAYMENT");
  const rest = await api.request("POST", `/api/admin/bookings/${booking.id}/refund`, { token: admin, body: {} });
  t.is(rest.body.refunded, booking.amount);
  const ledger = await api.request("GET", `/api/admin/payments?showId=${encodeURIComponent(booking.showId)}`, { token: admin });
  const refunds = ledger.body.filter((e: { kind: string; bookingId: string }) => e.kind === "refund" && e.bookingId === booking.id);
  t.deepEqual(refunds.map((r: { amount: number }) => r.amount), [100, booking.amount - 100]);
  t.true(refunds.every((r: { by?: string; reason: string }) => r.reason === "requested_by_admin" && typeof r.by === "string"));
  t.is((await api.request("GET", "/api/admin/payments", { token: user.token })).status, 403);
});

test("a cinema's cancellation fee is kept back from the refund of a cancelled booking", async (t) => {
  const api = await startServer(t, { seedDemo: false });
  const { cinema, show } = await api.adminShow({ rows: [{ row: "A", category: "standard", seats: "ssss" }], prices: { standard: 20000 }, cinema: { refundPolicy: { feeShare: 0.1 } } });
  t.is(cinema.status, 201, JSON.stringify(cinema.body));
  t.deepEqual(cinema.body.refundPolicy, { feeShare: 0.1 });
  const user = await api.customer();
  const hold = await api.request("POST", `/api/shows/${show.body.id}/holds`, { token: user.token, body: { seats: ["A1", "A2"] } });
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.body.id } });
  t.is((await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod: VISA } })).status, 200);
  const ticket = await api.request("GET", `/api/bookings/${booking.body.id}/ticket`, { token: user.token });
  t.is(ticket.body.refundIfCancelled, booking.body.amount - Math.round(booking.body.amount * 0.1), "the ticket promises what a cancel will refund");
  const cancelled = await api.request("POST", `/api/bookings/${booking.body.id}/cancel`, { token: user.token });
  t.is(cancelled.status, 200);
  t.is(cancelled.body.refund.amount, booking.body.amount - Math.round(booking.body.amount * 0.1));
  t.is(cancelled.body.cancellationFee, Math.round(booking.body.amount * 0.1));
  await verify(t, api, [user.token], [answerOf(booking.body.id, "cancel", cancelled)]);
});
