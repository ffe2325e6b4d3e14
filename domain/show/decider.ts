// The show decider: every rule about who may hold or book which seat lives here, and nowhere
// else. decide() never throws for business outcomes and never looks at a clock (now is given);
// evolve() is total, so replaying a journal can never be refused.
import { fnv1a } from "../hash.ts";
import type {
  Decision, EndedHold, Hold, HoldSeats, Rejection, SeatProblem, ShowCommand, ShowEvent, ShowState,
} from "./types.ts";

export function initialState(showId: string): ShowState {
  return { showId, startsAt: 0, seats: {}, claims: {}, holds: [], endedHolds: [], bookings: {}, version: 0 };
}

// Ids and seat names come from clients: a name like "constructor" must not find Object's own
// properties, so lookups only see what the state really holds.
export const own = <V>(record: Record<string, V>, key: string): V | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

// Ended holds live in a two-level table keyed by a hash of the hold id (16 chunks of 16
// buckets, each a short list of [hold id, how it ended]). Ending a hold copies three short
// arrays, so evolve stays cheap on a show that has ended tens of thousands of holds, a show
// with few costs little memory, and the table is still plain JSON.
const FANOUT = 16;
const slotOf = (holdId: string): [chunk: number, bucket: number] => {
  const hash = fnv1a(holdId);
  return [(hash >>> 4) % FANOUT, hash % FANOUT];
};

/** An active hold by id. */
export const activeHold = (state: ShowState, holdId: string): Hold | undefined => state.holds.find((h) => h.id === holdId);

/** The user's active hold on this show: there is at most one. */
export const holdOfUser = (state: ShowState, userId: string): Hold | undefined => state.holds.find((h) => h.userId === userId);

/** How a hold ended, or undefined when it is active or unknown. */
export function endedHold(state: ShowState, holdId: string): EndedHold | undefined {
  const [chunk, bucket] = slotOf(holdId);
  return state.endedHolds[chunk]?.[bucket]?.find(([id]) => id === holdId)?.[1];
}

function withEnded(table: ShowState["endedHolds"], holdId: string, ended: EndedHold): ShowState["endedHolds"] {
  const [c, b] = slotOf(holdId);
  // Dense arrays of nulls, never holes: a snapshot read back from JSON must equal the original.
  const chunk = table[c]?.slice() ?? new Array(FANOUT).fill(null);
  chunk[b] = [...(chunk[b] ?? []), [holdId, ended]];
  // A show that has never ended a hold keeps an empty table: a KiB less per active actor.
  const next = table.length ? table.slice() : new Array(FANOUT).fill(null);
  next[c] = chunk;
  return next;
}

const accept = (...events: ShowEvent[]): Decision => ({ ok: true, events });
const reject = (rejection: Rejection): Decision => ({ ok: false, rejection });

/** The active hold a user may act on, or the reason they may not. Another user's hold is "not found". */
function ownHold(state: ShowState, holdId: string, userId: string, now: number): Hold | Rejection {
  const hold = activeHold(state, holdId);
  if (hold && hold.userId === userId) {
    if (now >= hold.expiresAt) return { code: "HOLD_EXPIRED", message: `Hold ${holdId} expired; hold the seats again` };
    return hold;
  }
  const ended = endedHold(state, holdId);
  if (ended && ended.userId === userId) {
    if (ended.end === "expired") return { code: "HOLD_EXPIRED", message: `Hold ${holdId} expired; hold the seats again` };
    return { code: "HOLD_ENDED", message: `Hold ${holdId} was ${ended.end}`, end: ended.end };
  }
  return { code: "HOLD_NOT_FOUND", message: `Hold ${holdId} was not found` };
}

const isRejection = (x: Hold | Rejection): x is Rejection => "code" in x;

function seatsBookedByUser(state: ShowState, userId: string): number {
  let seats = 0;
  for (const id in state.bookings) {
    const booking = state.bookings[id]!;
    if (booking.userId === userId && booking.status === "confirmed") seats += booking.seats.length;
  }
  return seats;
}

