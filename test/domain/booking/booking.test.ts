import test from "ava";
import {
  canPay, cancelled, confirmed, followHold, openBooking, openingRefusal, paymentFailed, planCancellation, planPayment, paymentSummary,
  refundedUnconfirmed,
} from "../../../domain/booking/booking.ts";
import type { Quote } from "../../../domain/pricing/quote.ts";

const quote: Quote = {
  showId: "s1", currency: "INR", total: 65000, seatPrices: { A1: 25000, B1: 40000 }, quotedAt: "2026-01-01T00:00:00.000Z",
  lines: [{ seat: "A1", category: "standard", factor: "base", amount: 25000, reason: "standard seat" }, { seat: "B1", category: "premium", factor: "base", amount: 40000, reason: "premium seat" }],
};
const open = () => openBooking({ id: "b1", userId: "u1", showId: "s1", holdId: "h1", seats: ["A1", "B1"], quote }, 0);
const visa = { id: "p1", status: "succeeded" as const, card: { brand: "visa", last4: "4242" } };

test("a new booking awaits payment for exactly the hold's quote", (t) => {
  const b = open();
  t.is(b.status, "pending_payment");
  t.is(b.amount, 65000);
  t.is(b.currency, "INR");
  t.deepEqual(b.lines, quote.lines);
  t.true(canPay(b));
});

test("a declined payment can be retried; a confirmed booking cannot be paid again", (t) => {
  const failed = paymentFailed(open(), { ...visa, status: "failed", failureCode: "card_declined", failureMessage: "Your card was declined" }, 1);
  t.is(failed.status, "payment_failed");
  t.is(failed.reason, "Your card was declined");
  t.true(canPay(failed));
  const ok = confirmed(failed, visa, 2);
  t.is(ok.status, "confirmed");
  t.is(ok.reason, undefined);
  t.is(ok.attempts, 2);
  t.false(canPay(ok));
});

test("money taken for unconfirmable seats shows up as a refunded booking with the reason", (t) => {
  const b = refundedUnconfirmed(open(), visa, { id: "r1", amount: 65000, currency: "INR", status: "succeeded", reason: "seats_not_confirmed" }, "The hold ended", 3);
  t.is(b.status, "refunded");
  t.is(b.refund?.amount, 65000);
  t.regex(b.reason!, /The hold ended; your payment was refunded/);
});

test("a pending booking follows its hold: expired, released or replaced", (t) => {
  t.is(followHold(open(), "expired", 5).status, "expired");
  t.is(followHold(open(), "released", 5).status, "cancelled");
  t.is(followHold(open(), "replaced", 5).status, "cancelled");
  const b = open();
  t.is(followHold(b, "active", 5), b);
  const done = confirmed(b, visa, 1);
  t.is(followHold(done, "booked", 5), done);
});

test("cancelling records the refund when there was one", (t) => {
  t.is(cancelled(open(), 9).refund, undefined);
  const refund = { id: "r1", amount: 65000, currency: "INR", status: "succeeded", reason: "requested_by_customer" };
  const b = cancelled(confirmed(open(), visa, 1), 9, refund);
  t.is(b.status, "cancelled");
  t.deepEqual(b.refund, refund);
  t.is(b.cancelledAt, new Date(9).toISOString());
});

test("a booking opens on an active hold, or one being paid for, and on no other", (t) => {
  t.is(openingRefusal({ id: "h1", status: "active" }), undefined);
  t.is(openingRefusal({ id: "h1", status: "paying" }), undefined);
  t.deepEqual(openingRefusal({ id: "h1", status: "expired" }), { code: "HOLD_EXPIRED", message: "Hold h1 expired; hold the seats again", data: { holdId: "h1" } });
  for (const status of ["released", "replaced"] as const) {
    t.like(openingRefusal({ id: "h1", status }), { code: "HOLD_ENDED", data: { holdId: "h1", status } });
  }
  t.like(openingRefusal({ id: "h1", status: "booked", bookingId: "b0" }), { code: "HOLD_ENDED", message: "Hold h1 was booked", data: { bookingId: "b0" } });
});

test("a pending or declined booking is charged; a confirmed one is not charged again", (t) => {
  t.deepEqual(planPayment(open()), { step: "charge" });
  t.deepEqual(planPayment(paymentFailed(open(), { ...visa, status: "failed" }, 1)), { step: "charge" });
  t.deepEqual(planPayment(confirmed(open(), visa, 1)), { step: "none" });
});

test("paying for a booking whose hold expired is refused as gone, with the booking and why", (t) => {
  const lapsed = followHold(open(), "expired", 5);
  const plan = planPayment(lapsed);
  t.deepEqual(plan, { step: "refuse", rejection: { code: "HOLD_EXPIRED", message: lapsed.reason!, data: { booking: lapsed } } });
});

test("a cancelled or refunded booking cannot be paid for", (t) => {
  const refund = { id: "r1", amount: 65000, currency: "INR", status: "succeeded", reason: "seats_not_confirmed" };
  for (const b of [cancelled(open(), 1), refundedUnconfirmed(open(), visa, refund, "The hold ended", 1)]) {
    t.like(planPayment(b), { step: "refuse", rejection: { code: "BOOKING_NOT_PAYABLE", message: `Booking b1 is ${b.status}`, data: { booking: b } } });
  }
});

test("cancelling an unpaid booking lets its hold go; cancelling a confirmed one refunds its payment", (t) => {
  t.deepEqual(planCancellation(open()), { step: "release_hold" });
  t.deepEqual(planCancellation(paymentFailed(open(), { ...visa, status: "failed" }, 1)), { step: "release_hold" });
  t.deepEqual(planCancellation(confirmed(open(), visa, 1)), { step: "cancel_and_refund", paymentId: "p1", reason: "requested_by_customer" });
});

test("cancelling twice changes nothing; an expired or refunded booking cannot be cancelled", (t) => {
  t.deepEqual(planCancellation(cancelled(open(), 1)), { step: "none" });
  const refund = { id: "r1", amount: 65000, currency: "INR", status: "succeeded", reason: "seats_not_confirmed" };
  for (const b of [followHold(open(), "expired", 1), refundedUnconfirmed(open(), visa, refund, "The hold ended", 1)]) {
    t.like(planCancellation(b), { step: "refuse", rejection: { code: "BOOKING_NOT_CANCELLABLE", message: `Booking b1 is ${b.status} and cannot be cancelled` } });
  }
});

test("a booking keeps of its payment only the outcome and the card's brand and last 4 digits", (t) => {
  const card = { brand: "visa", last4: "0002", expMonth: 12, expYear: 2099 };
  t.deepEqual(paymentSummary({ id: "p1", status: "succeeded", card }), { id: "p1", status: "succeeded", card: { brand: "visa", last4: "0002" } });
  t.deepEqual(
    paymentSummary({ id: "p2", status: "failed", card, failureCode: "card_declined", failureMessage: "The card was declined; try another card" }),
    { id: "p2", status: "failed", card: { brand: "visa", last4: "0002" }, failureCode: "card_declined", failureMessage: "The card was declined; try another card" },
  );
});
