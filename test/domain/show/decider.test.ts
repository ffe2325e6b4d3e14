// Given these events, when this command at `now`, then these events or this rejection.
import test from "ava";
import type { ExecutionContext } from "ava";
import { activeHold, decide, endedHold, evolve, holdOfUser, initialState, replay } from "../../../domain/show/decider.ts";
import { bookingHistory, bookingOf, demand, holdView, occupancy, seatsBookedBy, seatStatuses, seatsTouched } from "../../../domain/show/views.ts";
import type { Quote } from "../../../domain/pricing/quote.ts";
import type { Decision, Rejection, ShowCommand, ShowEvent, ShowState } from "../../../domain/show/types.ts";

// ---- a small show: four seats for sale, one (X1) not ----

const SHOW = "show-1";
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2030, 5, 1, 10, 0, 0);
const STARTS = T0 + 24 * HOUR;
const TTL = 10 * MIN;
const GRACE = 5 * MIN;
const CUTOFF = 2 * HOUR;
const MAX = 4;
const LAYOUT = [
  { id: "A1", forSale: true }, { id: "A2", forSale: true }, { id: "A3", forSale: true }, { id: "A4", forSale: true },
  { id: "X1", forSale: false },
];

function quoteFor(seats: string[], price = 1500): Quote {
  return {
    showId: SHOW, currency: "EUR", total: price * seats.length,
    seatPrices: Object.fromEntries(seats.map((s) => [s, price])),
    lines: seats.map((seat) => ({ seat, category: "standard", factor: "base", amount: price, reason: "standard seat" })),
    quotedAt: new Date(T0).toISOString(),
  };
}

// ---- events ----
const scheduled = (startsAt = STARTS): ShowEvent => ({ type: "ShowScheduled", showId: SHOW, startsAt, seats: LAYOUT.map((s) => s.id), notForSale: LAYOUT.filter((s) => !s.forSale).map((s) => s.id) });
const held = (holdId: string, userId: string, seats: string[], at = T0, expiresAt = at + TTL): ShowEvent =>
  ({ type: "SeatsHeld", holdId, userId, seats, at, expiresAt, quote: quoteFor(seats) });
const released = (holdId: string, at = T0 + MIN): ShowEvent => ({ type: "HoldReleased", holdId, reason: "released", at });
const expired = (holdId: string, at = T0 + TTL): ShowEvent => ({ type: "HoldExpired", holdId, at });
const opened = (bookingId: string, holdId: string, at = T0 + MIN): ShowEvent => ({ type: "BookingOpened", bookingId, holdId, at });
const started = (bookingId: string, holdId: string, attemptId: string, at = T0 + MIN, expiresAt = T0 + TTL, amount = 1500): ShowEvent =>
  ({ type: "PaymentStarted", bookingId, holdId, attemptId, amount, expiresAt, at });
const card = { brand: "visa", last4: "4242" };
const succeeded = (bookingId: string, attemptId: string, at = T0 + 2 * MIN): ShowEvent =>
  ({ type: "PaymentSucceeded", bookingId, attemptId, paymentId: `pay-${attemptId}`, card, at });
const failed = (bookingId: string, attemptId: string, at = T0 + 2 * MIN): ShowEvent =>
  ({ type: "PaymentFailed", bookingId, attemptId, code: "card_declined", message: "The card was declined", at });
/** A hold being paid for: its booking opened and an attempt under way (booking "bkg-<hold>", attempt "att-<hold>"). */
const paymentStarted = (holdId: string, at = T0 + MIN, expiresAt = T0 + TTL): ShowEvent[] =>
  [opened(`bkg-${holdId}`, holdId, at), started(`bkg-${holdId}`, holdId, `att-${holdId}`, at, expiresAt)];
/** A hold booked and paid: opened, charged, confirmed (the whole lifecycle, as the actor records it). */
const confirmed = (bookingId: string, holdId: string, at = T0 + 2 * MIN, amount = 1500): ShowEvent[] => [
  opened(bookingId, holdId, at), started(bookingId, holdId, `att-${bookingId}`, at, T0 + TTL, amount), succeeded(bookingId, `att-${bookingId}`, at),
  { type: "BookingConfirmed", bookingId, holdId, paymentId: `pay-att-${bookingId}`, at },
];
const cancelled = (bookingId: string, at = T0 + HOUR): ShowEvent => ({ type: "BookingCancelled", bookingId, at });

// ---- commands ----
const hold = (holdId: string, userId: string, seats: string[], maxSeats = MAX): ShowCommand =>
  ({ type: "HoldSeats", holdId, userId, seats, quote: quoteFor(seats), ttlMs: TTL, maxSeats });
const release = (holdId: string, userId: string): ShowCommand => ({ type: "ReleaseHold", holdId, userId });
const expire: ShowCommand = { type: "ExpireHolds" };
const open = (bookingId: string, holdId: string, userId: string): ShowCommand => ({ type: "OpenBooking", bookingId, holdId, userId });
const startPayment = (bookingId: string, userId: string, attemptId = "att-1"): ShowCommand => ({ type: "StartPayment", bookingId, userId, attemptId, graceMs: GRACE });
const paid = (bookingId: string, attemptId = "att-1"): ShowCommand =>
  ({ type: "RecordPayment", bookingId, attemptId, outcome: { status: "succeeded", paymentId: `pay-${attemptId}`, card }, refundId: `re-${attemptId}` });
const declined = (bookingId: string, attemptId = "att-1"): ShowCommand =>
  ({ type: "RecordPayment", bookingId, attemptId, outcome: { status: "failed", code: "card_declined", message: "The card was declined" }, refundId: `re-${attemptId}` });
const cancel = (bookingId: string, userId?: string, policy?: { feeShare?: number; feeFixed?: number }): ShowCommand =>
  ({ type: "CancelBooking", bookingId, cutoffMs: CUTOFF, refundId: `re-cancel-${bookingId}`, ...(userId !== undefined ? { userId } : {}), ...(policy ? { policy } : {}) });
const refundOf = (bookingId: string, refundId: string, amount?: number): ShowCommand =>
  ({ type: "RefundBooking", bookingId, refundId, by: "admin-1", ...(amount !== undefined ? { amount } : {}) });
