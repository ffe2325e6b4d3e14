// The show actor's vocabulary: state, commands, events and rejections, all plain data so the
// state snapshots and the journal need no mapping layer.
import type { RefundPolicy } from "../catalog/types.ts";
import type { Published } from "../pricing/guard.ts";
import type { Quote } from "../pricing/quote.ts";
import type { LayoutRow } from "./best-available.ts";

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
  /** A charge is under way: the hold cannot be released, replaced or expired by an operator meanwhile. */
  paying: boolean;
  /** Which payment attempt is under way. */
  attemptId?: string;
  /** The one payment extension has been used. */
  extended: boolean;
  /** The booking opened on this hold: one per hold. */
  bookingId?: string;
}

export type HoldEnd = "released" | "replaced" | "expired" | "booked";

export interface EndedHold {
  userId: string;
  seats: string[];
  end: HoldEnd;
  at: number;
  bookingId?: string;
}

/** One call to the card processor, recorded before the call is made (so a crash mid-call leaves it to reconcile). */
export interface PaymentAttempt {
  id: string;
  amount: number;
  startedAt: number;
  status: "processing" | "succeeded" | "failed";
  /** The processor's payment, once it answered (or the reconciler found it). */
  paymentId?: string;
  /** Where the customer authenticates the charge (3-D Secure), while the processor waits for them. */
  action?: { url: string };
  card?: { brand: string; last4: string };
  failureCode?: string;
  failureMessage?: string;
  settledAt?: number;
}

export type RefundReason = "requested_by_customer" | "seats_not_confirmed" | "requested_by_admin";

/** Money going back: requested by the show (decided), then issued and settled at the processor. */
export interface RefundEntry {
  id: string;
  paymentId: string;
  amount: number;
  reason: RefundReason;
  requestedAt: number;
  /** requested: decided, not yet confirmed by the processor; pending: the processor accepted it and settles later. */
  status: "requested" | "pending" | "succeeded" | "failed";
  /** The admin who asked for it, for the audit trail. */
  by?: string;
  note?: string;
  settledAt?: number;
  /** The processor's id for it, once the processor has accepted it. */
  processorId?: string;
}

/**
 * A booking's whole lifecycle, owned by the show's actor: opened on a hold, paid through
 * recorded attempts, confirmed (its seats booked) or ended, and every refund it is owed.
 * `stage` is what happened to the seats; what a customer reads as the booking's status is
 * derived from it and the money (views.ts).
 */
export interface Booking {
  id: string;
  holdId: string;
  userId: string;
  seats: string[];
  amount: number;
  currency: string;
  quote: Quote;
  openedAt: number;
  stage: "pending_payment" | "confirmed" | "cancelled" | "expired";
  attempts: PaymentAttempt[];
  refunds: RefundEntry[];
  /** The payment that confirmed the seats. */
  paymentId?: string;
  confirmedAt?: number;
  cancelledAt?: number;
  /** Why the seats were not (or are no longer) the customer's, in a customer's words. */
  reason?: string;
  /** What the cinema kept of a cancelled paid booking (its cancellation fee). */
  fee?: number;
  /** The ticket was let in at the door: once, ever. */
  admitted?: Admission;
}

export interface Admission { at: number; door: string; usherId: string }

/** A show is unscheduled until its ScheduleShow is recorded; then it has a start (epoch ms). */
export type ShowSchedule = { status: "unscheduled" } | { status: "scheduled"; startsAt: number };

export interface ShowState {
  showId: string;
  schedule: ShowSchedule;
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
  /** Every booking of the show, by id, whatever its stage. */
  bookings: Record<string, Booking>;
  /**
   * The show's last published price multiplier: the one starting point of the hourly change
   * cap, the same on every pricing node and after failover.
   */
  published?: Published;
  /** Number of events applied: the sequence number of the last one. */
  version: number;
}

