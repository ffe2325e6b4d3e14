import test from "ava";
import Stripe from "stripe";
import { startTestProcessor } from "../helpers/processor.ts";

test("a refund is pending, then succeeded once its settle time has passed", async (t) => {
  const { stripe } = await startTestProcessor(t, { faults: "refund_settle=100" });
  const paid = await stripe.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: "pm_card_visa", confirm: true });
  const refund = await stripe.refunds.create({ payment_intent: paid.id, amount: 400, metadata: { booking: "b1" } });
  t.like(refund, { object: "refund", status: "pending", amount: 400, payment_intent: paid.id, charge: paid.latest_charge, metadata: { booking: "b1" } });
  await new Promise((resolve) => setTimeout(resolve, 150));
  t.is((await stripe.refunds.retrieve(refund.id)).status, "succeeded");
});

test("refunds never add up to more than was captured", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const paid = await stripe.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: "pm_card_visa", confirm: true });
  await stripe.refunds.create({ payment_intent: paid.id, amount: 600 });
  const tooMuch = await t.throwsAsync(stripe.refunds.create({ payment_intent: paid.id, amount: 401 }));
  t.true(tooMuch instanceof Stripe.errors.StripeInvalidRequestError);
  t.like(tooMuch, { statusCode: 400, code: "amount_too_large" });
  t.is((await stripe.refunds.create({ payment_intent: paid.id })).amount, 400);
  t.like(await t.throwsAsync(stripe.refunds.create({ payment_intent: paid.id, amount: 1 })), { code: "charge_already_refunded" });
});

test("refunds racing for the last of a payment never exceed it", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const paid = await stripe.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: "pm_card_visa", confirm: true });
  const results = await Promise.allSettled(Array.from({ length: 6 }, () => stripe.refunds.create({ payment_intent: paid.id, amount: 300 })));
  t.is(results.filter((r) => r.status === "fulfilled").length, 3);
});

test("an unpaid or unknown intent cannot be refunded", async (t) => {
  const { stripe } = await startTestProcessor(t);
  const open = await stripe.paymentIntents.create({ amount: 1000, currency: "eur" });
  t.like(await t.throwsAsync(stripe.refunds.create({ payment_intent: open.id })), { statusCode: 400, code: "charge_not_refundable" });
  t.like(await t.throwsAsync(stripe.refunds.create({ payment_intent: "pi_nope" })), { statusCode: 400, code: "resource_missing" });
  t.like(await t.throwsAsync(stripe.refunds.retrieve("re_nope")), { statusCode: 404, code: "resource_missing" });
});