const refundSettled = (bookingId: string, refundId: string, status: "pending" | "succeeded" | "failed"): ShowCommand => ({ type: "RecordRefund", bookingId, refundId, status });

// ---- given / when / then ----
const given = (...events: (ShowEvent | ShowEvent[])[]): ShowState => replay(SHOW, events.flat());

function accepted(t: ExecutionContext, decision: Decision): ShowEvent[] {
  if (!decision.ok) {
    t.fail(`expected the command to be accepted, got ${decision.rejection.code}: ${decision.rejection.message}`);
    return [];
  }
  return decision.events;
}

function rejected<C extends Rejection["code"]>(t: ExecutionContext, decision: Decision, code: C): Extract<Rejection, { code: C }> {
  if (decision.ok) {
    t.fail(`expected ${code}, but the command was accepted with ${JSON.stringify(decision.events.map((e) => e.type))}`);
    throw new Error("accepted");
  }
  t.is(decision.rejection.code, code, decision.rejection.message);
  t.true(decision.rejection.message.length > 0, "every rejection explains itself");
  return decision.rejection as Extract<Rejection, { code: C }>;
}

/** The state after the command's events, for asserting on what an accepted command did. */
const after = (state: ShowState, events: (ShowEvent | ShowEvent[])[]): ShowState => events.flat().reduce(evolve, state);

// ---- scheduling ----

test("an unscheduled show accepts its schedule and then knows its start and which seats are for sale", (t) => {
  const cmd: ShowCommand = { type: "ScheduleShow", showId: SHOW, startsAt: STARTS, seats: LAYOUT };
  const events = accepted(t, decide(initialState(SHOW), cmd, T0));
  t.deepEqual(events, [scheduled()]);
  const state = after(initialState(SHOW), events);
  t.deepEqual(state.schedule, { status: "scheduled", startsAt: STARTS });
  t.deepEqual(initialState(SHOW).schedule, { status: "unscheduled" }, "a show not yet scheduled says so, with no start at all");
  t.deepEqual(state.seats, { A1: true, A2: true, A3: true, A4: true, X1: false });
  t.is(state.version, 1);
});

test("a show cannot be scheduled twice", (t) => {
  const cmd: ShowCommand = { type: "ScheduleShow", showId: SHOW, startsAt: STARTS + HOUR, seats: LAYOUT };
  rejected(t, decide(given(scheduled()), cmd, T0), "ALREADY_SCHEDULED");
});

test("nothing can be held, paid or cancelled on a show that is not scheduled yet", (t) => {
  const empty = initialState(SHOW);
  rejected(t, decide(empty, hold("h1", "u1", ["A1"]), T0), "SHOW_NOT_SCHEDULED");
  rejected(t, decide(empty, expire, T0), "SHOW_NOT_SCHEDULED");
  rejected(t, decide(empty, cancel("b1"), T0), "SHOW_NOT_SCHEDULED");
});

// ---- holding seats ----

test("free seats are held for the user until the hold's time to live runs out, at the quoted price", (t) => {
  const events = accepted(t, decide(given(scheduled()), hold("h1", "u1", ["A1", "A2"]), T0));
  t.deepEqual(events, [{ type: "SeatsHeld", holdId: "h1", userId: "u1", seats: ["A1", "A2"], at: T0, expiresAt: T0 + TTL, quote: quoteFor(["A1", "A2"]) }]);
  const state = after(given(scheduled()), events);
  t.deepEqual(state.claims, { A1: { kind: "hold", id: "h1" }, A2: { kind: "hold", id: "h1" } });
  t.is(holdOfUser(state, "u1")?.id, "h1");
});

test("a hold never outlives the start of the show", (t) => {
  const now = STARTS - 3 * MIN;
  const [event] = accepted(t, decide(given(scheduled()), hold("h1", "u1", ["A1"]), now));
  t.like(event, { type: "SeatsHeld", expiresAt: STARTS });
});

test("a hold is all or nothing: one taken seat refuses the whole hold", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A2"]));
  const rejection = rejected(t, decide(state, hold("h2", "u2", ["A1", "A2", "A3"]), T0 + MIN), "SEAT_UNAVAILABLE");
  t.deepEqual(rejection.seats, [{ seat: "A2", reason: "held" }]);
});

test("a refused hold names each seat that cannot be held and why, and none of the free ones", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), held("h2", "u2", ["A2"]), confirmed("b2", "h2"));
  const rejection = rejected(t, decide(state, hold("h3", "u3", ["A1", "A2", "A3", "Z9", "X1"], 5), T0 + 3 * MIN), "SEAT_UNAVAILABLE");
  t.deepEqual(rejection.seats, [
    { seat: "A1", reason: "held" },
    { seat: "A2", reason: "booked" },
    { seat: "Z9", reason: "unknown" },
    { seat: "X1", reason: "not_for_sale" },
  ]);
});

test("a seat listed twice is refused, naming each duplicate once", (t) => {
  const rejection = rejected(t, decide(given(scheduled()), hold("h1", "u1", ["A1", "A2", "A1", "A1", "A3", "A2"], 6), T0), "DUPLICATE_SEATS");
  t.deepEqual(rejection.seats, ["A1", "A2"]);
});

test("more seats than allowed per hold are refused, telling the limit", (t) => {
  const rejection = rejected(t, decide(given(scheduled()), hold("h1", "u1", ["A1", "A2", "A3"], 2), T0), "TOO_MANY_SEATS");
  t.is(rejection.max, 2);
  accepted(t, decide(given(scheduled()), hold("h1", "u1", ["A1", "A2"], 2), T0));
});

test("a hold's quote must price exactly its seats, of this show, and add up", (t) => {
  const state = given(scheduled());
  const withQuote = (quote: Quote): ShowCommand => ({ type: "HoldSeats", holdId: "h1", userId: "u1", seats: ["A1", "A2"], quote, ttlMs: TTL, maxSeats: MAX });
  rejected(t, decide(state, withQuote(quoteFor(["A1"])), T0), "QUOTE_MISMATCH");
  rejected(t, decide(state, withQuote(quoteFor(["A1", "A3"])), T0), "QUOTE_MISMATCH");
  rejected(t, decide(state, withQuote({ ...quoteFor(["A1", "A2"]), showId: "another-show" }), T0), "QUOTE_MISMATCH");
  rejected(t, decide(state, withQuote({ ...quoteFor(["A1", "A2"]), total: 1 }), T0), "QUOTE_MISMATCH");
  rejected(t, decide(state, withQuote({} as Quote), T0), "QUOTE_MISMATCH");
  accepted(t, decide(state, withQuote(quoteFor(["A2", "A1"])), T0));
});