// ---- commands ----
export interface ScheduleShow { type: "ScheduleShow"; showId: string; startsAt: number; seats: { id: string; forSale: boolean }[] }
export interface HoldSeats {
  type: "HoldSeats"; holdId: string; userId: string; seats: string[]; quote: Quote; ttlMs: number; maxSeats: number; best?: BestSeats;
  /** During an on-sale: the most seats this user may have on the show, booked and held together. */
  maxPerAccount?: number;
  /**
   * The show's multiplier the quote was priced at: recorded with the hold (PricePublished) when
   * it is not the show's published price yet, so the hourly cap starts from what was sold.
   */
  published?: number;
}
/**
 * "Best available": `seats` (and the quote) are the caller's pick from a moment ago; the decider
 * picks again from the state it decides on and holds only if the pick is the same, so the pick
 * and the hold are one step however many customers ask at once.
 */
export interface BestSeats { category: string; count: number; rows: LayoutRow[] }
export interface ReleaseHold { type: "ReleaseHold"; holdId: string; userId: string }
export interface ExpireHolds { type: "ExpireHolds" }
/** An operator ends a hold now (a stuck kiosk, a support case); a hold being paid for is left alone. */
export interface ForceExpireHold { type: "ForceExpireHold"; holdId: string }
export interface OpenBooking { type: "OpenBooking"; bookingId: string; holdId: string; userId: string }
/** Recorded before the processor is called: the attempt id is the processor's idempotency key. */
export interface StartPayment { type: "StartPayment"; bookingId: string; userId: string; attemptId: string; graceMs: number }
/**
 * What the processor says of an attempt. `requires_action`: the customer must authenticate
 * (3-D Secure) at `url` first; the attempt stays in flight until the challenge is passed,
 * failed or abandoned (the hold lapsing, then the reconciler voiding it).
 */
export type PaymentOutcome =
  | { status: "succeeded"; paymentId: string; card: { brand: string; last4: string } }
  | { status: "failed"; code: string; message: string; paymentId?: string; card?: { brand: string; last4: string } }
  | { status: "requires_action"; paymentId: string; url: string; card?: { brand: string; last4: string } };
/** What the processor said of an attempt (the workflow's answer, or the reconciler's lookup). */
export interface RecordPayment { type: "RecordPayment"; bookingId: string; attemptId: string; outcome: PaymentOutcome; refundId: string }
/** userId undefined: an admin acting on anyone's booking. */
export interface CancelBooking { type: "CancelBooking"; bookingId: string; userId?: string; cutoffMs: number; refundId: string; policy?: RefundPolicy }
/** An admin gives money back on a paid booking, in full or in part; the seats stay booked. */
export interface RefundBooking { type: "RefundBooking"; bookingId: string; refundId: string; amount?: number; by: string; note?: string }
/** `processorId`: the processor's own id for the refund, kept so its status can be looked up later. */
export interface RecordRefund { type: "RecordRefund"; bookingId: string; refundId: string; status: "pending" | "succeeded" | "failed"; processorId?: string }

/** An usher lets a ticket in at a door; one show's actor decides it, so two doors cannot both admit it. */
export interface AdmitTicket { type: "AdmitTicket"; bookingId: string; door: string; usherId: string }

/** Pricing moved the show's price: record where the hourly cap starts from now. */
export interface PublishPrice { type: "PublishPrice"; multiplier: number }

export type ShowCommand =
  | PublishPrice | ScheduleShow | HoldSeats | ReleaseHold | ExpireHolds | ForceExpireHold
  | OpenBooking | StartPayment | RecordPayment | CancelBooking | RefundBooking | RecordRefund | AdmitTicket;

/** What a customer gets back on cancelling a paid booking: all of it, less the cinema's cancellation fee. */
export type { RefundPolicy };

