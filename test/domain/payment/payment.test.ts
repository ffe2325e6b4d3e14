import test from "ava";
import fc from "fast-check";
import assert from "node:assert/strict";
import { charge, refund, type Payment } from "../../../domain/payment/payment.ts";

const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" };
const paid = (amount = 50_000) => charge({ id: "pay_1", bookingId: "bkg_1", userId: "usr_1", amount, currency: "INR", card }, 0);

test("a charge keeps only the card's brand, last 4 digits and expiry", (t) => {
  const payment = paid();
  t.is(payment.status, "succeeded");
  t.deepEqual(payment.card, { brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 });
  t.false(JSON.stringify(payment).includes("4242424242424242"));
  t.false(JSON.stringify(payment).includes('"123"'));
});

test("a declined card gives a failed payment with the reason, not an error", (t) => {
  const payment = charge({ id: "pay_2", bookingId: "b", userId: "u", amount: 100, currency: "INR", card: { ...card, number: "4000000000000002" } }, 0);
  t.is(payment.status, "failed");
  t.is(payment.failureCode, "card_declined");
});

test("a refund without an amount returns everything left", (t) => {
  const outcome = refund(paid(), { id: "re_1", reason: "requested_by_customer" }, 0);
  if ("type" in outcome) return t.fail(outcome.message);
  t.is(outcome.refund.amount, 50_000);
  t.is(outcome.payment.amountRefunded, 50_000);
});

test("a failed payment has nothing to refund", (t) => {
  const failed: Payment = { ...paid(), status: "failed" };
  t.like(refund(failed, { id: "re", reason: "x" }, 0), { type: "PAYMENT_NOT_CAPTURED" });
});

test("refunds never add up to more than was charged", (t) => {
  // A refund that refused everything would keep the sum in bounds too: each ask must also be
  // granted in full while that much is left, and refused only beyond it.
  t.notThrows(() => fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.array(fc.integer({ min: 1, max: 60_000 }), { maxLength: 10 }), (amount, asks) => {
    let payment = paid(amount);
    for (const ask of asks) {
      const left = payment.amount - payment.amountRefunded;
      const outcome = refund(payment, { id: "re", amount: ask, reason: "x" }, 0);
      if ("type" in outcome) {
        t.is(outcome.type, "REFUND_EXCEEDS_PAYMENT");
        assert.ok(ask > left, `a refund of ${ask} was refused with ${left} left`);
      } else {
        assert.ok(ask <= left, `a refund of ${ask} was granted with only ${left} left`);
        assert.equal(outcome.refund.amount, ask);
        payment = outcome.payment;
      }
      if (payment.amountRefunded > amount) return false;
    }
    return payment.refunds.reduce((sum, r) => sum + r.amount, 0) === payment.amountRefunded;
  })));
});