test("a hold must name at least one seat", (t) => {
  rejected(t, decide(given(scheduled()), hold("h1", "u1", []), T0), "NO_SEATS");
});

test("seats can be held until the show starts, and not from then on", (t) => {
  accepted(t, decide(given(scheduled()), hold("h1", "u1", ["A1"]), STARTS - 1));
  rejected(t, decide(given(scheduled()), hold("h1", "u1", ["A1"]), STARTS), "SHOW_STARTED");
  rejected(t, decide(given(scheduled()), hold("h1", "u1", ["A1"]), STARTS + HOUR), "SHOW_STARTED");
});

test("a user's new hold replaces their old one and may keep some of its seats", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]));
  const now = T0 + 2 * MIN;
  const events = accepted(t, decide(state, hold("h2", "u1", ["A2", "A3"]), now));
  t.deepEqual(events, [
    { type: "HoldReleased", holdId: "h1", reason: "replaced", at: now },
    { type: "SeatsHeld", holdId: "h2", userId: "u1", seats: ["A2", "A3"], at: now, expiresAt: now + TTL, quote: quoteFor(["A2", "A3"]) },
  ]);
  const next = after(state, events);
  t.deepEqual(next.claims, { A2: { kind: "hold", id: "h2" }, A3: { kind: "hold", id: "h2" } });
  t.deepEqual(next.holds.map((h) => h.id), ["h2"]);
  t.is(holdOfUser(next, "u1")?.id, "h2");
  t.like(endedHold(next, "h1"), { userId: "u1", end: "replaced", at: now });
});

test("one user's hold never replaces another user's hold", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]));
  const events = accepted(t, decide(state, hold("h2", "u2", ["A2"]), T0 + MIN));
  t.deepEqual(events.map((e) => e.type), ["SeatsHeld"]);
  t.deepEqual(after(state, events).holds.map((h) => h.id).sort(), ["h1", "h2"]);
});

test("a user cannot hold other seats while their current hold is being paid for", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), paymentStarted("h1"));
  rejected(t, decide(state, hold("h2", "u1", ["A2"]), T0 + 2 * MIN), "HOLD_IN_PAYMENT");
});

test("a retried hold with the same hold id is accepted and records nothing new", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]));
  t.deepEqual(accepted(t, decide(state, hold("h1", "u1", ["A1", "A2"]), T0 + MIN)), []);
});

// A retry that arrives after its hold ended (expired, released, replaced) must not create a
// fresh hold under the old id: a late retry of an expired hold could then be confirmed.
test("a retried hold never brings back a hold that has ended", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), expired("h1"));
  const decision = decide(state, hold("h1", "u1", ["A1"]), T0 + TTL + MIN);
  t.false(decision.ok && decision.events.length > 0, "the expired hold h1 was held again");
});

test("a hold id that belongs to another user is not found", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]));
  rejected(t, decide(state, hold("h1", "u2", ["A3"]), T0 + MIN), "HOLD_NOT_FOUND");
});

test("seats of a lapsed hold become free for others once the hold is swept", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), expired("h1"));
  const events = accepted(t, decide(state, hold("h2", "u2", ["A1"]), T0 + TTL + MIN));
  t.deepEqual(events.map((e) => e.type), ["SeatsHeld"]);
});

// ---- releasing ----

test("a user can release their own hold, which frees its seats", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]));
  const now = T0 + 3 * MIN;
  const events = accepted(t, decide(state, release("h1", "u1"), now));
  t.deepEqual(events, [{ type: "HoldReleased", holdId: "h1", reason: "released", at: now }]);
  const next = after(state, events);
  t.deepEqual(next.claims, {});
  t.deepEqual(next.holds, []);
  t.is(holdOfUser(next, "u1"), undefined);
  t.deepEqual(endedHold(next, "h1"), { userId: "u1", seats: ["A1", "A2"], end: "released", at: now });
});

test("releasing a hold again is accepted and records nothing new", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), released("h1"));
  t.deepEqual(accepted(t, decide(state, release("h1", "u1"), T0 + 2 * MIN)), []);
});

test("another user's hold cannot be released: it is not found, active or ended", (t) => {
  rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"])), release("h1", "u2"), T0 + MIN), "HOLD_NOT_FOUND");
  rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"]), released("h1")), release("h1", "u2"), T0 + 2 * MIN), "HOLD_NOT_FOUND");
  rejected(t, decide(given(scheduled()), release("nope", "u1"), T0), "HOLD_NOT_FOUND");
});

test("a hold being paid for cannot be released", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), paymentStarted("h1"));
  rejected(t, decide(state, release("h1", "u1"), T0 + 2 * MIN), "HOLD_IN_PAYMENT");
});

test("releasing a lapsed hold says it expired, whether or not it was swept yet", (t) => {
  rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"])), release("h1", "u1"), T0 + TTL), "HOLD_EXPIRED");
  rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"]), expired("h1")), release("h1", "u1"), T0 + TTL), "HOLD_EXPIRED");
});

test("releasing a hold that was replaced says how it ended", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), { type: "HoldReleased", holdId: "h1", reason: "replaced", at: T0 + MIN }, held("h2", "u1", ["A2"], T0 + MIN));
  const rejection = rejected(t, decide(state, release("h1", "u1"), T0 + 2 * MIN), "HOLD_ENDED");
  t.is(rejection.end, "replaced");
});

// ---- expiry ----

