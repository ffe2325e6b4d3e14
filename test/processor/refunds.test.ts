import test from "ava";
import { testMethod, type StoredMethod } from "../../processor/cards.ts";
import type { ApiError } from "../../processor/errors.ts";
import { confirm, openIntent, type Context, type PaymentRecord, type Step } from "../../processor/intents.ts";
import { refund, refundIn, settleRefunds } from "../../processor/refunds.ts";
import { keyedIds } from "../../processor/runtime.ts";

const now = Date.UTC(2026, 11, 1) / 1000;
let n = 0;
const ctx: Context = { now, newId: (prefix) => `${prefix}_${++n}`, publicUrl: "http://processor.test" };
const paid = (): PaymentRecord => {
  const open = openIntent({ amount: "1000", currency: "eur" }, null, ctx) as PaymentRecord;
  return (confirm(open, { method: testMethod("pm_card_visa", now) as StoredMethod, forceDecline: false }, ctx) as Step).record;
};
function refunded(record: PaymentRecord, params: Record<string, unknown> = {}, settleAt = 5_000, context = ctx) {
  const made = refund(record, params as never, settleAt, context);
  return "status" in made ? made : { ...made, step: made.step! };
}

test("a refund starts pending, counts against the charge and sends charge.refunded with the refund in it", (t) => {
  const made = refunded(paid(), { amount: "400", reason: "requested_by_customer", metadata: { booking: "b1" } });
  if ("status" in made) return t.fail();
  t.like(made.refund, { object: "refund", amount: 400, status: "pending", reason: "requested_by_customer", metadata: { booking: "b1" } });
  const charge = made.step.record.charge!;
  t.like(charge, { amount_refunded: 400, refunded: false });
  t.deepEqual(made.step.events.map((e) => e.type), ["charge.refunded"]);
  t.like(made.step.events[0]!.object, { object: "charge", amount_refunded: 400, refunds: { data: [{ id: made.refund.id, metadata: { booking: "b1" } }] } });
});

test("refunds never exceed what was captured in total", (t) => {
  const first = refunded(paid(), { amount: "700" });
  if ("status" in first) return t.fail();
  const tooMuch = refunded(first.step.record, { amount: "301" }) as ApiError;
  t.like(tooMuch, { status: 400, error: { code: "amount_too_large", param: "amount" } });
  const rest = refunded(first.step.record);
  if ("status" in rest) return t.fail();
  t.is(rest.refund.amount, 300);
  t.like(rest.step.record.charge, { amount_refunded: 1000, refunded: true });
  t.like(refunded(rest.step.record), { status: 400, error: { code: "charge_already_refunded" } });
});

test("an intent that was never charged cannot be refunded", (t) => {
  const open = openIntent({ amount: "1000", currency: "eur" }, null, ctx) as PaymentRecord;
  t.like(refunded(open), { status: 400, error: { code: "charge_not_refundable" } });
});

test("a pending refund settles when due, once, with refund.updated", (t) => {
  const made = refunded(paid(), { amount: "100" }, 5_000);
  if ("status" in made) return t.fail();
  t.is(settleRefunds(made.step.record, 4_999), undefined);
  const settled = settleRefunds(made.step.record, 5_000)!;
  t.is(refundIn(settled.record, made.refund.id)!.status, "succeeded");
  t.deepEqual(settled.events.map((e) => e.type), ["refund.updated"]);
  t.like(settled.events[0]!.object, { id: made.refund.id, status: "succeeded" });
  t.is(settleRefunds(settled.record, 10_000), undefined);
});

test("a refund made again under its Idempotency-Key (its answer lost) is the same refund, made once", (t) => {
  const keyed: Context = { ...ctx, newId: keyedIds("sk_test_secret", "refund-key-1") };
  const first = refunded(paid(), { amount: "400" }, 0, keyed);
  if ("status" in first) return t.fail();
  const again = refund(first.step.record, { amount: "400" } as never, 0, keyed);
  if ("status" in again) return t.fail();
  t.is(again.step, undefined, "nothing changes");
  t.is(again.refund.id, first.refund.id);
  t.is(first.step.record.charge!.amount_refunded, 400);
});
