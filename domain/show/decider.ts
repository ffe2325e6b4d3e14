// The show decider: every rule about who may hold or book which seat lives here, and nowhere
// else. decide() never throws for business outcomes and never looks at a clock (now is given);
// evolve() is total, so replaying a journal can never be refused.
import { restampQuote } from "../pricing/quote.ts";
import { pickBest } from "./best-available.ts";
import { decideBooking, evolveBooking } from "./booking.ts";
import { seatsBookedBy } from "./views.ts";
import { accept, activeHold, endedHold, freeFor, holdOfUser, initialState, isRejection, isScheduled, own, ownHold, reject, withEnded, without } from "./state.ts";
import type { Decision, EndedHold, Hold, HoldSeats, ScheduledShow, SeatProblem, ShowCommand, ShowEvent, ShowState } from "./types.ts";

export { activeHold, endedHold, holdOfUser, initialState, own };

function decideHold(state: ScheduledShow, asked: HoldSeats, now: number): Decision {
  let cmd = asked;
  const { startsAt } = state.schedule;
  if (now >= startsAt) return reject({ code: "SHOW_STARTED", message: "This show has already started; pick a later show" });
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
    const booked = seatsBookedBy(state, cmd.userId).length;
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

  if (cmd.best) {
    const picked = pickBest(cmd.best.rows, freeFor(state, cmd.userId), cmd.best.category, cmd.best.count);
    if (!picked) return reject({ code: "NO_BEST_SEATS", message: `No ${cmd.best.count} ${cmd.best.category} seats are free side by side; try fewer seats or another category` });
    if (picked.join() !== cmd.seats.join()) {
      // Someone was quicker: the best seats now, at the quoted price when it is the same for
      // them (seats of one category); else the caller quotes them and asks again.
      const quote = restampQuote(cmd.quote, cmd.seats, picked);
      if (!quote) return reject({ code: "BEST_SEATS_MOVED", message: "The best seats changed a moment ago; these are the best now", seats: picked });
      cmd = { ...cmd, seats: picked, quote };
    }
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
  // The price locked for the hold must be the price of exactly these seats of this show: the
  // amount charged later is the quote's total, so a quote for other seats would charge wrongly.
  const quoteProblem = quoteMismatch(state.showId, cmd);
  if (quoteProblem) return reject({ code: "QUOTE_MISMATCH", message: quoteProblem });

  const held: ShowEvent = {
    type: "SeatsHeld", holdId: cmd.holdId, userId: cmd.userId, seats: [...cmd.seats], at: now,
    // A hold never outlives the show's start.
    expiresAt: Math.min(now + cmd.ttlMs, startsAt), quote: cmd.quote,
  };
  const events: ShowEvent[] = [];
  if (cmd.published !== undefined && state.published?.multiplier !== cmd.published) events.push({ type: "PricePublished", multiplier: cmd.published, at: now });
  if (previous) events.push({ type: "HoldReleased", holdId: previous.id, reason: "replaced", at: now });
  events.push(held);
  return accept(...events);
}

function quoteMismatch(showId: string, cmd: HoldSeats): string | undefined {
  const { quote } = cmd;
  if (!quote || typeof quote !== "object" || !quote.seatPrices || typeof quote.seatPrices !== "object") return "The hold carries no quote";
  if (quote.showId !== showId) return `The quote is for show ${String(quote.showId)}, not ${showId}`;
  const priced = Object.keys(quote.seatPrices);
  if (priced.length !== cmd.seats.length || !cmd.seats.every((seat) => Object.hasOwn(quote.seatPrices, seat))) {
    return `The quote prices seats ${priced.join(", ")}, not the seats held (${cmd.seats.join(", ")})`;
  }
  const tickets = priced.reduce((total, seat) => total + quote.seatPrices[seat]!, 0);
  if (!priced.every((seat) => Number.isInteger(quote.seatPrices[seat]) && quote.seatPrices[seat]! >= 0)) return "The quote's seat prices must be whole minor units";
  // The total charged is the seats plus every charge line (GST, the convenience fee).
  const charges = quote.charges ? quote.charges.lines.reduce((total, line) => total + line.amount, 0) : 0;
  if (quote.charges && quote.charges.tickets !== tickets) return `The quote's charges are worked out on ${quote.charges.tickets}, not on its seat prices (${tickets})`;
  if (!Number.isInteger(quote.total) || quote.total !== tickets + charges) {
    return `The quote's total ${String(quote.total)} is not its seat prices (${tickets}) plus its charges (${charges})`;
  }
  return undefined;
}

export function decide(state: ShowState, cmd: ShowCommand, now: number): Decision {
  if (cmd.type === "ScheduleShow") {
    if (isScheduled(state)) return reject({ code: "ALREADY_SCHEDULED", message: `Show ${state.showId} is already scheduled` });
    return accept({ type: "ShowScheduled", showId: cmd.showId, startsAt: cmd.startsAt, seats: cmd.seats.map((x) => x.id), notForSale: cmd.seats.filter((x) => !x.forSale).map((x) => x.id) });
  }
  if (!isScheduled(state)) return reject({ code: "SHOW_NOT_SCHEDULED", message: `Show ${state.showId} is not scheduled` });

  switch (cmd.type) {
    case "HoldSeats":
      return decideHold(state, cmd, now);

    case "PublishPrice":
      // The same price again starts nothing new: the cap keeps counting from when it was set.
      if (state.published?.multiplier === cmd.multiplier) return accept();
      return accept({ type: "PricePublished", multiplier: cmd.multiplier, at: now });

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

    case "OpenBooking":
    case "StartPayment":
    case "RecordPayment":
    case "CancelBooking":
    case "RefundBooking":
    case "RecordRefund":
    case "AdmitTicket":
      return decideBooking(state, cmd, now);
  }
}

function endHold(state: ShowState, holdId: string, end: EndedHoldEnd, at: number, bookingId?: string): ShowState {
  const hold = activeHold(state, holdId);
  if (!hold) return state;
  const ended: ShowState = {
    ...state,
    holds: state.holds.filter((h) => h !== hold),
    claims: end === "booked" ? state.claims : without(state.claims, hold.seats),
    endedHolds: withEnded(state.endedHolds, holdId, { userId: hold.userId, seats: hold.seats, end, at, ...(bookingId ? { bookingId } : {}) }),
  };
  // A booking still waiting for its payment ends with its hold.
  return end === "booked" || !hold.bookingId ? ended : evolveBooking.holdEnded(ended, hold.bookingId, end, at);
}

type EndedHoldEnd = EndedHold["end"];

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
      return { ...state, schedule: { status: "scheduled", startsAt: event.startsAt }, seats: Object.fromEntries(event.seats.map((id) => [id, !notForSale.has(id)])) };
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

    case "BookingConfirmed": {
      const hold = activeHold(state, event.holdId);
      if (!hold) return state;
      const claims = { ...state.claims };
      for (const seat of hold.seats) claims[seat] = { kind: "booking", id: event.bookingId };
      return { ...evolveBooking.confirmed(endHold(state, hold.id, "booked", event.at, event.bookingId), hold, event), claims };
    }

    case "PricePublished":
      return { ...state, published: { multiplier: event.multiplier, at: event.at } };

    case "BookingOpened":
    case "PaymentStarted":
    case "PaymentActionRequired":
    case "PaymentSucceeded":
    case "PaymentFailed":
    case "BookingCancelled":
    case "RefundRequested":
    case "RefundSettled":
    case "TicketAdmitted":
      return evolveBooking.apply(state, event);

    // An event of a kind this version does not know (a journal written by a newer one) changes
    // nothing: evolve stays total, so a replay is never refused.
    default:
      return state;
  }
}

/** Rebuilds a state from its journal. */
export const replay = (showId: string, events: readonly ShowEvent[], from: ShowState = initialState(showId)): ShowState =>
  events.reduce(evolve, from);
