// Every call one service makes of another, typed once: what each action takes and answers,
// shared by the caller (through call()) and the callee (its handler's Params<...>), as Orleans'
// grain interfaces are. The hold path then reads by name and type: admin.hold -> show.hold.
import type { CallingOptions, Context } from "moleculer";
import type { ShowDetails, ShowSummary } from "../domain/catalog/types.ts";
import type { AttemptRef, RefundOutcome, RefundRef } from "../domain/payment/gateway.ts";
import type { Factor as PricingFactor } from "../domain/pricing/factors.ts";
import type { Quote } from "../domain/pricing/quote.ts";
import type { PaymentOutcome, RefundPolicy } from "../domain/show/types.ts";
import type { BookingView, HoldView, LedgerEntry, ShowStats } from "../domain/show/views.ts";

interface ShowRef { showId: string }

/** A seat map's live part: every seat's status, and which seats are the caller's. */
export interface ShowSeats { version: number; seats: Record<string, string>; bookedBy?: string[] }

/** A show's prices as its actor publishes them, per seat and per category. */
export interface ShowPrices {
  currency: string; multiplier: number; factors: PricingFactor[]; categoryPrices: Record<string, number>; prices: Record<string, number>;
  forSale: number; claimed: number;
}

export interface Repriced { showId: string; previous: number | null; published: number; multiplier: number; factors: PricingFactor[]; categoryPrices: Record<string, number> }

/** One of "my bookings": the booking, its show and until when it can be cancelled. */
export type MyBooking = BookingView & { code: string; show: ShowSummary | null; cancelUntil: string | null };

export interface Contracts {
  "show.hold": { params: ShowRef & { holdId: string; userId: string; seats?: string[]; best?: { category: string; count: number }; maxPerAccount?: number }; result: HoldView };
  "show.quote": { params: ShowRef & { seats: string[]; lat?: number; lon?: number }; result: Quote };
  "show.prices": { params: ShowRef; result: ShowPrices };
  "show.reprice": { params: ShowRef; result: Repriced };
  "show.release": { params: ShowRef & { holdId: string; userId: string }; result: HoldView };
  "show.getHold": { params: ShowRef & { holdId: string; userId?: string }; result: HoldView };
  "show.expireHold": { params: ShowRef & { holdId: string }; result: HoldView };
  "show.seats": { params: ShowRef & { userId?: string }; result: ShowSeats };
  "show.stats": { params: ShowRef; result: ShowStats & { showId: string; version: number } };
  "show.history": { params: ShowRef; result: { capacity: number; claimHoursBefore: number[] } };
  "show.openBooking": { params: ShowRef & { bookingId: string; holdId: string; userId: string }; result: BookingView };
  "show.startPayment": { params: ShowRef & { bookingId: string; userId: string; attemptId: string }; result: BookingView };
  "show.recordPayment": { params: ShowRef & { bookingId: string; attemptId: string; outcome: PaymentOutcome }; result: BookingView };
  "show.recordRefund": { params: ShowRef & { bookingId: string; refundId: string; status: RefundOutcome["status"]; processorId?: string }; result: BookingView };
  "show.cancel": { params: ShowRef & { bookingId: string; userId?: string; policy?: RefundPolicy }; result: BookingView };
  "show.refund": { params: ShowRef & { bookingId: string; amount?: number; by: string; note?: string }; result: BookingView };
  "show.getBooking": { params: ShowRef & { bookingId: string; userId?: string }; result: BookingView };
  "show.bookingsOf": { params: ShowRef & { userId: string }; result: BookingView[] };
  "show.ledger": { params: ShowRef & { since?: number }; result: LedgerEntry[] };
  "show.admit": { params: ShowRef & { bookingId?: string; code?: string; door: string; usherId: string }; result: BookingView };

  "payment.pay": { params: AttemptRef & { paymentMethod: string; returnUrl: string }; result: PaymentOutcome };
  "payment.settle": { params: AttemptRef & { customerTimeUp: boolean }; result: PaymentOutcome | null };
  "payment.refund": { params: RefundRef; result: RefundOutcome };
  "payment.refundStatus": { params: RefundRef; result: RefundOutcome };

  "catalog.getShow": { params: ShowRef; result: ShowDetails };
  "catalog.showSummaries": { params: { showIds: string[] }; result: ShowSummary[] };
  "catalog.getCinema": { params: { cinemaId: string }; result: ShowDetails["cinema"] };
  "catalog.listShows": { params: { movieId?: string; cinemaId?: string; city?: string; date?: string }; result: ShowSummary[] };

  "admin.getBooking": { params: { bookingId: string }; result: BookingView };
  "admin.myBookings": { params: Record<string, never>; result: MyBooking[] };

  "pricing.reprice": { params: ShowRef; result: Omit<Repriced, "previous" | "published"> };
}

export type Action = keyof Contracts;
export type Params<A extends Action> = Contracts[A]["params"];
export type Result<A extends Action> = Contracts[A]["result"];

/** What can make a call: a request's context (meta travels with it) or, outside one, the broker. */
interface Caller { call<T, P>(action: string, params?: P, opts?: CallingOptions): Promise<T> }

/** Calls `action` with the params its contract names and answers with its contract's result. */
export function call<A extends Action>(caller: Caller | Context, action: A, params: Params<A>, opts?: CallingOptions): Promise<Result<A>> {
  return (caller as Caller).call<Result<A>, Params<A>>(action, params, opts);
}