test("the sweep expires exactly the holds whose deadline has come, paying or not", (t) => {
  const state = given(
    scheduled(),
    held("early", "u1", ["A1"], T0, T0 + 5 * MIN),
    held("due", "u2", ["A2"], T0, T0 + 7 * MIN),
    held("paying", "u3", ["A3"], T0, T0 + 6 * MIN),
    paymentStarted("paying", T0 + MIN, T0 + 6 * MIN),
    held("later", "u4", ["A4"], T0, T0 + 7 * MIN + 1),
  );
  const now = T0 + 7 * MIN;
  const events = accepted(t, decide(state, expire, now));
  t.deepEqual(events.map((e) => (e.type === "HoldExpired" ? e.holdId : e.type)).sort(), ["due", "early", "paying"]);
  t.true(events.every((e) => e.type === "HoldExpired" && e.at === now));
  const next = after(state, events);
  t.deepEqual(next.holds.map((h) => h.id), ["later"]);
  t.deepEqual(next.claims, { A4: { kind: "hold", id: "later" } });
  t.is(endedHold(next, "due")?.end, "expired");
});

test("a sweep with nothing due records nothing", (t) => {
  t.deepEqual(accepted(t, decide(given(scheduled(), held("h1", "u1", ["A1"])), expire, T0 + TTL - 1)), []);
});

test("an expired hold can never be booked or paid for, before or after the sweep", (t) => {
  const lapsed = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"));
  rejected(t, decide(lapsed, startPayment("b1", "u1"), T0 + TTL), "HOLD_EXPIRED");
  rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"])), open("b1", "h1", "u1"), T0 + TTL), "HOLD_EXPIRED");
  const swept = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), expired("h1"));
  rejected(t, decide(swept, startPayment("b1", "u1"), T0 + TTL + MIN), "HOLD_EXPIRED");
  t.is(swept.bookings.b1?.stage, "expired", "the booking ended with its hold");
});

// ---- opening a booking ----

test("a booking opens on the customer's active hold for exactly its seats and quote, awaiting payment", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]));
  const events = accepted(t, decide(state, open("b1", "h1", "u1"), T0 + MIN));
  t.deepEqual(events, [{ type: "BookingOpened", bookingId: "b1", holdId: "h1", at: T0 + MIN }]);
  const next = after(state, events);
  t.like(next.bookings.b1, { holdId: "h1", userId: "u1", seats: ["A1", "A2"], amount: 3000, currency: "EUR", stage: "pending_payment", attempts: [], refunds: [] });
  t.is(activeHold(next, "h1")?.bookingId, "b1");
  t.is(bookingOf(next, "b1", "u1")?.status, "pending_payment");
});

test("a hold has at most one booking; the same booking asked for again records nothing", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"));
  t.deepEqual(accepted(t, decide(state, open("b1", "h1", "u1"), T0 + 2 * MIN)), []);
  t.is(rejected(t, decide(state, open("b2", "h1", "u1"), T0 + 2 * MIN), "BOOKING_EXISTS").bookingId, "b1");
  const booked = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"));
  t.is(rejected(t, decide(booked, open("b2", "h1", "u1"), T0 + 3 * MIN), "BOOKING_EXISTS").bookingId, "b1");
});

test("no one can open a booking on another user's hold, nor on a released one", (t) => {
  rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"])), open("b1", "h1", "u2"), T0 + MIN), "HOLD_NOT_FOUND");
  t.is(rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"]), released("h1")), open("b1", "h1", "u1"), T0 + 2 * MIN), "HOLD_ENDED").end, "released");
});

// ---- paying ----

test("a payment attempt is recorded before the charge, extends the hold by the grace period and locks it", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"));
  const now = T0 + 8 * MIN;
  const events = accepted(t, decide(state, startPayment("b1", "u1", "att-1"), now));
  t.deepEqual(events, [{ type: "PaymentStarted", bookingId: "b1", holdId: "h1", attemptId: "att-1", amount: 1500, expiresAt: now + GRACE, at: now }]);
  const next = after(state, events);
  t.like(activeHold(next, "h1"), { paying: true, extended: true, expiresAt: now + GRACE, attemptId: "att-1" });
  t.like(bookingOf(next, "b1"), { status: "pending_payment", paymentInProgress: true, payment: { attemptId: "att-1", status: "processing" } });
  rejected(t, decide(next, release("h1", "u1"), now), "HOLD_IN_PAYMENT");
  rejected(t, decide(next, { type: "ForceExpireHold", holdId: "h1" }, now), "HOLD_IN_PAYMENT");
  rejected(t, decide(next, hold("h2", "u1", ["A2"]), now), "HOLD_IN_PAYMENT");
});

test("starting a payment never shortens a hold, nor stretches it past the show's start", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"));
  t.like(accepted(t, decide(state, startPayment("b1", "u1"), T0 + MIN))[0], { type: "PaymentStarted", expiresAt: T0 + TTL });
  const late = given(scheduled(), held("h1", "u1", ["A1"], STARTS - 4 * MIN, STARTS - MIN), opened("b1", "h1", STARTS - 3 * MIN));
  t.like(accepted(t, decide(late, startPayment("b1", "u1"), STARTS - 2 * MIN))[0], { type: "PaymentStarted", expiresAt: STARTS });
});

test("the hold is extended only once: a payment after a declined one keeps the deadline", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), started("b1", "h1", "att-1", T0 + 9 * MIN, T0 + 14 * MIN), failed("b1", "att-1", T0 + 10 * MIN));
  const [event] = accepted(t, decide(state, startPayment("b1", "u1", "att-2"), T0 + 12 * MIN));
  t.like(event, { type: "PaymentStarted", attemptId: "att-2", expiresAt: T0 + 14 * MIN });
});

test("a retried attempt records nothing new; any other attempt waits while one is in flight", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), started("b1", "h1", "att-1"));
  t.deepEqual(accepted(t, decide(state, startPayment("b1", "u1", "att-1"), T0 + 2 * MIN)), []);
  t.is(rejected(t, decide(state, startPayment("b1", "u1", "att-2"), T0 + 2 * MIN), "PAYMENT_IN_PROGRESS").bookingId, "b1");
});

test("no one can pay for another user's booking", (t) => {
  rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1")), startPayment("b1", "u2"), T0 + MIN), "BOOKING_NOT_FOUND");
});

