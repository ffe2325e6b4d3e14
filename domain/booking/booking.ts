// The booking record the customer sees: the workflow around a hold (pending payment, paid,
// cancelled, refunded). Seats themselves are owned by the show actor; this record tells the
// story of the money. Transitions are pure functions of (booking, facts, now).
import type { Payment, Refund } from "../payment/payment.ts";
import type { Quote, QuoteLine } from "../pricing/quote.ts";
import type { HoldView } from "../show/views.ts";

export type BookingStatus = "pending_payment" | "payment_failed" | "confirmed" | "cancelled" | "expired" | "refunded";

export interface PaymentSummary {
  id: string;
  status: "succeeded" | "failed";
  card: { brand: string; last4: string };
  failureCode?: string;
  failureMessage?: string;
}

export interface RefundSummary {
  id: string;
  amount: number;
  currency: string;
  status: string;
  reason: string;
}

export interface BookingRecord {
  id: string;
  userId: string;
  showId: string;
  holdId: string;
  seats: string[];
  status: BookingStatus;
  /** Always the hold's locked quote total: never anything a client sent. */
  amount: number;
  currency: string;
  lines: QuoteLine[];
  /** The quote's GST and fee lines: the receipt shows them. */
  charges?: Quote["charges"];
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  payment?: PaymentSummary;
  attempts: number;
  refund?: RefundSummary;
  /** Why the booking is not (or no longer) confirmed, in words a customer understands. */
  reason?: string;
}

const iso = (now: number) => new Date(now).toISOString();

export function openBooking(args: { id: string; userId: string; showId: string; holdId: string; seats: string[]; quote: Quote }, now: number): BookingRecord {
  const { quote } = args;
  return {
    id: args.id, userId: args.userId, showId: args.showId, holdId: args.holdId, seats: args.seats,
    status: "pending_payment", amount: quote.total, currency: quote.currency, lines: quote.lines,
    ...(quote.charges ? { charges: quote.charges } : {}),
    createdAt: iso(now), updatedAt: iso(now), attempts: 0,
  };
}

export const canPay = (b: BookingRecord) => b.status === "pending_payment" || b.status === "payment_failed";

export function paymentFailed(b: BookingRecord, payment: PaymentSummary, now: number): BookingRecord {
  return { ...b, status: "payment_failed", payment, attempts: b.attempts + 1, updatedAt: iso(now), reason: payment.failureMessage ?? "The card was declined" };
}

export function confirmed(b: BookingRecord, payment: PaymentSummary, now: number): BookingRecord {
  const { reason: _reason, ...rest } = b;
  return { ...rest, status: "confirmed", payment, attempts: b.attempts + 1, confirmedAt: iso(now), updatedAt: iso(now) };
}

/** Money was taken but the seats could not be confirmed: the charge is refunded at once. */
export function refundedUnconfirmed(b: BookingRecord, payment: PaymentSummary, refund: RefundSummary, why: string, now: number): BookingRecord {
  return { ...b, status: "refunded", payment, refund, attempts: b.attempts + 1, updatedAt: iso(now), reason: `${why}; your payment was refunded in full` };
}

export function cancelled(b: BookingRecord, now: number, refund?: RefundSummary): BookingRecord {
  return { ...b, status: "cancelled", cancelledAt: iso(now), updatedAt: iso(now), ...(refund ? { refund } : {}), reason: refund ? "Cancelled and refunded" : "Cancelled before payment" };
}

/** A pending booking follows its hold: when the hold has ended, so has the booking. */
export function followHold(b: BookingRecord, holdStatus: string, now: number): BookingRecord {
  if (!canPay(b)) return b;
  if (holdStatus === "expired") return { ...b, status: "expired", updatedAt: iso(now), reason: "The hold expired before payment; hold the seats again" };
  if (holdStatus === "released" || holdStatus === "replaced") {
    return { ...b, status: "cancelled", cancelledAt: iso(now), updatedAt: iso(now), reason: `The hold was ${holdStatus} before payment` };
  }
  return b;
}

// ---------- what a customer's request comes to, given the booking (or hold) as it stands ----------

