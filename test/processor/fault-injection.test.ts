// Each fault of the plan, seen from the client and the webhook endpoint.
import test, { type ExecutionContext } from "ava";
import Stripe from "stripe";
import { SECRET_KEY, sdkFor, startReceiver, startTestProcessor } from "../helpers/processor.ts";

const visa = { amount: 700, currency: "eur", payment_method: "pm_card_visa", confirm: true };
const idOf = (body: string) => JSON.parse(body).data.object.id as string;

async function setFaults(url: string, faults: string) {
  const res = await fetch(`${url}/v1/test_helpers/faults`, { method: "POST", headers: { authorization: `Bearer ${SECRET_KEY}` }, body: new URLSearchParams({ faults }) });
  if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
  return (await res.json()) as { faults: string };
}

test("timeout_after_charge: the confirm charges, the client times out, and a retry with its key replays the success", async (t) => {
  const { processor } = await startTestProcessor(t, { faults: "timeout_after_charge=1" });
  const stripe = sdkFor(processor.port, SECRET_KEY, 2_000);
  const error = await t.throwsAsync(stripe.paymentIntents.create(visa, { idempotencyKey: "pay-b1" }));
  t.true(error instanceof Stripe.errors.StripeConnectionError);
  const replayed = await stripe.paymentIntents.create(visa, { idempotencyKey: "pay-b1" });
  t.is(replayed.status, "succeeded");
  t.is(replayed.lastResponse.headers["idempotent-replayed"], "true");
  t.is((await stripe.paymentIntents.retrieve(replayed.id)).amount_received, 700);
});

test("decline: every confirm is declined until the fault is lifted at run time", async (t) => {
  const { stripe, processor } = await startTestProcessor(t, { faults: "decline=1" });
  t.like(await t.throwsAsync(stripe.paymentIntents.create(visa)), { code: "card_declined", decline_code: "generic_decline" });
  t.is((await setFaults(processor.url, "decline=0")).faults, "seed=1");
  t.is((await stripe.paymentIntents.create(visa)).status, "succeeded");
});

test("decline with a seed repeats the same outcomes on every run", async (t) => {
  const outcomes = async () => {
    const { stripe } = await startTestProcessor(t, { faults: "decline=0.5,seed=7" });
    const out: string[] = [];
    for (let i = 0; i < 12; i++) out.push(await stripe.paymentIntents.create(visa).then((p) => p.status, () => "declined"));
    return out;
  };
  const first = await outcomes();
  t.deepEqual(await outcomes(), first);
  t.true(first.includes("declined") && first.includes("succeeded"));
});

test("latency: a client that waits less than the added latency times out", async (t) => {
  const { processor } = await startTestProcessor(t, { faults: "latency=1000" });
  const impatient = sdkFor(processor.port, SECRET_KEY, 100);
  t.true((await t.throwsAsync(impatient.paymentIntents.create(visa))) instanceof Stripe.errors.StripeConnectionError);
});

test("the fault plan is read and changed at run time; a wrong one is a 400 naming it", async (t) => {
  const { processor } = await startTestProcessor(t, { faults: "latency=5,seed=3" });
  t.is((await setFaults(processor.url, "webhook_drop=0.5")).faults, "latency=5,webhook_drop=0.5,seed=3");
  const res = await fetch(`${processor.url}/v1/test_helpers/faults`, { method: "POST", headers: { authorization: `Bearer ${SECRET_KEY}` }, body: new URLSearchParams({ faults: "jitter=1" }) });
  t.is(res.status, 400);
  t.regex(((await res.json()) as any).error.message, /jitter=1/);
});

/** A payment under a webhook fault, then one after the fault is lifted at run time. */
async function payBeforeAndAfter(t: ExecutionContext, fault: string, lifted: string) {
  const receiver = await startReceiver(t);
  const { stripe, processor } = await startTestProcessor(t, { webhookUrl: receiver.url, faults: fault });
  const before = await stripe.paymentIntents.create(visa);
  await setFaults(processor.url, lifted);
  const after = await stripe.paymentIntents.create(visa);
  return { receiver, before: before.id, after: after.id };
}

test("webhook_drop: a dropped event is never delivered while later ones are", async (t) => {
  const { receiver, before, after } = await payBeforeAndAfter(t, "webhook_drop=1", "webhook_drop=0");
  await receiver.waitFor((a) => a.some((d) => idOf(d.body) === after));
  t.false(receiver.received.some((d) => idOf(d.body) === before));
});

test("webhook_duplicate: the same event arrives twice", async (t) => {
  const receiver = await startReceiver(t);
  const { stripe } = await startTestProcessor(t, { webhookUrl: receiver.url, faults: "webhook_duplicate=1" });
  await stripe.paymentIntents.create(visa);
  const twice = await receiver.waitFor((a) => a.length === 2);
  t.is(JSON.parse(twice[0]!.body).id, JSON.parse(twice[1]!.body).id);
});

test("webhook_delay: a delayed event arrives after one sent later without delay", async (t) => {
  // Long enough that the second payment is made well within it, even on a loaded machine.
  const { receiver, before, after } = await payBeforeAndAfter(t, "webhook_delay=5000", "webhook_delay=0");
  const both = await receiver.waitFor((a) => a.length === 2, 20_000);
  t.deepEqual(both.map((d) => idOf(d.body)), [after, before]);
});

test("webhook_reorder: events held back arrive out of order, and all arrive", async (t) => {
  const receiver = await startReceiver(t);
  const { stripe } = await startTestProcessor(t, { webhookUrl: receiver.url, faults: "webhook_reorder=1,seed=5", webhookReorderHoldMs: 2_000 });
  const sent: string[] = [];
  for (let i = 0; i < 5; i++) sent.push((await stripe.paymentIntents.create(visa)).id);
  // Each is held 2-4 s at random, far more than the payments are apart, so the seed decides the order.
  const got = (await receiver.waitFor((a) => a.length === 5, 20_000)).map((d) => idOf(d.body));
  t.deepEqual([...got].sort(), [...sent].sort());
  t.notDeepEqual(got, sent);
});
