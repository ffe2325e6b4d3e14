// Given a payment, when a command, then the new payment and its events, or a refusal.
import test from "ava";
import { testMethod, type StoredMethod } from "../../processor/cards.ts";
import type { ApiError } from "../../processor/errors.ts";
import { authenticate, cancel, confirm, openIntent, type Context, type PaymentRecord, type Step } from "../../processor/intents.ts";

const now = Date.UTC(2026, 11, 1) / 1000;
let n = 0;
const ctx: Context = { now, newId: (prefix) => `${prefix}_${++n}`, publicUrl: "http://processor.test" };
const method = (id: string) => testMethod(id, now) as StoredMethod;
const open = (params: Record<string, unknown> = {}, m: StoredMethod | null = null) =>
  openIntent({ amount: "1200", currency: "EUR", metadata: { booking: "b1" }, ...params } as never, m, ctx) as PaymentRecord;
const confirmed = (record: PaymentRecord, m: StoredMethod | null, more: { returnUrl?: string; forceDecline?: boolean } = {}) =>
  confirm(record, { method: m, forceDecline: false, ...more }, ctx) as Step;
const types = (step: Step) => step.events.map((e) => e.type);

test("a new intent waits for a payment method, or for confirmation when it has one", (t) => {
  const bare = open();
  t.like(bare.intent, { object: "payment_intent", status: "requires_payment_method", amount: 1200, currency: "eur", metadata: { booking: "b1" }, created: now, latest_charge: null });
  t.true(bare.intent.client_secret.startsWith(`${bare.intent.id}_secret_`));
  t.is(open({}, method("pm_card_visa")).intent.status, "requires_confirmation");
});

test("amounts, currencies and capture methods the processor cannot take are refused with the param", (t) => {
  const refusal = (params: Record<string, unknown>) => (openIntent({ amount: "1200", currency: "eur", ...params } as never, null, ctx) as ApiError).error;
  t.like(refusal({ amount: "12.5" }), { code: "parameter_invalid_integer", param: "amount" });
  t.like(refusal({ amount: "0" }), { param: "amount" });
  t.like(refusal({ currency: "euro" }), { param: "currency" });
  t.like(refusal({ capture_method: "manual" }), { param: "capture_method" });
  t.like(refusal({ return_url: "javascript:alert(1)" }), { param: "return_url" });
  t.like(refusal({ surprise: "1" }), { code: "parameter_unknown", param: "surprise" });
  t.like((openIntent({ currency: "eur" }, null, ctx) as ApiError).error, { code: "parameter_missing", param: "amount" });
});

test("confirming with a good card charges it: succeeded, amount received, a charge", (t) => {
  const step = confirmed(open(), method("pm_card_visa"));
  t.like(step.record.intent, { status: "succeeded", amount_received: 1200, payment_method: "pm_card_visa", last_payment_error: null });
  t.like(step.record.charge, { object: "charge", amount: 1200, amount_refunded: 0, payment_intent: step.record.intent.id, status: "succeeded", metadata: { booking: "b1" } });
  t.is(step.record.intent.latest_charge, step.record.charge!.id);
  t.is(step.record.version, 2);
  t.deepEqual(types(step), ["payment_intent.succeeded"]);
  t.is(step.error, undefined);
});

test("a declined card sends the intent back for another method, with a 402 card_error naming it", (t) => {
  const step = confirmed(open(), method("pm_card_chargeDeclinedInsufficientFunds"));
  t.like(step.record.intent, { status: "requires_payment_method", amount_received: 0, latest_charge: null, last_payment_error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds" } });
  t.like(step.error, { status: 402, error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds", payment_intent: { status: "requires_payment_method" } } });
  t.deepEqual(types(step), ["payment_intent.payment_failed"]);
  t.like(confirmed(open(), method("pm_card_chargeDeclinedExpiredCard")).error, { error: { code: "expired_card", decline_code: "expired_card" } });
});

test("a declined intent can be confirmed again with another card", (t) => {
  const declined = confirmed(open(), method("pm_card_chargeDeclined")).record;
  t.is(confirmed(declined, method("pm_card_visa")).record.intent.status, "succeeded");
});

test("the fault plan's decline declines even a good card", (t) => {
  t.like(confirmed(open(), method("pm_card_visa"), { forceDecline: true }).error, { status: 402, error: { decline_code: "generic_decline" } });
});

test("a 3-D Secure card asks for action with a link to the challenge and the return URL", (t) => {
  const step = confirmed(open(), method("pm_card_authenticationRequired"), { returnUrl: "https://marquee.test/back" });
  const { intent } = step.record;
  t.is(intent.status, "requires_action");
  t.is(intent.next_action!.type, "redirect_to_url");
  t.true(intent.next_action!.redirect_to_url.url.startsWith(`http://processor.test/3ds/${intent.id}?client_secret=`));
  t.is(intent.next_action!.redirect_to_url.return_url, "https://marquee.test/back");
  t.deepEqual(types(step), ["payment_intent.requires_action"]);
});

test("completing the challenge charges; failing it leaves the intent needing a method", (t) => {
  const waiting = confirmed(open(), method("pm_card_authenticationRequired")).record;
  const passed = authenticate(waiting, true, ctx)!;
  t.like(passed.record.intent, { status: "succeeded", next_action: null });
  t.deepEqual(types(passed), ["payment_intent.succeeded"]);
  const failed = authenticate(waiting, false, ctx)!;
  t.like(failed.record.intent, { status: "requires_payment_method", last_payment_error: { code: "payment_intent_authentication_failure" } });
  t.deepEqual(types(failed), ["payment_intent.payment_failed"]);
});

test("the always-failing challenge fails even when completed, and a second answer changes nothing", (t) => {
  const waiting = confirmed(open(), method("pm_card_authenticationRequiredChallengeFails")).record;
  const step = authenticate(waiting, true, ctx)!;
  t.is(step.record.intent.status, "requires_payment_method");
  t.is(authenticate(step.record, true, ctx), undefined);
});

test("a confirm without any payment method, of a succeeded or of a canceled intent is refused", (t) => {
  t.like((confirm(open(), { method: null, forceDecline: false }, ctx) as ApiError).error, { param: "payment_method" });
  const paid = confirmed(open(), method("pm_card_visa")).record;
  t.like(confirm(paid, { method: null, forceDecline: false }, ctx), { status: 400, error: { code: "payment_intent_unexpected_state" } });
  const canceled = (cancel(open(), {}, ctx) as Step).record;
  t.like(confirm(canceled, { method: method("pm_card_visa"), forceDecline: false }, ctx), { status: 400, error: { code: "payment_intent_unexpected_state" } });
});

test("an unpaid intent can be canceled, with a reason; a succeeded one cannot", (t) => {
  const step = cancel(open(), { cancellation_reason: "abandoned" }, ctx) as Step;
  t.like(step.record.intent, { status: "canceled", cancellation_reason: "abandoned", canceled_at: now });
  t.deepEqual(types(step), ["payment_intent.canceled"]);
  const paid = confirmed(open(), method("pm_card_visa")).record;
  t.like(cancel(paid, {}, ctx), { status: 400, error: { code: "payment_intent_unexpected_state" } });
  t.like(cancel(open(), { cancellation_reason: "bored" }, ctx), { status: 400, error: { param: "cancellation_reason" } });
});