test("a charge that went through confirms the booking: its seats are booked at the price quoted when they were held", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]), opened("b1", "h1"), started("b1", "h1", "att-1", T0 + MIN, T0 + TTL, 3000));
  const now = T0 + 4 * MIN;
  const events = accepted(t, decide(state, paid("b1"), now));
  t.deepEqual(events, [
    { type: "PaymentSucceeded", bookingId: "b1", attemptId: "att-1", paymentId: "pay-att-1", card, at: now },
    { type: "BookingConfirmed", bookingId: "b1", holdId: "h1", paymentId: "pay-att-1", at: now },
  ]);
  const next = after(state, events);
  t.like(next.bookings.b1, { stage: "confirmed", paymentId: "pay-att-1", confirmedAt: now, amount: 3000, quote: quoteFor(["A1", "A2"]) });
  t.deepEqual(next.claims, { A1: { kind: "booking", id: "b1" }, A2: { kind: "booking", id: "b1" } });
  t.deepEqual(next.holds, []);
  t.like(endedHold(next, "h1"), { end: "booked", bookingId: "b1" });
  t.like(bookingOf(next, "b1", "u1"), { status: "confirmed", paymentInProgress: false, payment: { id: "pay-att-1", status: "succeeded", card } });
  // Paying a confirmed booking again charges nothing.
  t.deepEqual(accepted(t, decide(next, startPayment("b1", "u1", "att-2"), now)), []);
});

test("the first word on an attempt stands: a retried outcome records nothing", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), started("b1", "h1", "att-1"), succeeded("b1", "att-1"), confirmed("b1", "h1").at(-1)!);
  t.deepEqual(accepted(t, decide(state, paid("b1"), T0 + 3 * MIN)), []);
  t.deepEqual(accepted(t, decide(state, declined("b1"), T0 + 3 * MIN)), []);
  rejected(t, decide(state, paid("b1", "att-9"), T0 + 3 * MIN), "ATTEMPT_NOT_FOUND");
});

test("a declined charge frees the hold for another attempt and says why", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), started("b1", "h1", "att-1"));
  const events = accepted(t, decide(state, declined("b1"), T0 + 2 * MIN));
  t.deepEqual(events.map((e) => e.type), ["PaymentFailed"]);
  const next = after(state, events);
  t.false(activeHold(next, "h1")?.paying);
  t.like(bookingOf(next, "b1"), { status: "payment_failed", reason: "The card was declined", paymentInProgress: false });
  t.deepEqual(accepted(t, decide(next, startPayment("b1", "u1", "att-2"), T0 + 3 * MIN)).map((e) => e.type), ["PaymentStarted"]);
});

test("money that arrives after the hold ran out is refunded in full at once, and the seats stay free", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), started("b1", "h1", "att-1", T0 + MIN, T0 + TTL), expired("h1", T0 + TTL));
  t.is(state.bookings.b1?.stage, "expired");
  t.like(bookingOf(state, "b1"), { status: "expired", paymentInProgress: true });
  const now = T0 + TTL + MIN;
  const events = accepted(t, decide(state, paid("b1"), now));
  t.deepEqual(events.map((e) => e.type), ["PaymentSucceeded", "RefundRequested"]);
  t.like(events[1], { refundId: "re-att-1", paymentId: "pay-att-1", amount: 1500, reason: "seats_not_confirmed" });
  const next = after(state, events);
  t.deepEqual(next.claims, {});
  t.like(bookingOf(next, "b1"), { status: "refunded", refunded: 1500, refund: { status: "requested" } });
  const settled = after(next, accepted(t, decide(next, refundSettled("b1", "re-att-1", "succeeded"), now)));
  t.like(bookingOf(settled, "b1")?.refund, { status: "succeeded", amount: 1500 });
});

// ---- cancelling ----

test("cancelling an unpaid booking lets its hold go", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"));
  const events = accepted(t, decide(state, cancel("b1", "u1"), T0 + 2 * MIN));
  t.deepEqual(events.map((e) => e.type), ["BookingCancelled", "HoldReleased"]);
  const next = after(state, events);
  t.deepEqual(next.claims, {});
  t.like(bookingOf(next, "b1"), { status: "cancelled", reason: "Cancelled before payment", refunds: [] });
});

test("a booking whose payment is in flight cannot be cancelled until the payment has finished", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), started("b1", "h1", "att-1"));
  t.is(rejected(t, decide(state, cancel("b1", "u1"), T0 + 2 * MIN), "PAYMENT_IN_PROGRESS").bookingId, "b1");
  rejected(t, decide(state, cancel("b1"), T0 + 2 * MIN), "PAYMENT_IN_PROGRESS");
});

test("a user can cancel their booking up to the cut-off: the seats are freed and the payment refunded in full", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]), confirmed("b1", "h1", T0 + 2 * MIN, 3000));
  const now = STARTS - CUTOFF;
  const events = accepted(t, decide(state, cancel("b1", "u1"), now));
  t.deepEqual(events, [
    { type: "BookingCancelled", bookingId: "b1", at: now },
    { type: "RefundRequested", bookingId: "b1", refundId: "re-cancel-b1", paymentId: "pay-att-b1", amount: 3000, reason: "requested_by_customer", at: now },
  ]);
  const next = after(state, events);
  t.like(next.bookings.b1, { stage: "cancelled", cancelledAt: now });
  t.deepEqual(next.claims, {});
  t.deepEqual(accepted(t, decide(next, hold("h2", "u2", ["A1", "A2"]), now)).map((e) => e.type), ["SeatsHeld"]);
});

test("a cinema's cancellation fee is kept: the larger of its share and its fixed amount", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]), confirmed("b1", "h1", T0 + 2 * MIN, 3000));
  t.deepEqual(accepted(t, decide(state, cancel("b1", "u1", { feeShare: 0.1 }), T0 + HOUR))[0], { type: "BookingCancelled", bookingId: "b1", at: T0 + HOUR, fee: 300 });
  t.like(accepted(t, decide(state, cancel("b1", "u1", { feeShare: 0.1 }), T0 + HOUR))[1], { amount: 2700 });
  t.like(accepted(t, decide(state, cancel("b1", "u1", { feeShare: 0.1, feeFixed: 500 }), T0 + HOUR))[1], { amount: 2500 });
  t.deepEqual(accepted(t, decide(state, cancel("b1", "u1", { feeFixed: 5000 }), T0 + HOUR)).map((e) => e.type), ["BookingCancelled"], "nothing left to refund");
});