function decideHold(state: ShowState, cmd: HoldSeats, now: number): Decision {
  if (now >= state.startsAt) return reject({ code: "SHOW_STARTED", message: "This show has already started; pick a later show" });
  if (cmd.seats.length === 0) return reject({ code: "NO_SEATS", message: "Choose at least one seat" });
  const duplicates = [...new Set(cmd.seats.filter((s, i) => cmd.seats.indexOf(s) !== i))];
  if (duplicates.length) return reject({ code: "DUPLICATE_SEATS", message: `Seats listed twice: ${duplicates.join(", ")}`, seats: duplicates });
  if (cmd.seats.length > cmd.maxSeats) {
    return reject({ code: "TOO_MANY_SEATS", message: `At most ${cmd.maxSeats} seats per hold`, max: cmd.maxSeats });
  }

  // The same hold asked for again (a retried request): already done, nothing new to record,
  // even when it has ended since; an ended hold id never comes back to life.
  const existing = activeHold(state, cmd.holdId) ?? endedHold(state, cmd.holdId);
  if (existing) {
    if (existing.userId === cmd.userId) return accept();
    return reject({ code: "HOLD_NOT_FOUND", message: `Hold ${cmd.holdId} was not found` });
  }

  // The new hold replaces the user's previous one, so only their bookings count beside it.
  if (cmd.maxPerAccount !== undefined) {
    const booked = seatsBookedByUser(state, cmd.userId);
    if (booked + cmd.seats.length > cmd.maxPerAccount) {
      const left = Math.max(0, cmd.maxPerAccount - booked);
      return reject({ code: "TICKET_LIMIT", message: `At most ${cmd.maxPerAccount} tickets per account for this show; you have ${booked}, so ${left} more`, max: cmd.maxPerAccount, booked });
    }
  }

  // A user has one hold per show: a new hold replaces the old one, unless it is being paid for.
  const previous = holdOfUser(state, cmd.userId);
  if (previous?.paying) {
    return reject({ code: "HOLD_IN_PAYMENT", message: `Your hold ${previous.id} is being paid for; wait for the payment to finish` });
  }

  const problems: { seat: string; reason: SeatProblem }[] = [];
  for (const seat of cmd.seats) {
    const forSale = own(state.seats, seat);
    if (forSale === undefined) problems.push({ seat, reason: "unknown" });
    else if (!forSale) problems.push({ seat, reason: "not_for_sale" });
    else {
      const claim = own(state.claims, seat);
      if (claim && !(claim.kind === "hold" && claim.id === previous?.id)) problems.push({ seat, reason: claim.kind === "hold" ? "held" : "booked" });
    }
  }
  if (problems.length) {
    return reject({ code: "SEAT_UNAVAILABLE", message: `${problems.length} of the seats cannot be held`, seats: problems });
  }

  const held: ShowEvent = {
    type: "SeatsHeld", holdId: cmd.holdId, userId: cmd.userId, seats: [...cmd.seats], at: now,
    // A hold never outlives the show's start.
    expiresAt: Math.min(now + cmd.ttlMs, state.startsAt), quote: cmd.quote,
  };
  return previous ? accept({ type: "HoldReleased", holdId: previous.id, reason: "replaced", at: now }, held) : accept(held);
}

