// POST /api/payments/webhook on the whole platform. The embedded processor's genuine, signed
// events go to a test endpoint first, so each test delivers them as the internet might: forged,
// stale, twice, late or out of order. Settling is slowed (settleAfterMs) so only the webhook
// under test can change a booking.
import test, { type ExecutionContext } from "ava";
import Stripe from "stripe";
import type { BookingView } from "../../domain/show/views.ts";
import type { MarqueeConfig } from "../../moleculer.config.ts";
import { testConfig } from "../helpers/broker.ts";
import { verifyRun } from "../helpers/history.ts";
import { startServer, type Client } from "../helpers/http.ts";
import { answerChallenge, startReceiver, type Received } from "../helpers/processor.ts";

const webhooks = new Stripe("sk_test_unused").webhooks;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The platform, its processor's events held at a test endpoint for the test to deliver. */
async function platform(t: ExecutionContext, overrides: Partial<MarqueeConfig> = {}) {
  const receiver = await startReceiver(t);
  const api = await startServer(t, { settleAfterMs: 60_000, payments: { ...testConfig().payments, webhookUrl: receiver.url }, ...overrides });
  const secret = api.marquee.config.payments.webhookSecret;
  /** Posts a body with a signature, as the processor would. */
  const deliver = (body: string, signature: string) => api.request("POST", "/api/payments/webhook", { raw: body, headers: { "stripe-signature": signature, "content-type": "application/json" } });
  /** Signs a body with the platform's secret, `ageSeconds` ago. */
  const signed = (body: string, ageSeconds = 0) => webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) - ageSeconds });
  /** The processor's first event of this type about this payment, once it has sent it. */
  const eventOf = async (type: string, paymentId: string): Promise<Received> => {
    const about = (d: Received) => { const e = JSON.parse(d.body); return e.type === type && JSON.stringify(e.data.object).includes(paymentId); };
    return (await receiver.waitFor((all) => all.some(about))).find(about)!;
  };
  return { api, receiver, deliver, signed, eventOf };
}

/** A customer's booking of one free seat, paid with `paymentMethod`; the pay answer with it. */
async function bookAndPay(api: Client, paymentMethod: string) {
  const user = await api.customer();
  const show = await api.dayAheadShow();
  const seat = show.seats.find((s: { status: string }) => s.status === "available").id;
  const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token: user.token, body: { seats: [seat] } });
  const booking = await api.request<BookingView>("POST", "/api/bookings", { token: user.token, body: { holdId: hold.body.id } });
  const paid = await api.request<BookingView>("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod } });
  return { user, booking: booking.body, paid };
}

const bookingNow = async (api: Client, token: string, id: string) => (await api.request<BookingView>("GET", `/api/bookings/${id}`, { token })).body;

async function until(api: Client, token: string, id: string, done: (b: BookingView) => boolean): Promise<BookingView> {
  for (let i = 0; ; i++) {
    const b = await bookingNow(api, token, id);
    if (done(b) || i > 150) return b;
    await sleep(100);
  }
}

test("a webhook with a forged or stale signature is refused with 400 and changes nothing", async (t) => {
  const { api, deliver, signed, eventOf } = await platform(t);
  const { user, booking, paid } = await bookAndPay(api, "pm_card_authenticationRequired");
  t.is(paid.body.status, "requires_action");
  await answerChallenge(paid.body.payment!.nextAction!.url, "complete");
  const succeeded = await eventOf("payment_intent.succeeded", paid.body.payment!.id!);
  const forged = webhooks.generateTestHeaderString({ payload: succeeded.body, secret: "whsec_someone_else" });
  for (const [what, signature] of [["forged", forged], ["stale", signed(succeeded.body, 301)], ["missing", ""]] as const) {
    const res = await deliver(succeeded.body, signature);
    t.is(res.status, 400, what);
    t.is(res.body.type, "WEBHOOK_SIGNATURE_INVALID", what);
  }
  t.like(await bookingNow(api, user.token, booking.id), { status: "requires_action", paymentInProgress: true });
  const genuine = await deliver(succeeded.body, succeeded.headers["stripe-signature"] as string);
  t.is(genuine.status, 200);
  t.like(await bookingNow(api, user.token, booking.id), { status: "confirmed", paymentInProgress: false, payment: { status: "succeeded", card: { last4: "3155" } } });
});

