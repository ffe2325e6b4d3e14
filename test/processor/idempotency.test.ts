import test from "ava";
import Stripe from "stripe";
import { startTestProcessor, unhurried } from "../helpers/processor.ts";
import { MemoryStore } from "../../infra/memory-store.ts";

const pay = { amount: 1000, currency: "eur", payment_method: "pm_card_visa", confirm: true };

test("the same key and params replay the first response verbatim, marked Idempotent-Replayed", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const first = await stripe.paymentIntents.create(pay, { idempotencyKey: "booking-b1-pay" });
  const second = await stripe.paymentIntents.create(pay, { idempotencyKey: "booking-b1-pay" });
  t.deepEqual(second, first);
  t.is(second.lastResponse.headers["idempotent-replayed"], "true");
  t.false("idempotent-replayed" in first.lastResponse.headers);
});

test("a decline is replayed as the same decline, without charging again", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const params = { ...pay, payment_method: "pm_card_chargeDeclined" };
  const first = await t.throwsAsync(stripe.paymentIntents.create(params, { idempotencyKey: "k-decline" }));
  const second = await t.throwsAsync(stripe.paymentIntents.create(params, { idempotencyKey: "k-decline" }));
  t.true(second instanceof Stripe.errors.StripeCardError);
  t.is((second as Stripe.errors.StripeCardError).payment_intent!.id, (first as Stripe.errors.StripeCardError).payment_intent!.id);
});

test("the same key with other params is a 400 idempotency_error", async (t) => {
  const { stripe } = await startTestProcessor(t);
  await stripe.paymentIntents.create(pay, { idempotencyKey: "k-1" });
  const error = await t.throwsAsync(stripe.paymentIntents.create({ ...pay, amount: 1001 }, { idempotencyKey: "k-1" }));
  t.true(error instanceof Stripe.errors.StripeIdempotencyError);
  t.is((error as Stripe.errors.StripeError).statusCode, 400);
});

test("two requests racing with one key make one intent: the other is replayed or told to retry", async (t) => {
  const { stripe } = await startTestProcessor(t, { store: unhurried(new MemoryStore()) });
  const results = await Promise.allSettled(Array.from({ length: 4 }, () => stripe.paymentIntents.create(pay, { idempotencyKey: "k-race" })));
  const ids = new Set(results.flatMap((r) => (r.status === "fulfilled" ? [r.value.id] : [])));
  t.is(ids.size, 1);
  // The SDK makes a 409 a StripeAPIError (and retries it when retries are on), as for Stripe's own.
  for (const r of results) if (r.status === "rejected") t.like(r.reason, { statusCode: 409, rawType: "idempotency_error" });
});

test("keys are kept apart from a request without one, and a kept response survives a restart", async (t) => {
  const store = new MemoryStore();
  const first = await startTestProcessor(t, { store });
  const intent = await first.stripe.paymentIntents.create(pay, { idempotencyKey: "k-restart" });
  await first.processor.stop();
  const second = await startTestProcessor(t, { store });
  t.is((await second.stripe.paymentIntents.create(pay, { idempotencyKey: "k-restart" })).id, intent.id);
  t.not((await second.stripe.paymentIntents.create(pay)).id, intent.id);
});
