// A processor restarted over the same store (memory, or the shared Redis) loses no payment:
// intents, refunds still to settle, challenges still to answer and webhooks still owed.
import test, { type ExecutionContext } from "ava";
import { randomUUID } from "node:crypto";
import { MemoryStore } from "../../infra/memory-store.ts";
import { RedisStore } from "../../infra/redis-store.ts";
import type { Store } from "../../infra/store.ts";
import { startReceiver, startTestProcessor, typesOf } from "../helpers/processor.ts";
import { SHARED_REDIS, testNeeding, unreachableRedis } from "../helpers/services.ts";

const needsRedis = testNeeding(await unreachableRedis());

async function survivesRestart(t: ExecutionContext, store: Store) {
  const receiver = await startReceiver(t);
  const options = { store, webhookUrl: receiver.url, faults: "refund_settle=300" };
  const first = await startTestProcessor(t, options);
  const paid = await first.stripe.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: "pm_card_visa", confirm: true, metadata: { booking: "b1" } });
  const open = await first.stripe.paymentIntents.create({ amount: 300, currency: "eur" });
  const challenged = await first.stripe.paymentIntents.create({ amount: 400, currency: "eur", payment_method: "pm_card_authenticationRequired", confirm: true, return_url: "https://marquee.test/r" });
  const refund = await first.stripe.refunds.create({ payment_intent: paid.id, amount: 250 });
  await first.processor.stop();

  const second = await startTestProcessor(t, options);
  const { lastResponse: _first, ...before } = paid;
  const { lastResponse: _second, ...after } = await second.stripe.paymentIntents.retrieve(paid.id);
  t.deepEqual(after, before);
  t.is((await second.stripe.paymentIntents.retrieve(open.id)).status, "requires_payment_method");
  t.is((await second.stripe.paymentMethods.retrieve("pm_card_visa")).id, "pm_card_visa");
  // The refund settles on the new process's own timer: nobody reads it before its webhook comes.
  const delivered = await receiver.waitFor((a) => typesOf(a).includes("refund.updated"));
  t.is(JSON.parse(delivered.find((d) => JSON.parse(d.body).type === "refund.updated")!.body).data.object.id, refund.id);
  t.is((await second.stripe.refunds.retrieve(refund.id)).status, "succeeded");
  const page = await fetch(challenged.next_action!.redirect_to_url!.url!.replace(first.processor.url, second.processor.url));
  t.regex(await page.text(), /Complete authentication/);
  const cancel = await second.stripe.paymentIntents.cancel(challenged.id);
  t.is(cancel.status, "canceled");
}

test("a restart over the same memory store loses no intent, refund, challenge or webhook", async (t) => {
  await survivesRestart(t, new MemoryStore());
});

needsRedis("a restart over the shared Redis loses nothing, and every key the processor writes is a stripe: one", async (t) => {
  const prefix = `test:processor:${randomUUID()}`;
  const store = new RedisStore(SHARED_REDIS, prefix);
  t.teardown(async () => {
    const keys = await store.redis.keys(`${prefix}:*`);
    if (keys.length) await store.redis.del(...keys);
    await store.close();
  });
  await survivesRestart(t, store);
  const keys = await store.redis.keys(`${prefix}:*`);
  t.true(keys.length > 5);
  for (const key of keys) t.regex(key.slice(prefix.length + 1), /^[a-z]+:stripe:/, key);
});

needsRedis("two processors sharing Redis agree on a confirm racing a cancel", async (t) => {
  const prefix = `test:processor:${randomUUID()}`;
  const one = new RedisStore(SHARED_REDIS, prefix);
  const two = new RedisStore(SHARED_REDIS, prefix);
  t.teardown(async () => {
    const keys = await one.redis.keys(`${prefix}:*`);
    if (keys.length) await one.redis.del(...keys);
    await one.close();
    await two.close();
  });
  const a = await startTestProcessor(t, { store: one });
  const b = await startTestProcessor(t, { store: two });
  for (let i = 0; i < 10; i++) {
    const intent = await a.stripe.paymentIntents.create({ amount: 500, currency: "usd", payment_method: "pm_card_visa" });
    const results = await Promise.allSettled([a.stripe.paymentIntents.confirm(intent.id), b.stripe.paymentIntents.cancel(intent.id)]);
    t.is(results.filter((r) => r.status === "fulfilled").length, 1, `race ${i}`);
  }
});
