// Payment intents over real HTTP, driven by the official stripe SDK as the gateway adapter drives them.
import test from "ava";
import Stripe from "stripe";
import { MemoryStore } from "../../infra/memory-store.ts";
import { PUBLISHABLE_KEY, sdkFor, startTestProcessor, unhurried } from "../helpers/processor.ts";

test("an intent is created, confirmed with a test card and read back succeeded with its charge", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const created = await stripe.paymentIntents.create({ amount: 1500, currency: "eur", metadata: { booking: "b1" }, description: "2 seats" });
  t.like(created, { object: "payment_intent", status: "requires_payment_method", amount: 1500, currency: "eur", metadata: { booking: "b1" } });
  const confirmed = await stripe.paymentIntents.confirm(created.id, { payment_method: "pm_card_visa" });
  t.like(confirmed, { status: "succeeded", amount_received: 1500, payment_method: "pm_card_visa" });
  t.regex(confirmed.latest_charge as string, /^ch_/);
  t.deepEqual(await stripe.paymentIntents.retrieve(created.id), confirmed);
});

test("create with confirm=true pays in one call", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const intent = await stripe.paymentIntents.create({ amount: 900, currency: "usd", payment_method: "pm_card_mastercard", confirm: true });
  t.is(intent.status, "succeeded");
});

test("a decline is a StripeCardError with its decline code and the intent back at requires_payment_method", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const error = await t.throwsAsync(stripe.paymentIntents.create({ amount: 900, currency: "usd", payment_method: "pm_card_chargeDeclinedInsufficientFunds", confirm: true }));
  t.true(error instanceof Stripe.errors.StripeCardError);
  const card = error as InstanceType<typeof Stripe.errors.StripeCardError>;
  t.is(card.statusCode, 402);
  t.is(card.code, "card_declined");
  t.is(card.decline_code, "insufficient_funds");
  t.is(card.payment_intent!.status, "requires_payment_method");
  const again = await stripe.paymentIntents.retrieve(card.payment_intent!.id);
  t.like(again.last_payment_error, { code: "card_declined", decline_code: "insufficient_funds" });
  const retried = await stripe.paymentIntents.confirm(again.id, { payment_method: "pm_card_visa" });
  t.is(retried.status, "succeeded");
});

test("a card made with the publishable key pays like a test id; its number decides the outcome", async (t) => {
  const { stripe, processor } = await startTestProcessor(t);
  const browser = sdkFor(processor.port, PUBLISHABLE_KEY);
  const method = await browser.paymentMethods.create({ type: "card", card: { number: "4000000000000069", exp_month: 12, exp_year: 2031, cvc: "123" } } as Stripe.PaymentMethodCreateParams);
  t.like(method.card, { brand: "visa", last4: "0069", exp_month: 12, exp_year: 2031 });
  t.like(await stripe.paymentMethods.retrieve(method.id), { id: method.id });
  const error = await t.throwsAsync(stripe.paymentIntents.create({ amount: 900, currency: "usd", payment_method: method.id, confirm: true }));
  t.like(error, { code: "expired_card", decline_code: "expired_card" });
});

test("an invalid card number is refused when the method is made, as Stripe's incorrect_number", async (t) => {
  const { processor } = await startTestProcessor(t);
  const browser = sdkFor(processor.port, PUBLISHABLE_KEY);
  const error = await t.throwsAsync(browser.paymentMethods.create({ type: "card", card: { number: "4242424242424241", exp_month: 12, exp_year: 2031, cvc: "123" } } as Stripe.PaymentMethodCreateParams));
  t.true(error instanceof Stripe.errors.StripeCardError);
  t.like(error, { code: "incorrect_number" });
});

