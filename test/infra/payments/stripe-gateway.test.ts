// The Stripe adapter against the local processor over real HTTP: the official SDK makes every
// call, nothing is mocked, so what passes here is what the adapter asks of Stripe itself.
import test, { type ExecutionContext } from "ava";
import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { PaymentOutcomeUnknown, WebhookRejected, type AttemptRef, type RefundRef } from "../../../domain/payment/gateway.ts";
import type { PaymentOutcome } from "../../../domain/show/types.ts";
import { stripeGateway } from "../../../infra/payments/stripe-gateway.ts";
import { COLLECTIONS } from "../../../processor/ledger.ts";
import { answerChallenge, PUBLISHABLE_KEY, SECRET_KEY, startReceiver, startTestProcessor, typesOf, WEBHOOK_SECRET, type Received } from "../../helpers/processor.ts";

const RETURN_URL = "https://marquee.test/bookings/b1";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A processor (with these faults and webhook endpoint) and the adapter pointed at it. */
async function gatewayAt(t: ExecutionContext, options: { faults?: string; webhookUrl?: string; timeoutMs?: number } = {}) {
  const started = await startTestProcessor(t, { ...(options.faults ? { faults: options.faults } : {}), ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}) });
  const gateway = stripeGateway({
    provider: "local", secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY, webhookSecret: WEBHOOK_SECRET,
    apiBase: started.processor.url, timeoutMs: options.timeoutMs ?? 20_000, maxNetworkRetries: 0,
  });
  return { ...started, gateway };
}

const attempt = (amount = 1500): AttemptRef => ({
  attemptId: `att_${randomUUID().replaceAll("-", "")}`, showId: "show_1", bookingId: `bk_${randomUUID().slice(0, 8)}`, userId: "usr_1", amount, currency: "EUR",
});

const refundOf = (a: AttemptRef, paymentId: string, amount = a.amount): RefundRef => ({
  refundId: `re_${randomUUID().replaceAll("-", "")}`, showId: a.showId, bookingId: a.bookingId, paymentId, amount, currency: a.currency, reason: "cancelled",
});

/** Where the customer is sent to authenticate. */
function challengeOf(outcome: PaymentOutcome): string {
  if (outcome.status !== "requires_action") throw new Error(`no challenge: the payment is ${outcome.status}`);
  return outcome.url;
}

/** The processor's payments for an attempt, read from its own store. */
async function intentsOf(store: { all<T>(c: string): Promise<T[]> }, a: AttemptRef) {
  const all = await store.all<{ intent: Stripe.PaymentIntent }>(COLLECTIONS.intents);
  return all.map((r) => r.intent).filter((i) => i.metadata?.attemptId === a.attemptId);
}

test("a payment with a good card succeeds and reports only the card's brand and last four digits", async (t) => {
  const { gateway } = await gatewayAt(t);
  const paid = await gateway.pay(attempt(), "pm_card_mastercard", RETURN_URL);
  t.like(paid, { status: "succeeded", card: { brand: "mastercard", last4: "4444" } });
  t.regex(paid.paymentId!, /^pi_/);
});

test("a declined card fails with the processor's reason", async (t) => {
  const { gateway } = await gatewayAt(t);
  t.like(await gateway.pay(attempt(), "pm_card_chargeDeclined", RETURN_URL), { status: "failed", code: "card_declined", card: { last4: "0002" } });
  t.like(await gateway.pay(attempt(), "pm_card_chargeDeclinedInsufficientFunds", RETURN_URL), { status: "failed", code: "insufficient_funds" });
});

test("a card that needs 3-D Secure asks for the challenge, and settles as paid once the customer completes it", async (t) => {
  const { gateway } = await gatewayAt(t);
  const a = attempt();
  const challenged = await gateway.pay(a, "pm_card_authenticationRequired", RETURN_URL);
  t.like(challenged, { status: "requires_action", card: { last4: "3155" } });
  t.regex((challenged as { url: string }).url, /^http:\/\/127\.0\.0\.1:\d+\/3ds\/pi_/);
  await answerChallenge(challengeOf(challenged), "complete");
  t.like(await gateway.settle(a, false), { status: "succeeded", paymentId: challenged.paymentId, card: { brand: "visa", last4: "3155" } });
});