test("after the cut-off a booking can no longer be cancelled", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"));
  const rejection = rejected(t, decide(state, cancel("b1", "u1"), STARTS - CUTOFF + 1), "CANCEL_WINDOW_CLOSED");
  t.is(rejection.cutoffAt, STARTS - CUTOFF);
  rejected(t, decide(state, cancel("b1"), STARTS - CUTOFF + 1), "CANCEL_WINDOW_CLOSED");
});

test("an admin can cancel anyone's booking", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"));
  t.deepEqual(accepted(t, decide(state, cancel("b1"), T0 + HOUR)).map((e) => e.type), ["BookingCancelled", "RefundRequested"]);
});

test("an expired booking has nothing to cancel", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), expired("h1"));
  rejected(t, decide(state, cancel("b1", "u1"), T0 + HOUR), "BOOKING_NOT_CANCELLABLE");
});

test("a customer's booked seats are those of their confirmed bookings, not cancelled ones nor anyone else's", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]), confirmed("b1", "h1"), held("h2", "u2", ["A3"]), confirmed("b2", "h2"),
    held("h3", "u1", ["A4"]), confirmed("b3", "h3"), cancelled("b3", T0 + HOUR));
  t.deepEqual(seatsBookedBy(state, "u1"), ["A1", "A2"]);
  t.deepEqual(seatsBookedBy(state, "u2"), ["A3"]);
  t.deepEqual(seatsBookedBy(state, "u9"), []);
});

test("a user cannot cancel another user's booking, nor one that does not exist", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"));
  rejected(t, decide(state, cancel("b1", "u2"), T0 + HOUR), "BOOKING_NOT_FOUND");
  rejected(t, decide(state, cancel("b9", "u1"), T0 + HOUR), "BOOKING_NOT_FOUND");
  rejected(t, decide(state, cancel("b9"), T0 + HOUR), "BOOKING_NOT_FOUND");
});

test("cancelling a cancelled booking again is accepted and records nothing, even after the cut-off", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"), cancelled("b1"));
  t.deepEqual(accepted(t, decide(state, cancel("b1", "u1"), T0 + 2 * HOUR)), []);
  t.deepEqual(accepted(t, decide(state, cancel("b1", "u1"), STARTS)), []);
});

// ---- refunds ----

test("an admin refunds part of a paid booking, then the rest, and never more than was charged", (t) => {
  let state = given(scheduled(), held("h1", "u1", ["A1", "A2"]), confirmed("b1", "h1", T0 + 2 * MIN, 3000));
  state = after(state, accepted(t, decide(state, refundOf("b1", "re-1", 1000), T0 + HOUR)));
  t.like(state.bookings.b1?.refunds[0], { amount: 1000, reason: "requested_by_admin", by: "admin-1", status: "requested" });
  t.is(state.bookings.b1?.stage, "confirmed", "the seats stay booked");
  t.is(rejected(t, decide(state, refundOf("b1", "re-2", 2001), T0 + HOUR), "REFUND_EXCEEDS_PAYMENT").refundable, 2000);
  t.deepEqual(accepted(t, decide(state, refundOf("b1", "re-1", 1000), T0 + HOUR)), [], "a retried refund records nothing");
  state = after(state, accepted(t, decide(state, refundOf("b1", "re-2"), T0 + HOUR)));
  t.is(state.bookings.b1?.refunds[1]?.amount, 2000);
  rejected(t, decide(state, refundOf("b1", "re-3", 1), T0 + HOUR), "NOTHING_TO_REFUND");
  rejected(t, decide(given(scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1")), refundOf("b1", "re-1"), T0 + HOUR), "NOTHING_TO_REFUND");
});

test("a refund the processor reports pending settles later; a settled one stays settled", (t) => {
  const base = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"), cancelled("b1"),
    { type: "RefundRequested", bookingId: "b1", refundId: "re-1", paymentId: "pay-att-b1", amount: 1500, reason: "requested_by_customer", at: T0 + HOUR });
  const pending = after(base, accepted(t, decide(base, refundSettled("b1", "re-1", "pending"), T0 + HOUR)));
  t.is(pending.bookings.b1?.refunds[0]?.status, "pending");
  const done = after(pending, accepted(t, decide(pending, refundSettled("b1", "re-1", "succeeded"), T0 + 2 * HOUR)));
  t.like(done.bookings.b1?.refunds[0], { status: "succeeded", settledAt: T0 + 2 * HOUR });
  t.deepEqual(accepted(t, decide(done, refundSettled("b1", "re-1", "pending"), T0 + 3 * HOUR)), []);
  rejected(t, decide(done, refundSettled("b1", "re-9", "succeeded"), T0 + 3 * HOUR), "REFUND_NOT_FOUND");
});

// ---- the published price ----

test("a published price is recorded once, with when, so the hourly cap starts from one place", (t) => {
  const state = given(scheduled());
  const events = accepted(t, decide(state, { type: "PublishPrice", multiplier: 1.2 }, T0));
  t.deepEqual(events, [{ type: "PricePublished", multiplier: 1.2, at: T0 }]);
  const next = after(state, events);
  t.deepEqual(next.published, { multiplier: 1.2, at: T0 });
  t.deepEqual(accepted(t, decide(next, { type: "PublishPrice", multiplier: 1.2 }, T0 + HOUR)), [], "the same price again keeps its time");
  t.deepEqual(demand(next, T0, 30 * MIN).published, { multiplier: 1.2, at: T0 });
  rejected(t, decide(given(), { type: "PublishPrice", multiplier: 1 }, T0), "SHOW_NOT_SCHEDULED");
});

test("a hold priced at a new multiplier records it in the same step, so the next price caps from what was sold", (t) => {
  const state = given(scheduled(), { type: "PricePublished", multiplier: 1, at: T0 - HOUR });
  const command: ShowCommand = { type: "HoldSeats", holdId: "h1", userId: "u1", seats: ["A1"], quote: quoteFor(["A1"]), ttlMs: TTL, maxSeats: MAX, published: 1.1 };
  const events = accepted(t, decide(state, command, T0));
  t.deepEqual(events.map((e) => e.type), ["PricePublished", "SeatsHeld"]);
  const next = after(state, events);
  t.deepEqual(next.published, { multiplier: 1.1, at: T0 });
  const again = accepted(t, decide(next, { ...command, holdId: "h2", userId: "u2", seats: ["A2"], quote: quoteFor(["A2"]) }, T0 + MIN));
  t.deepEqual(again.map((e) => e.type), ["SeatsHeld"], "the same price again records nothing new");
  rejected(t, decide(next, { ...command, holdId: "h3", userId: "u3", seats: ["A1"] }, T0 + MIN), "SEAT_UNAVAILABLE");
});

// ---- journal ----

test("every applied event moves the version on by one, and replay rebuilds the same state", (t) => {
  const journal: ShowEvent[] = [
    scheduled(), held("h1", "u1", ["A1"]), opened("b1", "h1"), started("b1", "h1", "att-0"), failed("b1", "att-0"), ...confirmed("b1", "h1").slice(1), held("h2", "u2", ["A2"]), released("h2"),
    held("h3", "u3", ["A3"]), expired("h3"), held("h4", "u1", ["A4"]), { type: "HoldReleased", holdId: "h4", reason: "replaced", at: T0 + 3 * MIN },
    cancelled("b1"),
  ];
  const state = given(...journal);
  t.is(state.version, journal.length);
  t.deepEqual(replay(SHOW, JSON.parse(JSON.stringify(journal)) as ShowEvent[]), state);
  t.deepEqual(replay(SHOW, journal.slice(3), given(...journal.slice(0, 3))), state);
});

// ---- views ----

test("each seat shows as available, held, booked or not for sale", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), held("h2", "u2", ["A2"]), confirmed("b2", "h2"));
  t.deepEqual(seatStatuses(state), { A1: "held", A2: "booked", A3: "available", A4: "available", X1: "not_for_sale" });
});