/** Why the workflow refuses a request, with the data a client needs to act on it. */
export type BookingRejection =
  | { code: "HOLD_EXPIRED"; message: string; data: { holdId: string } | { booking: BookingRecord } }
  | { code: "HOLD_ENDED"; message: string; data: { holdId: string; status: HoldView["status"]; bookingId?: string } }
  | { code: "BOOKING_NOT_PAYABLE"; message: string; data: { booking: BookingRecord } }
  | { code: "BOOKING_NOT_CANCELLABLE"; message: string; data: { booking: BookingRecord } };

/**
 * A booking opens only on a hold that still holds its seats: active, or being paid for (that
 * one already has its booking, which the one-booking-per-hold check then names). An expired
 * hold is gone, so the customer holds the seats again; a released, replaced or booked one ended.
 */
export function openingRefusal(hold: Pick<HoldView, "id" | "status" | "bookingId">): BookingRejection | undefined {
  if (hold.status === "expired") return { code: "HOLD_EXPIRED", message: `Hold ${hold.id} expired; hold the seats again`, data: { holdId: hold.id } };
  if (hold.status === "active" || hold.status === "paying") return undefined;
  return { code: "HOLD_ENDED", message: `Hold ${hold.id} was ${hold.status}`, data: { holdId: hold.id, status: hold.status, bookingId: hold.bookingId } };
}

/** The hold ran out before the seats were confirmed; the booking says what became of it (and of any money). */
export const seatsLost = (b: BookingRecord): BookingRejection => ({ code: "HOLD_EXPIRED", message: b.reason ?? "The hold expired", data: { booking: b } });

/**
 * Paying a booking that has followed its hold: a pending or declined one is charged; a confirmed
 * one was paid already, so paying again changes nothing (a retry must not charge twice).
 */
export function planPayment(b: BookingRecord): { step: "none" } | { step: "charge" } | { step: "refuse"; rejection: BookingRejection } {
  if (b.status === "confirmed") return { step: "none" };
  if (b.status === "expired") return { step: "refuse", rejection: seatsLost(b) };
  if (canPay(b)) return { step: "charge" };
  return { step: "refuse", rejection: { code: "BOOKING_NOT_PAYABLE", message: `Booking ${b.id} is ${b.status}`, data: { booking: b } } };
}

export const CANCEL_REFUND_REASON = "requested_by_customer";

/**
 * Cancelling a booking that has followed its hold: an unpaid one just lets its hold go; a
 * confirmed one gives its seats back and its payment is refunded in full; cancelling twice
 * changes nothing. An expired or refunded booking has nothing left to cancel.
 */
export function planCancellation(b: BookingRecord):
  | { step: "none" }
  | { step: "release_hold" }
  | { step: "cancel_and_refund"; paymentId: string; reason: typeof CANCEL_REFUND_REASON }
  | { step: "refuse"; rejection: BookingRejection } {
  if (b.status === "cancelled") return { step: "none" };
  if (canPay(b)) return { step: "release_hold" };
  if (b.status === "confirmed") return { step: "cancel_and_refund", paymentId: b.payment!.id, reason: CANCEL_REFUND_REASON };
  return { step: "refuse", rejection: { code: "BOOKING_NOT_CANCELLABLE", message: `Booking ${b.id} is ${b.status} and cannot be cancelled`, data: { booking: b } } };
}

/** What a booking keeps of a payment: its outcome and the card's brand and last 4 digits, nothing more. */
export function paymentSummary(p: Pick<Payment, "id" | "status" | "card" | "failureCode" | "failureMessage">): PaymentSummary {
  return {
    id: p.id, status: p.status, card: { brand: p.card.brand, last4: p.card.last4 },
    ...(p.failureCode ? { failureCode: p.failureCode, failureMessage: p.failureMessage } : {}),
  };
}

export const refundSummary = (r: Pick<Refund, "id" | "amount" | "currency" | "status">, reason: string): RefundSummary =>
  ({ id: r.id, amount: r.amount, currency: r.currency, status: r.status, reason });
