// The reconciler settles every attempt the booking workflow left without an outcome (its node died
// between the charge and recording it): a charge that went through is confirmed if the seats are
// still held for it, otherwise refunded at once; one the processor never took is voided, so it can
// never take money later.
import test from "ava";
import type { PaymentOutcome } from "../../domain/show/types.ts";
import type { BookingView } from "../../domain/show/views.ts";
import { verifyRun } from "../helpers/history.ts";
import { startServer, type Client } from "../helpers/http.ts";

const VISA = "pm_card_visa";
/** The processor's webhooks are lost, so only the reconciler can learn what became of an attempt. */
const FAST = { settleAfterMs: 300, reconcileEveryMs: 100, processorFaults: "webhook_drop=1" };

/** A booking whose attempt is on record, as the workflow leaves it just before calling the processor. */
async function attemptRecorded(api: Client, attemptId: string) {
  const user = await api.customer();
  const show = await api.dayAheadShow();
  const seat = show.seats.find((s: { status: string }) => s.status === "available").id;
  const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token: user.token, body: { seats: [seat] } });
  const booking = (await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.body.id } })).body as BookingView;
  const { broker } = api.marquee;
  await broker.call("show.startPayment", { showId: show.id, bookingId: booking.id, userId: user.id, attemptId });
  const charge = () => broker.call<PaymentOutcome, object>("payment.pay", {
    attemptId, showId: show.id, bookingId: booking.id, userId: user.id, amount: booking.amount, currency: booking.currency, paymentMethod: VISA, returnUrl: `${api.url}/`,
  });
  return { user, booking, hold: hold.body, seat, showId: show.id as string, charge };
}

async function until(api: Client, token: string, bookingId: string, done: (b: BookingView) => boolean): Promise<BookingView> {
  for (let i = 0; ; i++) {
    const b = (await api.request("GET", `/api/bookings/${bookingId}`, { token })).body as BookingView;
    if (done(b) || i > 100) return b;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("a charge taken but never recorded is found by its attempt id and confirms the booking", async (t) => {
  const api = await startServer(t, FAST);
  const { user, booking, charge } = await attemptRecorded(api, "att_00000000000000000000000000000001");
  t.is((await charge()).status, "succeeded");
  const settled = await until(api, user.token, booking.id, (b) => !b.paymentInProgress);
  t.like(settled, { status: "confirmed", refunds: [] });
  t.deepEqual(await verifyRun((p, token) => api.request("GET", p, { token }), { adminToken: await api.admin(), customerTokens: [user.token], settled: true }), []);
});

test("a charge recorded only after the hold ran out is refunded in full at once", async (t) => {
  // Booked well within the hold (1 s), and looked up (2 s after paying) once it has run out.
  const api = await startServer(t, { ...FAST, settleAfterMs: 2_000, holdTtlMs: 1_000, paymentGraceMs: 0 });
  const { user, booking, charge, showId, seat } = await attemptRecorded(api, "att_00000000000000000000000000000002");
  t.is((await charge()).status, "succeeded");
  const settled = await until(api, user.token, booking.id, (b) => !b.paymentInProgress && b.refund?.status === "succeeded");
  t.like(settled, { status: "refunded", refunded: booking.amount, refund: { reason: "seats_not_confirmed", status: "succeeded" } });
  const seats = (await api.request("GET", `/api/shows/${showId}`)).body.seats;
  t.is(seats.find((s: { id: string }) => s.id === seat).status, "available");
  t.deepEqual(await verifyRun((p, token) => api.request("GET", p, { token }), { adminToken: await api.admin(), customerTokens: [user.token], settled: true }), []);
});

test("an attempt the processor never charged is voided: the booking can be paid again and the late charge takes nothing", async (t) => {
  const api = await startServer(t, FAST);
  const { user, booking, charge } = await attemptRecorded(api, "att_00000000000000000000000000000003");
  const settled = await until(api, user.token, booking.id, (b) => !b.paymentInProgress);
  t.like(settled, { status: "payment_failed", payment: { status: "failed" } });
  t.like(await charge(), { status: "failed", code: "abandoned" }, "a charge arriving after the attempt was voided takes no money");
  const paid = await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  t.is(paid.status, 200);
  t.is(paid.body.status, "confirmed");
  t.deepEqual(await verifyRun((p, token) => api.request("GET", p, { token }), { adminToken: await api.admin(), customerTokens: [user.token], settled: true }), []);
});

test("a refund the processor settles later is shown pending until it does", async (t) => {
  const api = await startServer(t, { ...FAST, processorFaults: "webhook_drop=1,refund_settle=700" });
  const { user, booking, charge } = await attemptRecorded(api, "att_00000000000000000000000000000004");
  await charge();
  await until(api, user.token, booking.id, (b) => b.status === "confirmed");
  const cancelled = await api.request("POST", `/api/bookings/${booking.id}/cancel`, { token: user.token });
  t.like(cancelled.body, { status: "cancelled", refund: { status: "pending", amount: booking.amount } });
  const later = await until(api, user.token, booking.id, (b) => b.refund?.status === "succeeded");
  t.is(later.refund?.status, "succeeded");
});
