// No full card number or CVC is ever kept or logged: only brand, last four digits and expiry.
import test from "ava";
import type Stripe from "stripe";
import { MemoryStore } from "../../infra/memory-store.ts";
import { PUBLISHABLE_KEY, recorded, sdkFor, startReceiver, startTestProcessor } from "../helpers/processor.ts";

const CARDS = ["4242424242424242", "5555555555554444", "4000000000000002", "4000002500003155", "4000000000009995"];
const CVC = "735";

test("after cards are entered and paid with, no number or CVC is in the store, the logs or the webhooks", async (t) => {
  const writes: string[] = [];
  const receiver = await startReceiver(t);
  const { stripe, processor, logs } = await startTestProcessor(t, { store: recorded(new MemoryStore(), writes), webhookUrl: receiver.url });
  const browser = sdkFor(processor.port, PUBLISHABLE_KEY);
  for (const number of CARDS) {
    const method = await browser.paymentMethods.create({ type: "card", card: { number, exp_month: 12, exp_year: 2031, cvc: CVC } } as Stripe.PaymentMethodCreateParams);
    await stripe.paymentIntents.create({ amount: 500, currency: "eur", payment_method: method.id, confirm: true, return_url: "https://marquee.test/r" }).catch(() => undefined);
  }
  // A refused card is not kept either.
  await browser.paymentMethods.create({ type: "card", card: { number: "4242424242424241", exp_month: 12, exp_year: 2031, cvc: CVC } } as Stripe.PaymentMethodCreateParams).catch(() => undefined);
  await receiver.waitFor((a) => a.length >= CARDS.length);
  const seen = [...writes, ...logs, ...receiver.received.map((d) => d.body)].join("\n");
  t.true(writes.length > 10 && logs.length > 10, "something was written and logged");
  t.true(seen.includes("4242"), "last four digits are kept");
  for (const number of [...CARDS, "4242424242424241"]) t.false(seen.includes(number), number);
  // As a token of its own: three digits turn up inside timestamps and hex ids by chance.
  t.false(new RegExp(`\\b${CVC}\\b`).test(seen), "the CVC");
});