test("a failed 3-D Secure challenge settles as a failed payment and takes nothing", async (t) => {
  const { gateway, stripe } = await gatewayAt(t);
  const a = attempt();
  const challenged = await gateway.pay(a, "pm_card_authenticationRequired", RETURN_URL);
  await answerChallenge(challengeOf(challenged), "fail");
  t.like(await gateway.settle(a, true), { status: "failed", code: "payment_intent_authentication_failure" });
  t.is((await stripe.paymentIntents.retrieve(challenged.paymentId!)).amount_received, 0);
});

test("a card whose challenge always fails fails even when the customer completes it", async (t) => {
  const { gateway } = await gatewayAt(t);
  const a = attempt();
  await answerChallenge(challengeOf(await gateway.pay(a, "pm_card_authenticationRequiredChallengeFails", RETURN_URL)), "complete");
  t.like(await gateway.settle(a, false), { status: "failed", code: "payment_intent_authentication_failure" });
});

test("settling an attempt never confirmed voids it, so paying it later takes nothing", async (t) => {
  const { gateway, store } = await gatewayAt(t);
  const a = attempt();
  t.like(await gateway.settle(a, false), { status: "failed", code: "abandoned" });
  t.like(await gateway.pay(a, "pm_card_visa", RETURN_URL), { status: "failed", code: "abandoned" });
  const intents = await intentsOf(store, a);
  t.is(intents.length, 1);
  t.like(intents[0], { status: "canceled", amount_received: 0 });
});

test("a pending challenge is kept while the customer has time, and voided once their time is up", async (t) => {
  const { gateway, stripe } = await gatewayAt(t);
  const a = attempt();
  const challenged = await gateway.pay(a, "pm_card_authenticationRequired", RETURN_URL);
  t.like(await gateway.settle(a, false), { status: "requires_action", paymentId: challenged.paymentId, url: (challenged as { url: string }).url });
  t.like(await gateway.settle(a, true), { status: "failed", code: "abandoned", paymentId: challenged.paymentId });
  t.like(await stripe.paymentIntents.retrieve(challenged.paymentId!), { status: "canceled", amount_received: 0 });
});

test("paying the same attempt again charges once and answers with the first payment", async (t) => {
  const { gateway, store } = await gatewayAt(t);
  const a = attempt();
  const [first, second] = await Promise.all([gateway.pay(a, "pm_card_visa", RETURN_URL), gateway.pay(a, "pm_card_visa", RETURN_URL)].map((p) => p.catch((e: unknown) => e)));
  const third = await gateway.pay(a, "pm_card_visa", RETURN_URL);
  t.like(third, { status: "succeeded" });
  // Two at once may find the first still charging (its outcome unknown); neither is a second charge.
  for (const answer of [first, second]) {
    if (answer instanceof PaymentOutcomeUnknown) continue;
    t.like(answer, { status: "succeeded", paymentId: third.paymentId });
  }
  const intents = await intentsOf(store, a);
  t.is(intents.length, 1);
  t.like(intents[0], { status: "succeeded", amount_received: a.amount });
});

test("a refund is pending until the processor settles it, then succeeded", async (t) => {
  const { gateway } = await gatewayAt(t, { faults: "refund_settle=300" });
  const a = attempt();
  const paid = await gateway.pay(a, "pm_card_visa", RETURN_URL);
  const refund = refundOf(a, paid.paymentId!);
  const issued = await gateway.refund(refund);
  t.is(issued.status, "pending");
  t.regex(issued.processorId!, /^re_/);
  t.deepEqual(await gateway.refund(refund), issued, "issuing the same refund again is the same refund");
  let now = await gateway.refundStatus({ ...refund, processorId: issued.processorId! });
  for (let i = 0; now.status === "pending" && i < 100; i++) {
    await sleep(100);
    now = await gateway.refundStatus({ ...refund, processorId: issued.processorId! });
  }
  t.deepEqual(now, { status: "succeeded", processorId: issued.processorId });
});

test("a refund of more than was charged fails", async (t) => {
  const { gateway } = await gatewayAt(t);
  const a = attempt(1000);
  const paid = await gateway.pay(a, "pm_card_visa", RETURN_URL);
  t.is((await gateway.refund(refundOf(a, paid.paymentId!, 1001))).status, "failed");
  t.is((await gateway.refundStatus(refundOf(a, paid.paymentId!, 1001))).status, "failed", "asking about a refund never issued issues it, and it is refused the same way");
});