export function decide(state: ShowState, cmd: ShowCommand, now: number): Decision {
  if (cmd.type === "ScheduleShow") {
    if (state.startsAt !== 0) return reject({ code: "ALREADY_SCHEDULED", message: `Show ${state.showId} is already scheduled` });
    return accept({ type: "ShowScheduled", showId: cmd.showId, startsAt: cmd.startsAt, seats: cmd.seats.map((x) => x.id), notForSale: cmd.seats.filter((x) => !x.forSale).map((x) => x.id) });
  }
  if (state.startsAt === 0) return reject({ code: "SHOW_NOT_SCHEDULED", message: `Show ${state.showId} is not scheduled` });

  switch (cmd.type) {
    case "HoldSeats":
      return decideHold(state, cmd, now);

    case "ReleaseHold": {
      // A retried release (its first reply was lost) finds the job done.
      const ended = endedHold(state, cmd.holdId);
      if (ended?.end === "released" && ended.userId === cmd.userId) return accept();
      const hold = ownHold(state, cmd.holdId, cmd.userId, now);
      if (isRejection(hold)) return reject(hold);
      if (hold.paying) return reject({ code: "HOLD_IN_PAYMENT", message: `Hold ${hold.id} is being paid for; wait for the payment to finish` });
      return accept({ type: "HoldReleased", holdId: hold.id, reason: "released", at: now });
    }

    case "ExpireHolds":
      return accept(...state.holds
        .filter((h) => h.expiresAt <= now)
        .map((h): ShowEvent => ({ type: "HoldExpired", holdId: h.id, at: now })));

    case "ForceExpireHold": {
      const hold = activeHold(state, cmd.holdId);
      if (!hold) {
        const ended = endedHold(state, cmd.holdId);
        if (ended) return reject({ code: "HOLD_ENDED", message: `Hold ${cmd.holdId} was ${ended.end}`, end: ended.end });
        return reject({ code: "HOLD_NOT_FOUND", message: `Hold ${cmd.holdId} was not found` });
      }
      if (hold.paying) return reject({ code: "HOLD_IN_PAYMENT", message: `Hold ${hold.id} is being paid for; wait for the payment to finish` });
      return accept({ type: "HoldExpired", holdId: hold.id, at: now });
    }

    case "StartPayment": {
      const hold = ownHold(state, cmd.holdId, cmd.userId, now);
      if (isRejection(hold)) return reject(hold);
      if (hold.paying) {
        // The same attempt retried is already under way; any other attempt must wait, so one
        // hold is never charged twice at once.
        if (cmd.attemptId !== undefined && hold.attemptId === cmd.attemptId) return accept();
        return reject({ code: "HOLD_IN_PAYMENT", message: `Hold ${hold.id} is already being paid for` });
      }
      // Extend once, bounded: a slow card processor cannot let a hold lapse mid-charge, and
      // repeated attempts cannot keep seats locked for ever.
      const expiresAt = hold.extended ? hold.expiresAt : Math.min(Math.max(hold.expiresAt, now + cmd.graceMs), state.startsAt);
      return accept({ type: "PaymentStarted", holdId: hold.id, expiresAt, at: now, ...(cmd.attemptId !== undefined ? { attemptId: cmd.attemptId } : {}) });
    }

    case "AbortPayment": {
      const hold = activeHold(state, cmd.holdId);
      if (!hold || hold.userId !== cmd.userId || !hold.paying) return accept();
      return accept({ type: "PaymentAborted", holdId: hold.id, at: now });
    }

    case "ConfirmBooking": {
      const booking = own(state.bookings, cmd.bookingId);
      if (booking && booking.holdId === cmd.holdId && booking.userId === cmd.userId) return accept();
      const hold = ownHold(state, cmd.holdId, cmd.userId, now);
      if (isRejection(hold)) return reject(hold);
      return accept({ type: "BookingConfirmed", bookingId: cmd.bookingId, holdId: hold.id, paymentId: cmd.paymentId, at: now });
    }

    case "CancelBooking": {
      const booking = own(state.bookings, cmd.bookingId);
      if (!booking || (cmd.userId !== undefined && booking.userId !== cmd.userId)) {
        return reject({ code: "BOOKING_NOT_FOUND", message: `Booking ${cmd.bookingId} was not found` });
      }
      if (booking.status === "cancelled") return accept();
      const cutoffAt = state.startsAt - cmd.cutoffMs;
      if (now > cutoffAt) {
        return reject({ code: "CANCEL_WINDOW_CLOSED", message: `Bookings can be cancelled until ${new Date(cutoffAt).toISOString()}`, cutoffAt });
      }
      return accept({ type: "BookingCancelled", bookingId: booking.id, at: now });
    }
  }
}

