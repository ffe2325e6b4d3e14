// The waiting room's rules: where a customer stands, who is let in when, and what a customer is
// told. Pure: the clock, the random draw and the seats left are parameters.
//
// A place is a score in a ranked set, and a customer's place is their rank in it. Customers
// who join before the opening get a uniformly random score in [0, 1), drawn when they join;
// sorted by those scores the pre-queue is a uniformly random order, so arriving at 09:59:59 is
// no better than at 09:45, and nothing has to be reshuffled at the opening. Customers who join
// later get 1 + milliseconds since the opening: behind everyone from the pre-queue, in arrival
// order. Nobody is ever removed ahead of anyone else, so a place never changes once the queue
// opens, and "who has been let in" is one number per on-sale: places 1..admitted.
import type { OnSale } from "./onsale.ts";

/**
 * The tick starts admitting this long after the opening, so a join decided by a node whose
 * clock runs a little behind (a lottery score just after the opening) cannot land among places
 * already let in.
 */
export const OPENING_SETTLE_MS = 1_000;
/** Admissions less than this far apart share one batch, so the state stays a few hundred bytes. */
export const BATCH_MS = 10_000;
/** Seats a customer is assumed to take until enough bookings say otherwise. */
export const DEFAULT_SEATS_PER_CUSTOMER = 2;

/** The score a customer joining now gets; `draw` is uniform in [0, 1). */
export const joinScore = (onsale: OnSale, now: number, draw: number): number => (now < onsale.opensAt ? draw : 1 + (now - onsale.opensAt));

export interface SeatsLeft {
  /** Seats for sale that nobody holds or has booked, across the on-sale's shows. */
  available: number;
  held: number;
  booked: number;
  /** Confirmed bookings, to learn how many seats a customer takes. */
  bookings: number;
}

/** What the admission tick keeps per on-sale: one small document, whatever the queue's length. */
export interface Admissions {
  onsaleId: string;
  status: "scheduled" | "open" | "paused" | "sold_out";
  /** Places 1..admitted have been let in. */
  admitted: number;
  /** Places 1..lapsedUpTo were let in longer than the on-sale's window ago: their turn is over. */
  lapsedUpTo: number;
  /** Places let in within the window: those up to `upTo` (after the previous batch) at `at`. */
  batches: { at: number; upTo: number }[];
  /** Fixed rate: the part of a customer owed from earlier ticks. */
  credit: number;
  /** Customers let in per minute since the opening: what the wait estimate uses. */
  perMinute: number;
  queueLength: number;
  seats: SeatsLeft;
  tickAt: number;
}

export function initialAdmissions(onsaleId: string): Admissions {
  return { onsaleId, status: "scheduled", admitted: 0, lapsedUpTo: 0, batches: [], credit: 0, perMinute: 0, queueLength: 0, seats: { available: 0, held: 0, booked: 0, bookings: 0 }, tickAt: 0 };
}

export const soldOut = (seats: SeatsLeft): boolean => seats.available === 0 && seats.held === 0;

/** Seats a customer plausibly takes: what bookings so far say, once there are enough of them. */
function seatsPerCustomer(onsale: OnSale, seats: SeatsLeft): number {
  const observed = seats.bookings >= 20 ? seats.booked / seats.bookings : DEFAULT_SEATS_PER_CUSTOMER;
  return Math.min(onsale.maxPerAccount, Math.max(1, observed));
}

/**
 * One admission tick. Fixed rate: the configured customers per minute, paced per tick. Automatic:
 * as many as the seats nobody holds can plausibly serve, less the customers let in who may still
 * be picking: those whose turn has not lapsed and who have not tried to hold yet. `holders`
 * counts the customers who have ever tried; some may be among the lapsed, so the count of those
 * picking is taken at its largest (admitted - max(lapsed, holders)): admission errs on letting
 * in too few, never too many. Either way nobody is let in while no seat is free, and when no seat
 * is free or held the on-sale is sold out; seats coming back resume admission.
 */
