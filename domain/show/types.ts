// The show actor's vocabulary: state, commands, events and rejections, all plain data so the
// state snapshots and the journal need no mapping layer.
import type { Quote } from "../pricing/quote.ts";

export interface SeatClaim {
  kind: "hold" | "booking";
  id: string;
}

export interface Hold {
  id: string;
  userId: string;
  seats: string[];
  heldAt: number;
  /** Absolute deadline (epoch ms), so it survives a restart unchanged. */
  expiresAt: number;
  quote: Quote;
  /** A charge is under way: the hold cannot be released or replaced meanwhile. */
  paying: boolean;
  /** Which payment attempt is under way, so a retried StartPayment of the same attempt is not refused. */
  attemptId?: string;
  /** The one payment extension has been used. */
  extended: boolean;
}

export type HoldEnd = "released" | "replaced" | "expired" | "booked";

export interface EndedHold {
  userId: string;
  seats: string[];
  end: HoldEnd;
  at: number;
  bookingId?: string;
}

export interface Booking {
  id: string;
  holdId: string;
  userId: string;
  seats: string[];
  paymentId: string;
  amount: number;
  currency: string;
  quote: Quote;
  confirmedAt: number;
  status: "confirmed" | "cancelled";
  cancelledAt?: number;
}

export interface ShowState {
  showId: string;
  /** Epoch ms; 0 until the show is scheduled. */
  startsAt: number;
  /** Every seat of the screen: true when it is for sale. */
  seats: Record<string, boolean>;
  claims: Record<string, SeatClaim>;
  /**
   * Active holds, oldest first. A list, not a record keyed by hold id: a show has few active
   * holds at a time, and a record with a new key per hold is slow to copy in V8.
   * Read one through activeHold() or holdOfUser() (a user has at most one per show).
   */
  holds: Hold[];
  /**
   * Ended holds are kept so a client asking about one learns how it ended (404 vs 410), in a
   * two-level hash table (16 chunks of 16 buckets, null while empty) so ending one copies little.
   * Read it through endedHold().
   */
  endedHolds: (([holdId: string, ended: EndedHold][] | null)[] | null)[];
  bookings: Record<string, Booking>;
  /** Number of events applied: the sequence number of the last one. */
  version: number;
}

// ---- commands ----
export interface ScheduleShow { type: "ScheduleShow"; showId: string; startsAt: number; seats: { id: string; forSale: boolean }[] }
export interface HoldSeats {
  type: "HoldSeats"; holdId: string; userId: string; seats: string[]; quote: Quote; ttlMs: number; maxSeats: number;
  /** During an on-sale: the most seats this user may have on the show, booked and held together. */
  maxPerAccount?: number;
}
export interface ReleaseHold { type: "ReleaseHold"; holdId: string; userId: string }
export interface ExpireHolds { type: "ExpireHolds" }
/** An operator ends a hold now (a stuck kiosk, a support case); a hold being paid for is left alone. */
export interface ForceExpireHold { type: "ForceExpireHold"; holdId: string }
export interface StartPayment { type: "StartPayment"; holdId: string; userId: string; graceMs: number; attemptId?: string }
export interface AbortPayment { type: "AbortPayment"; holdId: string; userId: string }
export interface ConfirmBooking { type: "ConfirmBooking"; holdId: string; userId: string; bookingId: string; paymentId: string }
/** userId undefined: an admin acting on anyone's booking. */
export interface CancelBooking { type: "CancelBooking"; bookingId: string; userId?: string; cutoffMs: number }

export type ShowCommand = ScheduleShow | HoldSeats | ReleaseHold | ExpireHolds | ForceExpireHold | StartPayment | AbortPayment | ConfirmBooking | CancelBooking;

// ---- events ----
/** Seats as plain ids (every seat of the screen) plus the few not for sale: the first event of every show's journal stays small. */
export interface ShowScheduled { type: "ShowScheduled"; showId: string; startsAt: number; seats: string[]; notForSale: string[] }
export interface SeatsHeld { type: "SeatsHeld"; holdId: string; userId: string; seats: string[]; at: number; expiresAt: number; quote: Quote }
export interface HoldReleased { type: "HoldReleased"; holdId: string; reason: "released" | "replaced"; at: number }
export interface HoldExpired { type: "HoldExpired"; holdId: string; at: number }
export interface PaymentStarted { type: "PaymentStarted"; holdId: string; expiresAt: number; at: number; attemptId?: string }
export interface PaymentAborted { type: "PaymentAborted"; holdId: string; at: number }
export interface BookingConfirmed { type: "BookingConfirmed"; bookingId: string; holdId: string; paymentId: string; at: number }
export interface BookingCancelled { type: "BookingCancelled"; bookingId: string; at: number }

export type ShowEvent = ShowScheduled | SeatsHeld | HoldReleased | HoldExpired | PaymentStarted | PaymentAborted | BookingConfirmed | BookingCancelled;

// ---- rejections ----
export type SeatProblem = "held" | "booked" | "unknown" | "not_for_sale";

export type Rejection =
  | { code: "SHOW_NOT_SCHEDULED"; message: string }
  | { code: "ALREADY_SCHEDULED"; message: string }
  | { code: "SHOW_STARTED"; message: string }
  | { code: "NO_SEATS"; message: string }
  | { code: "DUPLICATE_SEATS"; message: string; seats: string[] }
  | { code: "TOO_MANY_SEATS"; message: string; max: number }
  | { code: "SEAT_UNAVAILABLE"; message: string; seats: { seat: string; reason: SeatProblem }[] }
  | { code: "HOLD_NOT_FOUND"; message: string }
  | { code: "HOLD_EXPIRED"; message: string }
  | { code: "HOLD_ENDED"; message: string; end: HoldEnd }
  | { code: "HOLD_IN_PAYMENT"; message: string }
  | { code: "BOOKING_NOT_FOUND"; message: string }
  | { code: "CANCEL_WINDOW_CLOSED"; message: string; cutoffAt: number }
  | { code: "TICKET_LIMIT"; message: string; max: number; booked: number };

export type Decision = { ok: true; events: ShowEvent[] } | { ok: false; rejection: Rejection };
