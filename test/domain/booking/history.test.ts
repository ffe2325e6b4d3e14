import test from "ava";
import { checkHistory, type RunHistory } from "../../../domain/booking/history.ts";

/** One show: b1 confirmed on A1 (paid), b2 cancelled and refunded, b3 expired after a late charge that was refunded. */
const clean = (): RunHistory => ({
  bookings: [
    { id: "b1", showId: "s1", seats: ["A1"], status: "confirmed", payment: { id: "p1", status: "succeeded" } },
    { id: "b2", showId: "s1", seats: ["A2"], status: "cancelled", payment: { id: "p2", status: "succeeded" } },
    { id: "b3", showId: "s1", seats: ["A3"], status: "refunded", payment: { id: "p3", status: "succeeded" } },
  ],
  seatMaps: [{ showId: "s1", seats: [{ id: "A1", status: "booked" }, { id: "A2", status: "available" }, { id: "A3", status: "held" }] }],
  ledger: [
    { kind: "charge", showId: "s1", bookingId: "b1", id: "a1", paymentId: "p1", amount: 500, status: "succeeded" },
    { kind: "charge", showId: "s1", bookingId: "b2", id: "a2", paymentId: "p2", amount: 700, status: "succeeded" },
    { kind: "refund", showId: "s1", bookingId: "b2", id: "r2", paymentId: "p2", amount: 700, status: "succeeded" },
    { kind: "charge", showId: "s1", bookingId: "b3", id: "a3", paymentId: "p3", amount: 300, status: "succeeded" },
    { kind: "refund", showId: "s1", bookingId: "b3", id: "r3", paymentId: "p3", amount: 300, status: "pending" },
    { kind: "charge", showId: "s1", bookingId: "b2", id: "a0", amount: 700, status: "failed" },
  ],
  answers: [{ bookingId: "b1", action: "pay", bookingStatus: "confirmed" }, { bookingId: "b2", action: "pay", bookingStatus: "confirmed" }, { bookingId: "b2", action: "cancel", bookingStatus: "cancelled" }],
  settled: true,
});

test("a run where every charge is confirmed or refunded and every seat has one owner passes", (t) => {
  t.deepEqual(checkHistory(clean()), []);
});

test("a seat in two confirmed bookings, or a confirmed seat not shown booked, is named", (t) => {
  const run = clean();
  run.bookings.push({ id: "b4", showId: "s1", seats: ["A1"], status: "confirmed", payment: { id: "p4", status: "succeeded" } });
  run.ledger.push({ kind: "charge", showId: "s1", bookingId: "b4", id: "a4", paymentId: "p4", amount: 500, status: "succeeded" });
  run.seatMaps[0]!.seats[0]!.status = "held";
  const problems = checkHistory(run);
  t.true(problems.some((p) => p.includes("seat s1 A1 is in 2 confirmed bookings")));
  t.true(problems.some((p) => p.includes("shows as held")));
});

test("money kept for a booking that is not confirmed, or refunds beyond the charge, are named", (t) => {
  const kept = clean();
  kept.ledger = kept.ledger.filter((e) => e.id !== "r2");
  t.true(checkHistory(kept).some((p) => p.includes("payment p2 of 700 for booking b2 (cancelled) is neither confirmed nor refunded in full")));
  const over = clean();
  over.ledger.push({ kind: "refund", showId: "s1", bookingId: "b1", id: "r9", paymentId: "p1", amount: 600, status: "succeeded" });
  t.true(checkHistory(over).some((p) => p.includes("refunds 600 exceed the charge 500")));
});

test("a cancelled booking may keep its cinema's fee, or give it back too, and no more", (t) => {
  const run = clean();
  run.bookings[1]!.cancellationFee = 100;
  run.ledger = run.ledger.map((e) => (e.id === "r2" ? { ...e, amount: 600 } : e));
  t.deepEqual(checkHistory(run), [], "700 charged, 600 back, 100 fee kept");
  run.ledger.push({ kind: "refund", showId: "s1", bookingId: "b2", id: "r2b", paymentId: "p2", amount: 100, status: "succeeded" });
  t.deepEqual(checkHistory(run), [], "the fee given back as well");
  run.ledger = run.ledger.filter((e) => e.id !== "r2b").map((e) => (e.id === "r2" ? { ...e, amount: 500 } : e));
  t.is(checkHistory(run).length, 1, "200 kept where the fee is 100");
});

test("money still in flight after the settlement time is named, and is fine before it", (t) => {
  const run = clean();
  run.bookings.push({ id: "b5", showId: "s1", seats: ["A4"], status: "pending_payment", paymentInProgress: true });
  run.ledger.push({ kind: "charge", showId: "s1", bookingId: "b5", id: "a5", amount: 100, status: "processing" });
  t.is(checkHistory(run).length, 2);
  t.deepEqual(checkHistory({ ...run, settled: false }), []);
});

test("a booking a customer was told is confirmed must stay confirmed unless they were told it was cancelled", (t) => {
  const run = clean();
  run.answers = [{ bookingId: "b2", action: "pay", bookingStatus: "confirmed" }];
  t.deepEqual(checkHistory(run), ["booking b2 was answered confirmed but is cancelled"]);
});

test("a cancel whose answer never came may have happened; one refused with an answer did not", (t) => {
  const run = clean();
  run.answers = [{ bookingId: "b2", action: "pay", bookingStatus: "confirmed" }, { bookingId: "b2", action: "cancel", unknown: true }];
  t.deepEqual(checkHistory(run), []);
  run.answers = [{ bookingId: "b2", action: "pay", bookingStatus: "confirmed" }, { bookingId: "b2", action: "cancel" }];
  t.deepEqual(checkHistory(run), ["booking b2 was answered confirmed but is cancelled"]);
});