// Copied key by key rather than spread-then-delete: deleting turns an object into a slow
// dictionary in V8, and every later copy of it pays for that.
function without<V>(record: Record<string, V>, keys: readonly string[]): Record<string, V> {
  const next: Record<string, V> = {};
  for (const k in record) if (!keys.includes(k)) next[k] = record[k]!;
  return next;
}

function endHold(state: ShowState, holdId: string, end: EndedHoldEnd, at: number, bookingId?: string): ShowState {
  const hold = activeHold(state, holdId);
  if (!hold) return state;
  return {
    ...state,
    holds: state.holds.filter((h) => h !== hold),
    claims: end === "booked" ? state.claims : without(state.claims, hold.seats),
    endedHolds: withEnded(state.endedHolds, holdId, { userId: hold.userId, seats: hold.seats, end, at, ...(bookingId ? { bookingId } : {}) }),
  };
}

type EndedHoldEnd = EndedHold["end"];

/** The state with an active hold replaced by its new version. */
const withHold = (state: ShowState, hold: Hold): ShowState => ({ ...state, holds: state.holds.map((h) => (h.id === hold.id ? hold : h)) });

export function evolve(state: ShowState, event: ShowEvent): ShowState {
  const next = applyEvent(state, event);
  if (next === state) return { ...state, version: state.version + 1 };
  // applyEvent built `next` just now, so stamping its version changes no state anyone holds,
  // and saves copying the whole state a second time for every event.
  next.version = state.version + 1;
  return next;
}

function applyEvent(state: ShowState, event: ShowEvent): ShowState {
  switch (event.type) {
    case "ShowScheduled":
    {
      const notForSale = new Set(event.notForSale);
      return { ...state, startsAt: event.startsAt, seats: Object.fromEntries(event.seats.map((id) => [id, !notForSale.has(id)])) };
    }

    case "SeatsHeld": {
      const claims = { ...state.claims };
      for (const seat of event.seats) claims[seat] = { kind: "hold", id: event.holdId };
      const hold: Hold = {
        id: event.holdId, userId: event.userId, seats: event.seats, heldAt: event.at, expiresAt: event.expiresAt,
        quote: event.quote, paying: false, extended: false,
      };
      return { ...state, claims, holds: [...state.holds, hold] };
    }

    case "HoldReleased":
      return endHold(state, event.holdId, event.reason, event.at);

    case "HoldExpired":
      return endHold(state, event.holdId, "expired", event.at);

    case "PaymentStarted": {
      const hold = activeHold(state, event.holdId);
      if (!hold) return state;
      return withHold(state, { ...hold, paying: true, extended: true, expiresAt: event.expiresAt, ...(event.attemptId !== undefined ? { attemptId: event.attemptId } : {}) });
    }

    case "PaymentAborted": {
      const hold = activeHold(state, event.holdId);
      if (!hold) return state;
      return withHold(state, { ...hold, paying: false });
    }

    case "BookingConfirmed": {
      const hold = activeHold(state, event.holdId);
      if (!hold) return state;
      const claims = { ...state.claims };
      for (const seat of hold.seats) claims[seat] = { kind: "booking", id: event.bookingId };
      const ended = endHold(state, hold.id, "booked", event.at, event.bookingId);
      return {
        ...ended,
        claims,
        bookings: {
          ...state.bookings,
          [event.bookingId]: {
            id: event.bookingId, holdId: hold.id, userId: hold.userId, seats: hold.seats, paymentId: event.paymentId,
            amount: hold.quote.total, currency: hold.quote.currency, quote: hold.quote, confirmedAt: event.at, status: "confirmed",
          },
        },
      };
    }

    case "BookingCancelled": {
      const booking = own(state.bookings, event.bookingId);
      if (!booking || booking.status === "cancelled") return state;
      return {
        ...state,
        claims: without(state.claims, booking.seats),
        bookings: { ...state.bookings, [booking.id]: { ...booking, status: "cancelled", cancelledAt: event.at } },
      };
    }
  }
}

/** Rebuilds a state from its journal. */
export const replay = (showId: string, events: readonly ShowEvent[], from: ShowState = initialState(showId)): ShowState =>
  events.reduce(evolve, from);
