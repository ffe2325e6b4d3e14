import test from "ava";
import fc from "fast-check";
import assert from "node:assert/strict";
import { charge, paymentIdOf, refund, refundNow, voided, type Payment } from "../../../domain/payment/payment.ts";

const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" };
const paid = (amount = 50_000) => charge({ attemptId: "att_1", bookingId: "bkg_1", userId: "usr_1", amount, currency: "INR", card }, 0);

test("a charge keeps only the card's brand, last 4 digits and expiry", (t) => {
  const payment = paid();
  t.is(payment.status, "succeeded");
  t.deepEqual(payment.card, { brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 });
  t.false(JSON.stringify(payment).includes("4242424242424242"));
  t.false(JSON.stringify(payment).includes('"123"'));
});

test("a declined card gives a failed payment with the reason, not an error", (t) => {
  const payment = charge({ attemptId: "att_2", bookingId: "b", userId: "u", amount: 100, currency: "INR", card: { ...card, number: "4000000000000002" } }, 0);
  t.is(payment.status, "failed");
  t.is(payment.failureCode, "card_declined");
});

test("a refund without an amount returns everything left", (t) => {
  const outcome = refund(paid(), 20_000, { id: "re_1", reason: "requested_by_customer" }, 0);
  if ("type" in outcome) return t.fail(outcome.message);
  t.is(outcome.amount, 30_000);
  t.is(outcome.status, "succeeded");
});

test("a failed payment has nothing to refund", (t) => {
  const failed: Payment = { ...paid(), status: "failed" };
  t.like(refund(failed, 0, { id: "re", reason: "x" }, 0), { type: "PAYMENT_NOT_CAPTURED" });
});

test("refunds never add up to more than was charged", (t) => {
  // A refund that refused everything would keep the sum in bounds too: each ask must also be
  // granted in full while that much is left, and refused only beyond it.
  t.notThrows(() => fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.array(fc.integer({ min: 1, max: 60_000 }), { maxLength: 10 }), (amount, asks) => {
    const payment = paid(amount);
    let refunded = 0;
    for (const ask of asks) {
      const left = payment.amount - refunded;
      const outcome = refund(payment, refunded, { id: "re", amount: ask, reason: "x" }, 0);
      if ("type" in outcome) {
        t.is(outcome.type, "REFUND_EXCEEDS_PAYMENT");
        assert.ok(ask > left, `a refund of ${ask} was refused with ${left} left`);
      } else {
        assert.ok(ask <= left, `a refund of ${ask} was granted with only ${left} left`);
        assert.equal(outcome.amount, ask);
        refunded += outcome.amount;
      }
      if (refunded > amount) return false;
    }
    return true;
  })));
});

test("a refund the processor settles later is pending until its time, then succeeded", (t) => {
  const outcome = refund(paid(), 0, { id: "re_p", reason: "x" }, 1_000, 5_000);
  if ("type" in outcome) return t.fail(outcome.message);
  t.is(outcome.status, "pending");
  t.is(refundNow(outcome, 5_999).status, "pending");
  t.is(refundNow(outcome, 6_000).status, "succeeded");
});

test("an attempt voided before its charge says so, and its payment id is the one a charge would take", (t) => {
  const v = voided("att_9", 0);
  t.is(v.status, "canceled");
  t.is(v.id, paymentIdOf("att_9"));
  t.is(charge({ attemptId: "att_9", bookingId: "b", userId: "u", amount: 1, currency: "INR", card }, 0).id, v.id);
});
