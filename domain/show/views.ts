// Read models of a show's state: what a customer sees of seats, holds and bookings.
import { activeHold, endedHold, own } from "./decider.ts";
import type { Booking, ShowEvent, ShowState } from "./types.ts";

export type SeatStatus = "available" | "held" | "booked" | "not_for_sale";

export function seatStatus(state: ShowState, seat: string): SeatStatus {
  if (own(state.seats, seat) === false) return "not_for_sale";
  const claim = own(state.claims, seat);
  return claim ? (claim.kind === "hold" ? "held" : "booked") : "available";
}

export function seatStatuses(state: ShowState): Record<string, SeatStatus> {
  const out: Record<string, SeatStatus> = {};
  for (const seat of Object.keys(state.seats)) out[seat] = seatStatus(state, seat);
  return out;
}

export interface HoldView {
  id: string;
  showId: string;
  userId: string;
  seats: string[];
  status: "active" | "paying" | "expired" | "released" | "replaced" | "booked";
  heldAt?: string;
  expiresAt?: string;
  bookingId?: string;
  quote?: ShowState["holds"][number]["quote"];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A hold as its owner sees it, or undefined when the user has no such hold on this show. */
export function holdView(state: ShowState, holdId: string, userId?: string): HoldView | undefined {
  const hold = activeHold(state, holdId);
  if (hold && (userId === undefined || hold.userId === userId)) {
    return {
      id: hold.id, showId: state.showId, userId: hold.userId, seats: hold.seats, status: hold.paying ? "paying" : "active",
      heldAt: iso(hold.heldAt), expiresAt: iso(hold.expiresAt), quote: hold.quote,
    };
  }
  const ended = endedHold(state, holdId);
  if (ended && (userId === undefined || ended.userId === userId)) {
    return { id: holdId, showId: state.showId, userId: ended.userId, seats: ended.seats, status: ended.end, ...(ended.bookingId ? { bookingId: ended.bookingId } : {}) };
  }
  return undefined;
}

/** The seats a user has booked (confirmed, not cancelled) on this show, so a seat map can tell them apart. */
export function seatsBookedBy(state: ShowState, userId: string): string[] {
  return Object.values(state.bookings).filter((b) => b.userId === userId && b.status === "confirmed").flatMap((b) => b.seats);
}

export function bookingOf(state: ShowState, bookingId: string, userId?: string): Booking | undefined {
  const booking = own(state.bookings, bookingId);
  return booking && (userId === undefined || booking.userId === userId) ? booking : undefined;
}

export interface Occupancy { total: number; forSale: number; held: number; booked: number; available: number }

export function occupancy(state: ShowState): Occupancy {
  const o: Occupancy = { total: 0, forSale: 0, held: 0, booked: 0, available: 0 };
  for (const seat of Object.keys(state.seats)) {
    o.total++;
    const s = seatStatus(state, seat);
    if (s === "not_for_sale") continue;
    o.forSale++;
    if (s === "held") o.held++;
    else if (s === "booked") o.booked++;
    else o.available++;
  }
  return o;
}

export interface Demand { forSale: number; claimed: number; recentlyClaimed: number }

/** What dynamic pricing needs to know about a show's demand: occupancy and recent pace. */
export function demand(state: ShowState, now: number, windowMs: number): Demand {
  const since = now - windowMs;
  const o = occupancy(state);
  let recentlyClaimed = 0;
  for (const hold of state.holds) if (hold.heldAt >= since) recentlyClaimed += hold.seats.length;
  for (const booking of Object.values(state.bookings)) {
    if (booking.status === "confirmed" && booking.confirmedAt >= since) recentlyClaimed += booking.seats.length;
  }
  return { forSale: o.forSale, claimed: o.held + o.booked, recentlyClaimed };
}

/** A finished show's booking history for forecasting: when (hours before start) each sold seat was confirmed. */
export function bookingHistory(state: ShowState): { capacity: number; claimHoursBefore: number[] } {
  const claimHoursBefore: number[] = [];
  for (const b of Object.values(state.bookings)) {
    if (b.status !== "confirmed") continue;
    const hours = Math.max(0, (state.startsAt - b.confirmedAt) / 3_600_000);
    for (let i = 0; i < b.seats.length; i++) claimHoursBefore.push(hours);
  }
  return { capacity: occupancy(state).forSale, claimHoursBefore };
}

export interface ShowStats extends Occupancy {
  /** Confirmed, not cancelled bookings. */
  bookings: number;
  /** What those bookings were charged, integer minor units, per currency. */
  revenue: Record<string, number>;
}

export function stats(state: ShowState): ShowStats {
  const revenue: Record<string, number> = {};
  let bookings = 0;
  for (const b of Object.values(state.bookings)) {
    if (b.status !== "confirmed") continue;
    bookings++;
    revenue[b.currency] = (revenue[b.currency] ?? 0) + b.amount;
  }
  return { ...occupancy(state), bookings, revenue };
}

/** The current status of just these seats: what a live seat map needs after a change. */
export function seatsNow(state: ShowState, seats: Iterable<string>): Record<string, SeatStatus> {
  const out: Record<string, SeatStatus> = {};
  for (const seat of seats) out[seat] = seatStatus(state, seat);
  return out;
}

/** The seats a batch of events changed, found in the state after them (ended holds keep their seats). */
export function seatsTouched(state: ShowState, events: readonly ShowEvent[]): Set<string> {
  const seats = new Set<string>();
  const holdSeats = (holdId: string) => activeHold(state, holdId)?.seats ?? endedHold(state, holdId)?.seats ?? [];
  for (const e of events) {
    if (e.type === "SeatsHeld") e.seats.forEach((x) => seats.add(x));
    else if (e.type === "HoldReleased" || e.type === "HoldExpired" || e.type === "BookingConfirmed") holdSeats(e.holdId).forEach((x) => seats.add(x));
    else if (e.type === "BookingCancelled") own(state.bookings, e.bookingId)?.seats.forEach((x) => seats.add(x));
  }
  return seats;
}
