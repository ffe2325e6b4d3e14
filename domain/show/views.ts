// Read models of a show's state: what a customer sees of seats, holds and bookings.
import { attemptInFlight, refundable, refunded } from "./booking.ts";
import { activeHold, endedHold, own, startOf } from "./state.ts";
import type { Booking, PaymentAttempt, RefundEntry, ShowEvent, ShowState } from "./types.ts";

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
  return Object.values(state.bookings).filter((b) => b.userId === userId && b.stage === "confirmed").flatMap((b) => b.seats);
}

export type BookingStatus = "pending_payment" | "requires_action" | "payment_failed" | "confirmed" | "cancelled" | "expired" | "refunded";

/** A booking as its customer reads it: where its seats stand and what happened to the money. */
export interface BookingView {
  id: string;
  showId: string;
  holdId: string;
  userId: string;
  seats: string[];
  status: BookingStatus;
  /** A charge is under way: paying again or cancelling must wait for it. */
  paymentInProgress: boolean;
  amount: number;
  currency: string;
  lines: Booking["quote"]["lines"];
  /** The quote's GST and fee lines: the receipt shows them. */
  charges?: Booking["quote"]["charges"];
  createdAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  /** The latest payment attempt's outcome and the card's brand and last 4 digits, nothing more. */
  payment?: {
    id?: string; attemptId: string; status: PaymentAttempt["status"]; card?: { brand: string; last4: string }; failureCode?: string; failureMessage?: string;
    /** While the customer must authenticate the charge (3-D Secure): where. */
    nextAction?: { type: "redirect_to_url"; url: string };
  };
  attempts: number;
  /** Every refund of this booking; `refund` is the latest. */
  refunds: RefundView[];
  refund?: RefundView;
  /** What has been (or is being) given back in all. */
  refunded: number;
  /** What the cinema kept under its cancellation policy. */
  cancellationFee?: number;
  /** When and at which door the ticket was let in. */
  admitted?: { at: string; door: string };
  reason?: string;
}

export interface RefundView { id: string; amount: number; currency: string; status: RefundEntry["status"]; reason: string; requestedAt: string; settledAt?: string }

const refundView = (b: Booking, r: RefundEntry): RefundView => ({
  id: r.id, amount: r.amount, currency: b.currency, status: r.status, reason: r.reason, requestedAt: iso(r.requestedAt), ...(r.settledAt ? { settledAt: iso(r.settledAt) } : {}),
});

export function bookingStatus(b: Booking): BookingStatus {
  if (b.stage === "confirmed" || b.stage === "cancelled") return b.stage;
  const paid = b.attempts.some((a) => a.status === "succeeded");
  if (b.stage === "expired") return paid ? "refunded" : "expired";
  const last = b.attempts.at(-1);
  if (last?.status === "processing" && last.action) return "requires_action";
  return last?.status === "failed" ? "payment_failed" : "pending_payment";
}

function bookingReason(b: Booking): string | undefined {
  const last = b.attempts.at(-1);
  if (b.stage === "pending_payment" && last?.status === "failed") return last.failureMessage ?? "The card was declined";
  if (b.stage === "expired" && b.attempts.some((a) => a.status === "succeeded")) return `${b.reason ?? "The seats could not be confirmed"}; your payment is refunded in full`;
  if (b.stage === "cancelled" && b.refunds.length) return "Cancelled and refunded";
  return b.reason;
}