test("the same event delivered twice is applied once", async (t) => {
  const { api, deliver, eventOf } = await platform(t);
  const { user, booking, paid } = await bookAndPay(api, "pm_card_authenticationRequired");
  await answerChallenge(paid.body.payment!.nextAction!.url, "complete");
  const succeeded = await eventOf("payment_intent.succeeded", paid.body.payment!.id!);
  const signature = succeeded.headers["stripe-signature"] as string;
  const [first, second] = [await deliver(succeeded.body, signature), await deliver(succeeded.body, signature)];
  t.deepEqual([first.status, first.body], [200, { received: true }]);
  t.deepEqual([second.status, second.body], [200, { received: true, duplicate: true }]);
  t.like(await bookingNow(api, user.token, booking.id), { status: "confirmed", attempts: 1, refunds: [] });
  const ledger = (await api.request("GET", "/api/admin/payments", { token: await api.admin() })).body as { bookingId: string; kind: string }[];
  t.is(ledger.filter((e) => e.bookingId === booking.id && e.kind === "charge").length, 1);
});

test("a payment_failed arriving after the payment succeeded changes nothing", async (t) => {
  const { api, deliver, signed, eventOf } = await platform(t);
  const { user, booking, paid } = await bookAndPay(api, "pm_card_visa");
  t.is(paid.body.status, "confirmed");
  const succeeded = await eventOf("payment_intent.succeeded", paid.body.payment!.id!);
  // The same attempt's intent, as a stale event about an earlier decline would carry it.
  const event = JSON.parse(succeeded.body);
  const failed = JSON.stringify({
    ...event, id: `${event.id}x`, type: "payment_intent.payment_failed",
    data: { object: { ...event.data.object, status: "requires_payment_method", amount_received: 0, latest_charge: null, last_payment_error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." } } },
  });
  t.is((await deliver(failed, signed(failed))).status, 200);
  t.is((await deliver(succeeded.body, succeeded.headers["stripe-signature"] as string)).status, 200);
  t.like(await bookingNow(api, user.token, booking.id), { status: "confirmed", paymentInProgress: false, payment: { status: "succeeded" }, refunds: [] });
  t.deepEqual(await verifyRun((p, token) => api.request("GET", p, { token }), { adminToken: await api.admin(), customerTokens: [user.token], settled: true }), []);
});

test("a refund's pending event arriving after its succeeded one leaves the refund succeeded", async (t) => {
  const { api, deliver, eventOf } = await platform(t, { processorFaults: "refund_settle=300" });
  const { user, booking, paid } = await bookAndPay(api, "pm_card_visa");
  const cancelled = await api.request<BookingView>("POST", `/api/bookings/${booking.id}/cancel`, { token: user.token });
  t.like(cancelled.body, { status: "cancelled", refund: { status: "pending" } });
  const pending = await eventOf("charge.refunded", paid.body.payment!.id!);
  const settled = await eventOf("refund.updated", paid.body.payment!.id!);
  t.is((await deliver(settled.body, settled.headers["stripe-signature"] as string)).status, 200);
  t.like(await bookingNow(api, user.token, booking.id), { refund: { status: "succeeded" } });
  t.is((await deliver(pending.body, pending.headers["stripe-signature"] as string)).status, 200);
  t.like(await bookingNow(api, user.token, booking.id), { status: "cancelled", refunded: booking.amount, refund: { status: "succeeded" } });
});

test("a 3-D Secure payment whose webhooks are all lost is settled by the reconciler once the customer completes the challenge", async (t) => {
  // Looked up 2 s after the attempt starts: a pay still in flight on a loaded machine is not voided under it.
  const api = await startServer(t, { processorFaults: "webhook_drop=1", settleAfterMs: 2_000, reconcileEveryMs: 100 });
  const { user, booking, paid } = await bookAndPay(api, "pm_card_authenticationRequired");
  t.is(paid.body.status, "requires_action");
  await answerChallenge(paid.body.payment!.nextAction!.url, "complete");
  const settled = await until(api, user.token, booking.id, (b) => !b.paymentInProgress);
  t.like(settled, { status: "confirmed", payment: { status: "succeeded", card: { last4: "3155" } } });
  t.deepEqual(await verifyRun((p, token) => api.request("GET", p, { token }), { adminToken: await api.admin(), customerTokens: [user.token], settled: true }), []);
});