test("a batch of events touches exactly the seats it changed, also those of holds it ended", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]), held("h2", "u2", ["A3"]), confirmed("b2", "h2"));
  const batch = [released("h1"), held("h3", "u3", ["A4"])];
  t.deepEqual([...seatsTouched(after(state, batch), batch)].sort(), ["A1", "A2", "A4"]);
  t.deepEqual([...seatsTouched(after(state, [confirmed("b1", "h1")]), confirmed("b1", "h1"))].sort(), ["A1", "A2"]);
  t.deepEqual([...seatsTouched(after(state, [cancelled("b2")]), [cancelled("b2")])], ["A3"]);
  t.deepEqual([...seatsTouched(after(state, [paymentStarted("h1")]), paymentStarted("h1"))], [], "a payment starting changes no seat's status");
});

test("a user sees their own hold, active or being paid, but not another user's", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]));
  t.deepEqual(holdView(state, "h1", "u1"), {
    id: "h1", showId: SHOW, userId: "u1", seats: ["A1", "A2"], status: "active",
    heldAt: new Date(T0).toISOString(), expiresAt: new Date(T0 + TTL).toISOString(), quote: quoteFor(["A1", "A2"]),
  });
  t.is(holdView(state, "h1", "u2"), undefined);
  t.is(holdView(state, "h9", "u1"), undefined);
  t.is(holdView(state, "h1")?.userId, "u1", "without a user (admin) any hold is visible");
  t.is(holdView(after(state, [paymentStarted("h1")]), "h1", "u1")?.status, "paying");
});

test("an ended hold tells its owner how it ended, and a booked one which booking it became", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), released("h1"), held("h2", "u2", ["A2"]), expired("h2"), held("h3", "u3", ["A3"]), confirmed("b3", "h3"));
  t.deepEqual(holdView(state, "h1", "u1"), { id: "h1", showId: SHOW, userId: "u1", seats: ["A1"], status: "released" });
  t.is(holdView(state, "h2", "u2")?.status, "expired");
  t.like(holdView(state, "h3", "u3"), { status: "booked", bookingId: "b3" });
  t.is(holdView(state, "h3", "u1"), undefined);
});

test("a booking is visible to its owner and to an admin only", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"));
  t.is(bookingOf(state, "b1", "u1")?.id, "b1");
  t.is(bookingOf(state, "b1")?.id, "b1");
  t.is(bookingOf(state, "b1", "u2"), undefined);
  t.is(bookingOf(state, "b2", "u1"), undefined);
});

test("occupancy counts seats for sale as held, booked or available", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), held("h2", "u2", ["A2", "A3"]), confirmed("b2", "h2"));
  t.deepEqual(occupancy(state), { total: 5, forSale: 4, held: 1, booked: 2, available: 1 });
  t.deepEqual(occupancy(after(state, [cancelled("b2")])), { total: 5, forSale: 4, held: 1, booked: 0, available: 3 });
});

test("demand counts claimed seats, and as recent those claimed since the window opened (inclusive)", (t) => {
  const state = given(
    scheduled(),
    held("old", "u1", ["A1"], T0, T0 + 2 * HOUR),
    held("h2", "u2", ["A2", "A3"], T0 + 50 * MIN, T0 + 2 * HOUR),
    confirmed("b2", "h2", T0 + 55 * MIN),
    held("h4", "u4", ["A4"], T0 + 30 * MIN, T0 + 2 * HOUR),
  );
  t.deepEqual(demand(state, T0 + HOUR, 30 * MIN), { forSale: 4, claimed: 4, recentlyClaimed: 3 });
  t.deepEqual(demand(after(state, [cancelled("b2", T0 + HOUR)]), T0 + HOUR, 30 * MIN), { forSale: 4, claimed: 2, recentlyClaimed: 1 });
});

test("booking history records, per sold seat, how many hours before the start it was booked", (t) => {
  const state = given(
    scheduled(),
    held("h1", "u1", ["A1", "A2"], STARTS - 3 * HOUR, STARTS - 3 * HOUR + TTL), confirmed("b1", "h1", STARTS - 3 * HOUR),
    held("h2", "u2", ["A3"], STARTS - 90 * MIN, STARTS - 80 * MIN), confirmed("b2", "h2", STARTS - 90 * MIN),
    held("h3", "u3", ["A4"], T0, T0 + TTL), confirmed("b3", "h3", T0), cancelled("b3", T0 + HOUR),
  );
  const history = bookingHistory(state);
  t.is(history.capacity, 4);
  t.deepEqual([...history.claimHoursBefore].sort(), [1.5, 3, 3]);
});