export function admit(state: Admissions, onsale: OnSale, input: { now: number; queueLength: number; seats: SeatsLeft; holders: number }): Admissions {
  const { now, queueLength, seats, holders } = input;
  if (now < onsale.opensAt + OPENING_SETTLE_MS) return { ...state, status: "scheduled", queueLength, seats, tickAt: now };

  let { lapsedUpTo } = state;
  const batches = state.batches.filter((b) => {
    if (b.at + onsale.windowMs > now) return true;
    lapsedUpTo = Math.max(lapsedUpTo, b.upTo);
    return false;
  });
  // A tick after a long gap (the owner died, a new one took over) must not let a burst in.
  const elapsed = state.tickAt ? Math.min(Math.max(0, now - state.tickAt), 5_000) : 1_000;
  const waiting = Math.max(0, queueLength - state.admitted);

  let letIn = 0;
  let credit = 0;
  if (seats.available > 0 && waiting > 0) {
    if (onsale.rate.mode === "fixed") {
      credit = state.credit + (onsale.rate.perMinute * elapsed) / 60_000;
      letIn = Math.floor(credit);
      credit -= letIn;
    } else {
      const picking = Math.max(0, state.admitted - Math.max(lapsedUpTo, holders));
      // Rounded up: the last seat or two must still find a customer.
      letIn = Math.ceil(seats.available / seatsPerCustomer(onsale, seats)) - picking;
    }
    letIn = Math.max(0, Math.min(letIn, waiting));
  }

  const admitted = state.admitted + letIn;
  if (letIn > 0) {
    const last = batches.at(-1);
    // Merged into the open batch, a customer's window counts from the batch's start: a few
    // seconds shorter, never longer.
    if (last && now - last.at < BATCH_MS) batches[batches.length - 1] = { at: last.at, upTo: admitted };
    else batches.push({ at: now, upTo: admitted });
  }
  // The pace since the opening: steadier than the last ticks, which swing from a burst at the
  // opening to nothing while every seat is held.
  const perMinute = (admitted * 60_000) / Math.max(60_000, now - onsale.opensAt - OPENING_SETTLE_MS);
  const status = soldOut(seats) ? "sold_out" : seats.available === 0 ? "paused" : "open";
  return { onsaleId: state.onsaleId, status, admitted, lapsedUpTo, batches, credit, perMinute, queueLength, seats, tickAt: now };
}

export type Position =
  | { status: "not_in_queue" }
  | { status: "prequeue" }
  | { status: "waiting"; place: number; ahead: number; estimatedWaitSeconds: number | null }
  | { status: "admitted"; place: number; passExpiresAt: number }
  | { status: "lapsed"; place: number }
  | { status: "sold_out"; place: number };

/** Where a customer stands: `rank` is their 0-based rank in the queue, undefined when not in it. */
export function positionOf(onsale: OnSale, state: Admissions | undefined, rank: number | undefined, now: number): Position {
  if (rank === undefined) return { status: "not_in_queue" };
  if (now < onsale.opensAt || !state || state.status === "scheduled") return { status: "prequeue" };
  const place = rank + 1;
  // Nothing left to hold: a customer let in is told so as well as those still waiting.
  if (state.status === "sold_out") return { status: "sold_out", place };
  if (place <= state.lapsedUpTo) return { status: "lapsed", place };
  if (place <= state.admitted) {
    const batch = state.batches.find((b) => b.upTo >= place);
    // A batch that lapsed since the last tick: the turn is over even if the tick has not said so yet.
    if (!batch || batch.at + onsale.windowMs <= now) return { status: "lapsed", place };
    return { status: "admitted", place, passExpiresAt: batch.at + onsale.windowMs };
  }
  const ahead = place - state.admitted - 1;
  const perMinute = onsale.rate.mode === "fixed" ? onsale.rate.perMinute : state.perMinute;
  // No honest estimate while nobody is being let in (automatic, every seat held): say so.
  const estimatedWaitSeconds = state.status === "open" && perMinute > 0 ? Math.ceil(((ahead + 1) / perMinute) * 60) : null;
  return { status: "waiting", place, ahead, estimatedWaitSeconds };
}

/**
 * What every watcher of an on-sale is told whenever it changes: the same few hundred bytes for
 * all of them. A customer who knows their place works out the rest (see positionOf).
 */
export function queueSnapshot(onsale: OnSale, state: Admissions | undefined) {
  return {
    onsaleId: onsale.id,
    opensAt: new Date(onsale.opensAt).toISOString(),
    status: state?.status ?? "scheduled",
    admitted: state?.admitted ?? 0,
    lapsedUpTo: state?.lapsedUpTo ?? 0,
    admittedPerMinute: Math.round((state?.perMinute ?? 0) * 10) / 10,
    queueLength: state?.queueLength ?? 0,
    seatsLeft: state ? state.seats.available : null,
    seatsHeld: state ? state.seats.held : null,
  };
}

export type QueueSnapshot = ReturnType<typeof queueSnapshot>;
