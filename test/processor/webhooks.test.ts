// Webhooks as the lead's endpoint will receive them: Stripe's signature, checked with the SDK's
// own constructEvent; retried until the endpoint answers 2xx, across a processor restart.
import test from "ava";
import Stripe from "stripe";
import { MemoryStore } from "../../infra/memory-store.ts";
import { startReceiver, startTestProcessor, typesOf, WEBHOOK_SECRET } from "../helpers/processor.ts";

const webhooks = new Stripe("sk_test_unused").webhooks;

test("events are signed as Stripe signs them: constructEvent accepts them and rejects a tampered or stale one", async (t) => {
  const receiver = await startReceiver(t);
  const { stripe } = await startTestProcessor(t, { webhookUrl: receiver.url });
  const paid = await stripe.paymentIntents.create({ amount: 1200, currency: "eur", payment_method: "pm_card_visa", confirm: true, metadata: { booking: "b1" } });
  const [delivery] = await receiver.waitFor((a) => a.length >= 1);
  const signature = delivery!.headers["stripe-signature"] as string;
  t.regex(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
  const event = webhooks.constructEvent(delivery!.body, signature, WEBHOOK_SECRET);
  t.like(event, { object: "event", type: "payment_intent.succeeded", data: { object: { id: paid.id, status: "succeeded", metadata: { booking: "b1" } } } });
  t.regex(event.id, /^evt_/);
  t.is(typeof event.created, "number");
  t.truthy(event.api_version);
  t.throws(() => webhooks.constructEvent(delivery!.body.replace("1200", "1"), signature, WEBHOOK_SECRET), { instanceOf: Stripe.errors.StripeSignatureVerificationError });
  t.throws(() => webhooks.constructEvent(delivery!.body, signature, "whsec_someone_else"), { instanceOf: Stripe.errors.StripeSignatureVerificationError });
  t.throws(() => webhooks.constructEvent(delivery!.body, signature, WEBHOOK_SECRET, 300, undefined, Date.now() + 600_000), { message: /tolerance/ });
});

test("each change of a payment sends its event: requires_action, payment_failed, canceled, charge.refunded, refund.updated", async (t) => {
  const receiver = await startReceiver(t);
  const { stripe } = await startTestProcessor(t, { webhookUrl: receiver.url, faults: "refund_settle=50" });
  const failing = await t.throwsAsync(stripe.paymentIntents.create({ amount: 500, currency: "eur", payment_method: "pm_card_chargeDeclined", confirm: true }));
  t.truthy(failing);
  await receiver.waitFor((a) => typesOf(a).includes("payment_intent.payment_failed"));
  await stripe.paymentIntents.create({ amount: 500, currency: "eur", payment_method: "pm_card_authenticationRequired", confirm: true, return_url: "https://marquee.test/r" });
  await receiver.waitFor((a) => typesOf(a).includes("payment_intent.requires_action"));
  const open = await stripe.paymentIntents.create({ amount: 500, currency: "eur" });
  await stripe.paymentIntents.cancel(open.id);
  await receiver.waitFor((a) => typesOf(a).includes("payment_intent.canceled"));
  const paid = await stripe.paymentIntents.create({ amount: 800, currency: "eur", payment_method: "pm_card_visa", confirm: true });
  const refund = await stripe.refunds.create({ payment_intent: paid.id, amount: 300, metadata: { booking: "b9" } });
  const all = await receiver.waitFor((a) => typesOf(a).includes("refund.updated"));
  const events = all.map((d) => webhooks.constructEvent(d.body, d.headers["stripe-signature"] as string, WEBHOOK_SECRET));
  const refunded = events.find((e) => e.type === "charge.refunded")!.data.object as Stripe.Charge;
  t.like(refunded, { object: "charge", id: paid.latest_charge as string, payment_intent: paid.id, amount_refunded: 300 });
  t.like(refunded.refunds!.data[0], { id: refund.id, amount: 300, metadata: { booking: "b9" } });
  t.like(events.find((e) => e.type === "refund.updated")!.data.object, { id: refund.id, status: "succeeded" });
});

test("a webhook is retried with backoff until the endpoint answers 2xx", async (t) => {
  const receiver = await startReceiver(t, (n) => (n < 3 ? 500 : 200));
  const { stripe } = await startTestProcessor(t, { webhookUrl: receiver.url, webhookRetryMs: 20 });
  await stripe.paymentIntents.create({ amount: 500, currency: "eur", payment_method: "pm_card_visa", confirm: true });
  await receiver.waitFor((a) => a.length === 1);
  t.is(receiver.received.length, 4);
  t.deepEqual(new Set(receiver.received.map((d) => JSON.parse(d.body).id)).size, 1);
});

test("a webhook owed when the processor stops is delivered by the next one over the same store", async (t) => {
  let open = false;
  const receiver = await startReceiver(t, () => (open ? 200 : 503));
  const store = new MemoryStore();
  const first = await startTestProcessor(t, { store, webhookUrl: receiver.url, webhookRetryMs: 20 });
  const paid = await first.stripe.paymentIntents.create({ amount: 500, currency: "eur", payment_method: "pm_card_visa", confirm: true });
  while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await first.processor.stop();
  open = true;
  await startTestProcessor(t, { store, webhookUrl: receiver.url, webhookRetryMs: 20 });
  const [delivered] = await receiver.waitFor((a) => a.length === 1);
  t.is(JSON.parse(delivered!.body).data.object.id, paid.id);
});