export function bookingView(state: ShowState, b: Booking): BookingView {
  const last = b.attempts.at(-1);
  const refunds = b.refunds.map((r) => refundView(b, r));
  const reason = bookingReason(b);
  return {
    id: b.id, showId: state.showId, holdId: b.holdId, userId: b.userId, seats: b.seats, status: bookingStatus(b), paymentInProgress: attemptInFlight(b) !== undefined,
    amount: b.amount, currency: b.currency, lines: b.quote.lines, ...(b.quote.charges ? { charges: b.quote.charges } : {}), createdAt: iso(b.openedAt),
    ...(b.confirmedAt !== undefined ? { confirmedAt: iso(b.confirmedAt) } : {}),
    ...(b.cancelledAt !== undefined ? { cancelledAt: iso(b.cancelledAt) } : {}),
    ...(last ? {
      payment: {
        ...(last.paymentId ? { id: last.paymentId } : {}), attemptId: last.id, status: last.status, ...(last.card ? { card: last.card } : {}),
        ...(last.failureCode ? { failureCode: last.failureCode, failureMessage: last.failureMessage } : {}),
        ...(last.status === "processing" && last.action ? { nextAction: { type: "redirect_to_url" as const, url: last.action.url } } : {}),
      },
    } : {}),
    attempts: b.attempts.length, refunds, ...(refunds.length ? { refund: refunds.at(-1) } : {}),
    refunded: refunded(b),
    ...(b.fee ? { cancellationFee: b.fee } : {}),
    ...(b.admitted ? { admitted: { at: iso(b.admitted.at), door: b.admitted.door } } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** A booking as the caller may see it (their own; anyone's without a userId), or undefined. */
export function bookingOf(state: ShowState, bookingId: string, userId?: string): BookingView | undefined {
  const booking = own(state.bookings, bookingId);
  return booking && (userId === undefined || booking.userId === userId) ? bookingView(state, booking) : undefined;
}

/** Every booking a user has on this show. */
export const bookingsOf = (state: ShowState, userId: string): BookingView[] =>
  Object.values(state.bookings).filter((b) => b.userId === userId).map((b) => bookingView(state, b));

export interface LedgerEntry {
  kind: "charge" | "refund";
  showId: string;
  bookingId: string;
  userId: string;
  /** The attempt id (the processor's idempotency key) of a charge; the refund's own id. */
  id: string;
  paymentId?: string;
  amount: number;
  currency: string;
  status: string;
  reason?: string;
  by?: string;
  at: string;
  settledAt?: string;
}

/** Every charge attempt and refund of the show since `since` (epoch ms), oldest first. */
export function ledger(state: ShowState, since = 0): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const b of Object.values(state.bookings)) {
    const common = { showId: state.showId, bookingId: b.id, userId: b.userId, currency: b.currency };
    for (const a of b.attempts) {
      if (a.startedAt < since) continue;
      entries.push({ kind: "charge", ...common, id: a.id, ...(a.paymentId ? { paymentId: a.paymentId } : {}), amount: a.amount, status: a.status, at: iso(a.startedAt), ...(a.settledAt ? { settledAt: iso(a.settledAt) } : {}) });
    }
    for (const r of b.refunds) {
      if (r.requestedAt < since) continue;
      entries.push({
        kind: "refund", ...common, id: r.id, paymentId: r.paymentId, amount: r.amount, status: r.status, reason: r.reason, ...(r.by ? { by: r.by } : {}),
        at: iso(r.requestedAt), ...(r.settledAt ? { settledAt: iso(r.settledAt) } : {}),
      });
    }
  }
  return entries.sort((x, y) => x.at.localeCompare(y.at));
}

/** Money the reconciler must settle: attempts with no outcome after `attemptAfterMs`, refunds not settled after `refundAfterMs`. */
/** An attempt the reconciler must ask the processor about: everything the processor was told of it. */
export interface DueAttempt {
  bookingId: string; attemptId: string; userId: string; amount: number; currency: string; paymentId?: string;
  /** The hold no longer waits for this payment: an unfinished challenge may be voided. */
  customerTimeUp: boolean;
}

/**
 * Money the reconciler must settle now: attempts with no outcome for `attemptAfterMs` (one whose
 * customer is at a 3-D Secure challenge is asked about again until they finish or their hold
 * runs out, so a lost webhook costs a few seconds, not the seats); refunds not settled after
 * `refundAfterMs`.
 */
export function moneyDue(state: ShowState, now: number, attemptAfterMs: number, refundAfterMs: number): {
  attempts: DueAttempt[];
  refunds: { bookingId: string; refundId: string; paymentId: string; amount: number; currency: string; reason: string; status: RefundEntry["status"]; processorId?: string }[];
} {
  const attempts: DueAttempt[] = [];
  const refunds: ReturnType<typeof moneyDue>["refunds"] = [];
  for (const b of Object.values(state.bookings)) {
    for (const a of b.attempts) {
      if (a.status !== "processing") continue;
      const hold = activeHold(state, b.holdId);
      const customerTimeUp = !hold || now >= hold.expiresAt;
      if (now - a.startedAt >= attemptAfterMs) {
        attempts.push({
          bookingId: b.id, attemptId: a.id, userId: b.userId, amount: a.amount, currency: b.currency, customerTimeUp,
          ...(a.paymentId ? { paymentId: a.paymentId } : {}),
        });
      }
    }
    for (const r of b.refunds) {
      if ((r.status === "requested" || r.status === "pending") && now - r.requestedAt >= refundAfterMs) {
        refunds.push({
          bookingId: b.id, refundId: r.id, paymentId: r.paymentId, amount: r.amount, currency: b.currency, reason: r.reason, status: r.status,
          ...(r.processorId ? { processorId: r.processorId } : {}),
        });
      }
    }
  }
  return { attempts, refunds };
}

/** Whether any money of the show is still unsettled (an attempt without outcome, a refund not settled). */
export const hasUnsettledMoney = (state: ShowState): boolean =>
  Object.values(state.bookings).some((b) => attemptInFlight(b) !== undefined || b.refunds.some((r) => r.status === "requested" || r.status === "pending"));

export { refundable };

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

export interface Demand {
  forSale: number;
  claimed: number;
  recentlyClaimed: number;
  /** The show's last published price: where the hourly cap starts. */
  published?: ShowState["published"];
}

/** What dynamic pricing needs to know about a show's demand: occupancy and recent pace. */
export function demand(state: ShowState, now: number, windowMs: number): Demand {
  const since = now - windowMs;
  const o = occupancy(state);
  let recentlyClaimed = 0;
  for (const hold of state.holds) if (hold.heldAt >= since) recentlyClaimed += hold.seats.length;
  for (const booking of Object.values(state.bookings)) {
    if (booking.stage === "confirmed" && booking.confirmedAt! >= since) recentlyClaimed += booking.seats.length;
  }
  return { forSale: o.forSale, claimed: o.held + o.booked, recentlyClaimed, ...(state.published ? { published: state.published } : {}) };
}

/** A finished show's booking history for forecasting: when (hours before start) each sold seat was confirmed. */
export function bookingHistory(state: ShowState): { capacity: number; claimHoursBefore: number[] } {
  const claimHoursBefore: number[] = [];
  for (const b of Object.values(state.bookings)) {
    if (b.stage !== "confirmed") continue;
    const hours = Math.max(0, ((startOf(state) ?? b.confirmedAt!) - b.confirmedAt!) / 3_600_000);
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
    if (b.stage !== "confirmed") continue;
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