test("a publishable key may only create payment methods; an unknown key is refused", async (t) => {
  const { processor } = await startTestProcessor(t);
  const browser = sdkFor(processor.port, PUBLISHABLE_KEY);
  const error = await t.throwsAsync(browser.paymentIntents.create({ amount: 900, currency: "usd" }));
  t.true(error instanceof Stripe.errors.StripeAuthenticationError);
  const stranger = await t.throwsAsync(sdkFor(processor.port, "sk_test_someone_else_1234").paymentIntents.create({ amount: 900, currency: "usd" }));
  t.true(stranger instanceof Stripe.errors.StripeAuthenticationError);
  t.regex(stranger.message, /Invalid API Key provided: sk_test_\**1234/);
  const res = await fetch(`${processor.url}/v1/payment_intents/pi_x`);
  t.is(res.status, 401);
  t.is(((await res.json()) as any).error.type, "invalid_request_error");
});

test("an unknown intent is a 404 resource_missing; bad params are 400 with the param", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const missing = await t.throwsAsync(stripe.paymentIntents.retrieve("pi_nope"));
  t.true(missing instanceof Stripe.errors.StripeInvalidRequestError);
  t.like(missing, { statusCode: 404, code: "resource_missing" });
  const bad = await t.throwsAsync(stripe.paymentIntents.create({ amount: -5, currency: "usd" }));
  t.like(bad, { statusCode: 400, param: "amount" });
  const unknownMethod = await t.throwsAsync(stripe.paymentIntents.create({ amount: 500, currency: "usd", payment_method: "pm_missing" }));
  t.like(unknownMethod, { statusCode: 400, code: "resource_missing", param: "payment_method" });
});

test("an unpaid intent is canceled; canceling a paid one and confirming a canceled one are 400", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const open = await stripe.paymentIntents.create({ amount: 500, currency: "usd" });
  t.like(await stripe.paymentIntents.cancel(open.id, { cancellation_reason: "abandoned" }), { status: "canceled", cancellation_reason: "abandoned" });
  const confirmCanceled = await t.throwsAsync(stripe.paymentIntents.confirm(open.id, { payment_method: "pm_card_visa" }));
  t.like(confirmCanceled, { statusCode: 400, code: "payment_intent_unexpected_state" });
  const paid = await stripe.paymentIntents.create({ amount: 500, currency: "usd", payment_method: "pm_card_visa", confirm: true });
  const cancelPaid = await t.throwsAsync(stripe.paymentIntents.cancel(paid.id));
  t.like(cancelPaid, { statusCode: 400, code: "payment_intent_unexpected_state" });
});

test("a confirm racing a cancel has exactly one winner, on one processor or two sharing the store", async (t) => {
  const store = unhurried(new MemoryStore());
  const one = await startTestProcessor(t, { store });
  const two = await startTestProcessor(t, { store });
  for (let i = 0; i < 20; i++) {
    const intent = await one.stripe.paymentIntents.create({ amount: 500, currency: "usd", payment_method: "pm_card_visa" });
    const [confirmed, canceled] = await Promise.allSettled([one.stripe.paymentIntents.confirm(intent.id), (i % 2 ? two : one).stripe.paymentIntents.cancel(intent.id)]);
    const final = await two.stripe.paymentIntents.retrieve(intent.id);
    t.is([confirmed, canceled].filter((r) => r.status === "fulfilled").length, 1, `race ${i}`);
    t.is(final.status, confirmed.status === "fulfilled" ? "succeeded" : "canceled");
  }
});

test("expand[] inlines the latest charge and the payment method, as Stripe does", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const paid = await stripe.paymentIntents.create({ amount: 500, currency: "usd", payment_method: "pm_card_visa", confirm: true, expand: ["latest_charge"] });
  t.like(paid.latest_charge, { object: "charge", amount: 500, payment_method_details: { card: { last4: "4242" } } });
  const read = await stripe.paymentIntents.retrieve(paid.id, { expand: ["payment_method"] });
  t.like(read.payment_method, { object: "payment_method", id: "pm_card_visa" });
  t.is(typeof read.latest_charge, "string");
});
