// During an on-sale the show's actor caps the tickets one account has on the show, across its
// holds and its bookings: given these events, when this hold, then these events or TICKET_LIMIT.
import test from "ava";
import { decide, replay } from "../../../domain/show/decider.ts";
import type { Quote } from "../../../domain/pricing/quote.ts";
import type { ShowCommand, ShowEvent } from "../../../domain/show/types.ts";

const T0 = Date.UTC(2030, 5, 1, 10, 0, 0);
const SEATS = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"];
const quote: Quote = { showId: "s", currency: "INR", total: 0, seatPrices: {}, lines: [], quotedAt: new Date(T0).toISOString() };

const history = (...events: ShowEvent[]) =>
  replay("s", [{ type: "ShowScheduled", showId: "s", startsAt: T0 + 86_400_000, seats: SEATS, notForSale: [] }, ...events]);
const bought = (n: number, userId: string, seats: string[]): ShowEvent[] => [
  { type: "SeatsHeld", holdId: `h${n}`, userId, seats, at: T0, expiresAt: T0 + 600_000, quote },
  { type: "BookingConfirmed", bookingId: `b${n}`, holdId: `h${n}`, paymentId: `p${n}`, at: T0 + 1 },
];
// The hold's own quote prices exactly its seats, as the decider insists.
const quoteOf = (seats: string[]): Quote => ({ ...quote, total: 100 * seats.length, seatPrices: Object.fromEntries(seats.map((seat) => [seat, 100])) });
const holdUpTo4 = (holdId: string, userId: string, seats: string[]): ShowCommand =>
  ({ type: "HoldSeats", holdId, userId, seats, quote: quoteOf(seats), ttlMs: 600_000, maxSeats: 10, maxPerAccount: 4 });

test("a hold over the limit is refused with TICKET_LIMIT", (t) => {
  const decision = decide(history(), holdUpTo4("h1", "ada", ["A1", "A2", "A3", "A4", "A5"]), T0);
  t.like(decision, { ok: false, rejection: { code: "TICKET_LIMIT", max: 4, booked: 0 } });
});

test("bookings count toward the limit: 3 booked leaves room for 1", (t) => {
  const state = history(...bought(1, "ada", ["A1", "A2", "A3"]));
  t.like(decide(state, holdUpTo4("h2", "ada", ["A4", "A5"]), T0 + 2), { ok: false, rejection: { code: "TICKET_LIMIT", booked: 3 } });
  t.like(decide(state, holdUpTo4("h2", "ada", ["A4"]), T0 + 2), { ok: true });
});

test("bookings made over several holds add up, and cancelled ones do not count", (t) => {
  const state = history(...bought(1, "ada", ["A1", "A2"]), ...bought(2, "ada", ["A3", "A4"]));
  t.like(decide(state, holdUpTo4("h3", "ada", ["A5"]), T0 + 2), { ok: false, rejection: { code: "TICKET_LIMIT", booked: 4 } });
  const afterCancel = replay("s", [{ type: "BookingCancelled", bookingId: "b1", at: T0 + 3 }], state);
  t.like(decide(afterCancel, holdUpTo4("h3", "ada", ["A5", "A6"]), T0 + 4), { ok: true });
});

test("a new hold replaces the account's previous one, so the previous hold's seats do not count twice", (t) => {
  const state = history({ type: "SeatsHeld", holdId: "h1", userId: "ada", seats: ["A1", "A2", "A3"], at: T0, expiresAt: T0 + 600_000, quote });
  t.like(decide(state, holdUpTo4("h2", "ada", ["A4", "A5", "A6", "A7"]), T0 + 1), { ok: true });
});

test("another account's tickets do not count against mine", (t) => {
  const state = history(...bought(1, "bob", ["A1", "A2", "A3", "A4"]));
  t.like(decide(state, holdUpTo4("h2", "ada", ["A5", "A6", "A7", "A8"]), T0 + 2), { ok: true });
});

test("without an on-sale there is no per-account limit", (t) => {
  const state = history(...bought(1, "ada", ["A1", "A2", "A3", "A4"]));
  const { maxPerAccount: _, ...unlimited } = holdUpTo4("h2", "ada", ["A5", "A6", "A7", "A8"]) as ShowCommand & { maxPerAccount?: number };
  t.like(decide(state, unlimited as ShowCommand, T0 + 2), { ok: true });
});
