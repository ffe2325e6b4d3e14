import test from "ava";
import { replay } from "../../../domain/show/decider.ts";
import { ofSnapshot, SNAPSHOT_FORMAT, toSnapshot } from "../../../domain/show/snapshot.ts";
import type { ShowEvent } from "../../../domain/show/types.ts";

const quote = (seats: string[]) => ({ showId: "s1", currency: "INR", total: 100 * seats.length, seatPrices: Object.fromEntries(seats.map((s) => [s, 100])), lines: [], quotedAt: "" });
const journal: ShowEvent[] = [
  { type: "ShowScheduled", showId: "s1", startsAt: 10_000_000, seats: ["A1", "A2", "A3", "X1"], notForSale: ["X1"] },
  { type: "SeatsHeld", holdId: "h1", userId: "u1", seats: ["A1"], at: 0, expiresAt: 1_000, quote: quote(["A1"]) },
  { type: "SeatsHeld", holdId: "h2", userId: "u2", seats: ["A2"], at: 0, expiresAt: 1_000, quote: quote(["A2"]) },
  { type: "HoldExpired", holdId: "h2", at: 1_000 },
  { type: "SeatsHeld", holdId: "h3", userId: "u3", seats: ["A3"], at: 1_000, expiresAt: 2_000, quote: quote(["A3"]) },
  { type: "BookingOpened", bookingId: "b3", holdId: "h3", at: 1_000 },
  { type: "PaymentStarted", bookingId: "b3", holdId: "h3", attemptId: "a3", amount: 100, expiresAt: 2_000, at: 1_000 },
  { type: "PaymentSucceeded", bookingId: "b3", attemptId: "a3", paymentId: "p3", card: { brand: "visa", last4: "4242" }, at: 1_100 },
  { type: "BookingConfirmed", bookingId: "b3", holdId: "h3", paymentId: "p3", at: 1_100 },
  { type: "PricePublished", multiplier: 1.15, at: 1_200 },
];

test("a snapshot stores the show in its own format, without the claims, and reads back to the same state", (t) => {
  const state = replay("s1", journal);
  const stored = JSON.parse(JSON.stringify(toSnapshot(state)));
  t.is(stored.format, SNAPSHOT_FORMAT);
  t.false("claims" in stored, "claims follow from holds and bookings");
  t.deepEqual(stored.endedHolds.map(([id]: [string]) => id).sort(), ["h2", "h3"]);
  t.deepEqual(stored.published, { multiplier: 1.15, at: 1_200 });
  t.deepEqual(ofSnapshot(stored), state);
});

test("a snapshot of another format is not read: the journal rebuilds the show", (t) => {
  t.is(ofSnapshot({ format: 2 }), undefined);
  t.is(ofSnapshot(undefined), undefined);
});

test("an unscheduled show snapshots as unscheduled, with no start at all", (t) => {
  const snapshot = toSnapshot(replay("s9", []));
  t.deepEqual(snapshot.schedule, { status: "unscheduled" });
  t.deepEqual(ofSnapshot(JSON.parse(JSON.stringify(snapshot))), replay("s9", []));
});
