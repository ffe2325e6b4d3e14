// The booking record the customer sees: the workflow around a hold (pending payment, paid,
// cancelled, refunded). Seats themselves are owned by the show actor; this record tells the
// story of the money. Transitions are pure functions of (booking, facts, now).
import type { Quote, QuoteLine } from "../pricing/quote.ts";

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