// ---- events ----
/** Seats as plain ids (every seat of the screen) plus the few not for sale: the first event of every show's journal stays small. */
export interface ShowScheduled { type: "ShowScheduled"; showId: string; startsAt: number; seats: string[]; notForSale: string[] }
export interface SeatsHeld { type: "SeatsHeld"; holdId: string; userId: string; seats: string[]; at: number; expiresAt: number; quote: Quote }
export interface HoldReleased { type: "HoldReleased"; holdId: string; reason: "released" | "replaced"; at: number }
export interface HoldExpired { type: "HoldExpired"; holdId: string; at: number }
export interface BookingOpened { type: "BookingOpened"; bookingId: string; holdId: string; at: number }
export interface PaymentStarted { type: "PaymentStarted"; bookingId: string; holdId: string; attemptId: string; amount: number; expiresAt: number; at: number }
export interface PaymentSucceeded { type: "PaymentSucceeded"; bookingId: string; attemptId: string; paymentId: string; card: { brand: string; last4: string }; at: number }
/** The customer must authenticate the charge (3-D Secure) before the processor takes it. */
export interface PaymentActionRequired { type: "PaymentActionRequired"; bookingId: string; attemptId: string; paymentId: string; url: string; card?: { brand: string; last4: string }; at: number }
export interface PaymentFailed { type: "PaymentFailed"; bookingId: string; attemptId: string; code: string; message: string; paymentId?: string; card?: { brand: string; last4: string }; at: number }
export interface BookingConfirmed { type: "BookingConfirmed"; bookingId: string; holdId: string; paymentId: string; at: number }
/** `fee`: what the cinema keeps of a paid booking under its cancellation policy. */
export interface BookingCancelled { type: "BookingCancelled"; bookingId: string; at: number; fee?: number }
export interface RefundRequested { type: "RefundRequested"; bookingId: string; refundId: string; paymentId: string; amount: number; reason: RefundReason; at: number; by?: string; note?: string }
export interface RefundSettled { type: "RefundSettled"; bookingId: string; refundId: string; status: "pending" | "succeeded" | "failed"; processorId?: string; at: number }

export interface TicketAdmitted { type: "TicketAdmitted"; bookingId: string; door: string; usherId: string; at: number }

export interface PricePublished { type: "PricePublished"; multiplier: number; at: number }

export type ShowEvent =
  | PricePublished | ShowScheduled | SeatsHeld | HoldReleased | HoldExpired
  | BookingOpened | PaymentStarted | PaymentActionRequired | PaymentSucceeded | PaymentFailed | BookingConfirmed | BookingCancelled
  | RefundRequested | RefundSettled | TicketAdmitted;

// ---- rejections ----
export type SeatProblem = "held" | "booked" | "unknown" | "not_for_sale";

export type Rejection =
  | { code: "SHOW_NOT_SCHEDULED"; message: string }
  | { code: "ALREADY_SCHEDULED"; message: string }
  | { code: "SHOW_STARTED"; message: string }
  | { code: "NO_SEATS"; message: string }
  | { code: "DUPLICATE_SEATS"; message: string; seats: string[] }
  | { code: "TOO_MANY_SEATS"; message: string; max: number }
  | { code: "QUOTE_MISMATCH"; message: string }
  | { code: "SEAT_UNAVAILABLE"; message: string; seats: { seat: string; reason: SeatProblem }[] }
  | { code: "HOLD_NOT_FOUND"; message: string }
  | { code: "HOLD_EXPIRED"; message: string }
  | { code: "HOLD_ENDED"; message: string; end: HoldEnd }
  | { code: "HOLD_IN_PAYMENT"; message: string }
  | { code: "BOOKING_NOT_FOUND"; message: string }
  | { code: "BOOKING_EXISTS"; message: string; bookingId: string }
  | { code: "BOOKING_NOT_PAYABLE"; message: string; bookingId: string; stage: Booking["stage"] }
  | { code: "BOOKING_NOT_CANCELLABLE"; message: string; bookingId: string; stage: Booking["stage"] }
  | { code: "PAYMENT_IN_PROGRESS"; message: string; bookingId: string }
  | { code: "ATTEMPT_NOT_FOUND"; message: string }
  | { code: "NOTHING_TO_REFUND"; message: string }
  | { code: "REFUND_EXCEEDS_PAYMENT"; message: string; refundable: number }
  | { code: "REFUND_NOT_FOUND"; message: string }
  | { code: "CANCEL_WINDOW_CLOSED"; message: string; cutoffAt: number }
  | { code: "TICKET_ALREADY_ADMITTED"; message: string; admitted: Admission }
  | { code: "TICKET_CANCELLED"; message: string }
  | { code: "NO_BEST_SEATS"; message: string }
  | { code: "BEST_SEATS_MOVED"; message: string; seats: string[] }
  | { code: "TICKET_LIMIT"; message: string; max: number; booked: number };

/** A show whose schedule is known: what every command after ScheduleShow is decided against. */
export type ScheduledShow = ShowState & { schedule: { status: "scheduled"; startsAt: number } };

export type Decision = { ok: true; events: ShowEvent[] } | { ok: false; rejection: Rejection };