test("ending a hold copies only its own bucket of ended holds, so a show with a long history stays fast", (t) => {
  let state = replay("s1", [{ type: "ShowScheduled", showId: "s1", startsAt: Date.now() + 86_400_000, seats: ["A1"], notForSale: [] }]);
  const quoteOf = { showId: "s1", currency: "INR", total: 1, seatPrices: {}, lines: [], quotedAt: "" };
  for (let i = 0; i < 2000; i++) {
    state = evolve(state, { type: "SeatsHeld", holdId: `h${i}`, userId: `u${i}`, seats: ["A1"], at: 0, expiresAt: 1, quote: quoteOf });
    state = evolve(state, { type: "HoldExpired", holdId: `h${i}`, at: 1 });
  }
  const before = state;
  state = evolve(state, { type: "SeatsHeld", holdId: "last", userId: "u", seats: ["A1"], at: 2, expiresAt: 3, quote: quoteOf });
  state = evolve(state, { type: "HoldReleased", holdId: "last", reason: "released", at: 2 });
  const buckets = (s: typeof state) => s.endedHolds.flatMap((chunk, c) => (chunk ?? []).map((bucket, b) => ({ at: `${c}/${b}`, bucket })));
  const earlier = new Map(buckets(before).map(({ at, bucket }) => [at, bucket]));
  const changed = buckets(state).filter(({ at, bucket }) => bucket !== earlier.get(at));
  t.is(changed.length, 1);
  t.true(buckets(before).filter(({ bucket }) => bucket).length > 100, "2,000 ended holds are spread over many buckets");
  t.is(endedHold(state, "last")?.end, "released");
  t.is(endedHold(state, "h1999")?.end, "expired");
});

// ---- admission at the door ----
const admit = (bookingId: string, door: string, usherId = "usher-1"): ShowCommand => ({ type: "AdmitTicket", bookingId, door, usherId });

test("a confirmed ticket is admitted once; a second scan at any door is refused, naming the first door and time", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1", "A2"]), confirmed("b1", "h1"));
  const at = STARTS - 20 * MIN;
  const events = accepted(t, decide(state, admit("b1", "Door 2"), at));
  t.deepEqual(events, [{ type: "TicketAdmitted", bookingId: "b1", door: "Door 2", usherId: "usher-1", at }]);
  const next = events.reduce(evolve, state);
  t.deepEqual(next.bookings.b1!.admitted, { at, door: "Door 2", usherId: "usher-1" });
  const again = rejected(t, decide(next, admit("b1", "Door 1", "usher-2"), at + MIN), "TICKET_ALREADY_ADMITTED");
  t.deepEqual(again.admitted, { at, door: "Door 2", usherId: "usher-1" });
  t.regex(again.message, /Door 2/);
});

test("a cancelled or unknown booking is not admitted", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"), cancelled("b1"));
  rejected(t, decide(state, admit("b1", "Door 1"), STARTS - MIN), "TICKET_CANCELLED");
  rejected(t, decide(state, admit("b-none", "Door 1"), STARTS - MIN), "BOOKING_NOT_FOUND");
});

test("admitting moves no seat: the seat map does not change", (t) => {
  const state = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"));
  const events = accepted(t, decide(state, admit("b1", "Door 1"), STARTS - MIN));
  t.deepEqual(seatStatuses(events.reduce(evolve, state)), seatStatuses(state));
  t.deepEqual([...seatsTouched(state, events)], []);
});

// ---- best available ----
const ROWS = [{ row: "A", seats: ["A1", "A2", "A3", "A4"].map((id, column) => ({ id, column, category: "standard" })) }];
const holdBest = (holdId: string, userId: string, seats: string[], count: number): ShowCommand =>
  ({ ...hold(holdId, userId, seats), best: { category: "standard", count, rows: ROWS } } as ShowCommand);

test("best available holds the pick when it is still the best, in the same step", (t) => {
  const state = given(scheduled());
  const events = accepted(t, decide(state, holdBest("h1", "u1", ["A1", "A2"], 2), T0));
  t.like(events[0], { type: "SeatsHeld", seats: ["A1", "A2"] });
});

test("best available holds the best seats now when someone overtook the pick, at the same quoted price", (t) => {
  // u2 took A1-A2 after u1's pick was made: the best two are now A3-A4, priced the same.
  const state = given(scheduled(), held("h2", "u2", ["A1", "A2"]));
  const events = accepted(t, decide(state, holdBest("h1", "u1", ["A1", "A2"], 2), T0 + 1));
  t.like(events[0], { type: "SeatsHeld", seats: ["A3", "A4"] });
  const quote = (events[0] as Extract<ShowEvent, { type: "SeatsHeld" }>).quote;
  t.deepEqual(quote.lines.map((l) => l.seat), ["A3", "A4"]);
  t.deepEqual(quote.seatPrices, { A3: 1500, A4: 1500 });
  t.is(quote.total, 3000);
  rejected(t, decide(state, holdBest("h1", "u1", ["A3", "A4"], 3), T0 + 1), "NO_BEST_SEATS");
});

test("best available asks the caller to quote again when the moved pick cannot keep the quoted price", (t) => {
  const state = given(scheduled(), held("h2", "u2", ["A1", "A2"]));
  const uneven = { ...quoteFor(["A1", "A2"]), seatPrices: { A1: 1500, A2: 1800 } };
  const cmd = { ...holdBest("h1", "u1", ["A1", "A2"], 2), quote: uneven } as ShowCommand;
  t.deepEqual(rejected(t, decide(state, cmd, T0 + 1), "BEST_SEATS_MOVED").seats, ["A3", "A4"]);
});

test("a ticket that was let in cannot be cancelled and refunded", (t) => {
  const at = STARTS - 3 * HOUR;
  const state = given(scheduled(), held("h1", "u1", ["A1"]), confirmed("b1", "h1"), { type: "TicketAdmitted", bookingId: "b1", door: "Door 1", usherId: "usher-1", at });
  t.like(rejected(t, decide(state, cancel("b1", "u1"), at + MIN), "TICKET_ALREADY_ADMITTED").admitted, { door: "Door 1" });
});