/** The adapter and a webhook endpoint its processor signs events to. */
async function withWebhooks(t: ExecutionContext, faults?: string) {
  const receiver = await startReceiver(t);
  return { receiver, ...(await gatewayAt(t, { webhookUrl: receiver.url, ...(faults ? { faults } : {}) })) };
}

const deliveryOf = (accepted: Received[], type: string): Received => accepted.find((d) => JSON.parse(d.body).type === type)!;

test("a signed payment webhook becomes an update for the show, booking and attempt that paid", async (t) => {
  const { gateway, receiver } = await withWebhooks(t);
  const a = attempt();
  const paid = await gateway.pay(a, "pm_card_visa", RETURN_URL);
  const delivery = deliveryOf(await receiver.waitFor((all) => typesOf(all).includes("payment_intent.succeeded")), "payment_intent.succeeded");
  const event = await gateway.event(delivery.body, delivery.headers["stripe-signature"] as string);
  t.is(event.type, "payment_intent.succeeded");
  t.regex(event.id, /^evt_/);
  t.deepEqual(event.updates, [{ kind: "payment", showId: a.showId, bookingId: a.bookingId, attemptId: a.attemptId, outcome: { status: "succeeded", paymentId: paid.paymentId!, card: { brand: "visa", last4: "4242" } } }]);
});

test("a signed refund webhook becomes an update for the refund it names", async (t) => {
  const { gateway, receiver } = await withWebhooks(t);
  const a = attempt();
  const paid = await gateway.pay(a, "pm_card_visa", RETURN_URL);
  const refund = refundOf(a, paid.paymentId!);
  const issued = await gateway.refund(refund);
  const delivery = deliveryOf(await receiver.waitFor((all) => typesOf(all).includes("charge.refunded")), "charge.refunded");
  const event = await gateway.event(delivery.body, delivery.headers["stripe-signature"] as string);
  t.deepEqual(event.updates, [{ kind: "refund", showId: a.showId, bookingId: a.bookingId, refundId: refund.refundId, outcome: { status: "succeeded", processorId: issued.processorId! } }]);
});

test("a webhook that was tampered with, signed with another secret or signed too long ago is rejected", async (t) => {
  const { gateway, receiver } = await withWebhooks(t);
  const a = attempt();
  await gateway.pay(a, "pm_card_visa", RETURN_URL);
  const [delivery] = await receiver.waitFor((all) => all.length >= 1);
  const { body } = delivery!;
  const signature = delivery!.headers["stripe-signature"] as string;
  const webhooks = new Stripe("sk_test_unused").webhooks;
  const signed = (secret: string, ageSeconds: number) => webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) - ageSeconds });
  const tampered = body.replaceAll(a.bookingId, "bk_someone_else");
  t.not(tampered, body);
  await t.throwsAsync(gateway.event(tampered, signature), { instanceOf: WebhookRejected }, "tampered");
  await t.throwsAsync(gateway.event(body, signed("whsec_someone_else", 0)), { instanceOf: WebhookRejected }, "another secret");
  await t.throwsAsync(gateway.event(body, signed(WEBHOOK_SECRET, 301)), { instanceOf: WebhookRejected }, "stale");
  await t.throwsAsync(gateway.event(body, ""), { instanceOf: WebhookRejected }, "unsigned");
  t.is((await gateway.event(body, signed(WEBHOOK_SECRET, 0))).updates.length, 1, "the same body signed now is accepted");
});

test("a processor that hangs up after charging leaves the outcome unknown, and settling finds the charge", async (t) => {
  const { gateway, stripe } = await gatewayAt(t, { faults: "timeout_after_charge=1", timeoutMs: 3_000 });
  const a = attempt();
  await t.throwsAsync(gateway.pay(a, "pm_card_visa", RETURN_URL), { instanceOf: PaymentOutcomeUnknown });
  const settled = await gateway.settle(a, true);
  t.like(settled, { status: "succeeded", card: { brand: "visa", last4: "4242" } });
  t.like(await stripe.paymentIntents.retrieve(settled!.paymentId!), { status: "succeeded", amount_received: a.amount });
});
