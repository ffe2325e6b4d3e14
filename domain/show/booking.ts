// A booking's lifecycle, decided by its show's actor so that one mailbox orders paying against
// cancelling against the hold running out: opened on a hold, paid through attempts that are
// recorded before the processor is called, confirmed (the seats become the customer's) or ended,
// and every refund it is owed, from request to settlement. Money is never kept for seats that
// were not confirmed: a charge that lands after its hold ended is refunded in the same step.
import { accept, activeHold, endedHold, isRejection, own, ownHold, reject, withHold, without } from "./state.ts";
import type {
  Booking, BookingConfirmed, Decision, Hold, HoldEnd, PaymentAttempt, RefundEntry, RefundPolicy, Rejection, ScheduledShow, ShowCommand, ShowEvent, ShowState,
} from "./types.ts";

type BookingCommand = Extract<ShowCommand, { type: "OpenBooking" | "StartPayment" | "RecordPayment" | "CancelBooking" | "RefundBooking" | "RecordRefund" | "AdmitTicket" }>;
type BookingEvent = Extract<ShowEvent, {
  type: "BookingOpened" | "PaymentStarted" | "PaymentActionRequired" | "PaymentSucceeded" | "PaymentFailed" | "BookingCancelled" | "RefundRequested" | "RefundSettled" | "TicketAdmitted";
}>;

const notFound = (bookingId: string): Rejection => ({ code: "BOOKING_NOT_FOUND", message: `Booking ${bookingId} was not found` });

/** The booking a caller may act on: their own, or anyone's for an admin (userId undefined). */
function ownBooking(state: ShowState, bookingId: string, userId: string | undefined): Booking | Rejection {
  const booking = own(state.bookings, bookingId);
  return booking && (userId === undefined || booking.userId === userId) ? booking : notFound(bookingId);
}

export const attemptInFlight = (b: Booking): PaymentAttempt | undefined => b.attempts.find((a) => a.status === "processing");

/** What has been (or is being) given back: every refund not known to have failed. */
export const refunded = (b: Booking): number => b.refunds.reduce((sum, r) => sum + (r.status === "failed" ? 0 : r.amount), 0);

/** What the processor has taken for this booking, less what has been given back. */
export function refundable(b: Booking): number {
  return b.attempts.reduce((sum, a) => sum + (a.status === "succeeded" ? a.amount : 0), 0) - refunded(b);
}

/** What a cancellation gives back under a cinema's policy: what was paid, less the larger of its fees. */
export function cancellationRefund(paid: number, policy: RefundPolicy | undefined): number {
  const fee = Math.max(Math.round((policy?.feeShare ?? 0) * paid), policy?.feeFixed ?? 0);
  return Math.max(0, paid - fee);
}

const inFlight = (b: Booking): Rejection => ({
  code: "PAYMENT_IN_PROGRESS", bookingId: b.id,
  message: `Booking ${b.id} is being paid for; try again once the payment has finished`,
});

export function decideBooking(state: ScheduledShow, cmd: BookingCommand, now: number): Decision {
  const { startsAt } = state.schedule;
  switch (cmd.type) {
    case "OpenBooking": {
      const existing = own(state.bookings, cmd.bookingId);
      if (existing) return existing.userId === cmd.userId && existing.holdId === cmd.holdId ? accept() : reject(notFound(cmd.bookingId));
      const ended = endedHold(state, cmd.holdId);
      if (ended?.bookingId && ended.userId === cmd.userId) {
        return reject({ code: "BOOKING_EXISTS", message: `Hold ${cmd.holdId} already has booking ${ended.bookingId}`, bookingId: ended.bookingId });
      }
      const hold = ownHold(state, cmd.holdId, cmd.userId, now);
      if (isRejection(hold)) return reject(hold);
      if (hold.bookingId) return reject({ code: "BOOKING_EXISTS", message: `Hold ${hold.id} already has booking ${hold.bookingId}`, bookingId: hold.bookingId });
      return accept({ type: "BookingOpened", bookingId: cmd.bookingId, holdId: hold.id, at: now });
    }

    case "StartPayment": {
      const b = ownBooking(state, cmd.bookingId, cmd.userId);
      if (isRejection(b)) return reject(b);
      // A retried attempt (its first reply was lost) finds its own record: nothing new.
      if (b.attempts.some((a) => a.id === cmd.attemptId)) return accept();
      if (attemptInFlight(b)) return reject(inFlight(b));
      // Paid already: paying again must not charge twice.
      if (b.stage === "confirmed") return accept();
      const hold = activeHold(state, b.holdId);
      if (b.stage === "expired" || !hold || now >= hold.expiresAt) {
        if (b.stage === "cancelled") return reject({ code: "BOOKING_NOT_PAYABLE", message: `Booking ${b.id} was cancelled`, bookingId: b.id, stage: b.stage });
        return reject({ code: "HOLD_EXPIRED", message: "The hold expired before payment; hold the seats again" });
      }
      // Extend once, bounded: a slow processor cannot let a hold lapse mid-charge, and repeated
      // attempts cannot keep seats locked for ever.
      const expiresAt = hold.extended ? hold.expiresAt : Math.min(Math.max(hold.expiresAt, now + cmd.graceMs), startsAt);
      return accept({ type: "PaymentStarted", bookingId: b.id, holdId: hold.id, attemptId: cmd.attemptId, amount: b.amount, expiresAt, at: now });
    }

    case "RecordPayment": {
      const b = own(state.bookings, cmd.bookingId);
      if (!b) return reject(notFound(cmd.bookingId));
      const attempt = b.attempts.find((a) => a.id === cmd.attemptId);
      if (!attempt) return reject({ code: "ATTEMPT_NOT_FOUND", message: `Booking ${b.id} has no payment attempt ${cmd.attemptId}` });
      // The first word on an attempt stands: the processor's outcome of one attempt is final.
      if (attempt.status !== "processing") return accept();
      const { outcome } = cmd;
      if (outcome.status === "requires_action") {
        // The challenge is the customer's to pass; the attempt stays in flight meanwhile.
        if (attempt.action) return accept();
        return accept({
          type: "PaymentActionRequired", bookingId: b.id, attemptId: attempt.id, paymentId: outcome.paymentId, url: outcome.url, at: now,
          ...(outcome.card ? { card: outcome.card } : {}),
        });
      }
      if (outcome.status === "failed") {
        return accept({
          type: "PaymentFailed", bookingId: b.id, attemptId: attempt.id, code: outcome.code, message: outcome.message, at: now,
          ...(outcome.paymentId ? { paymentId: outcome.paymentId } : {}), ...(outcome.card ? { card: outcome.card } : {}),
        });
      }
      const succeeded: ShowEvent = { type: "PaymentSucceeded", bookingId: b.id, attemptId: attempt.id, paymentId: outcome.paymentId, card: outcome.card, at: now };
      const hold = activeHold(state, b.holdId);
      if (b.stage === "pending_payment" && hold && now < hold.expiresAt) {
        return accept(succeeded, { type: "BookingConfirmed", bookingId: b.id, holdId: hold.id, paymentId: outcome.paymentId, at: now });
      }
      // The seats are gone (the hold ran out, or the booking ended): the money goes back at once.
      return accept(succeeded, {
        type: "RefundRequested", bookingId: b.id, refundId: cmd.refundId, paymentId: outcome.paymentId, amount: attempt.amount,
        reason: "seats_not_confirmed", at: now,
      });
    }

    case "CancelBooking": {
      const b = ownBooking(state, cmd.bookingId, cmd.userId);
      if (isRejection(b)) return reject(b);
      if (b.stage === "cancelled") return accept();
      if (attemptInFlight(b)) return reject(inFlight(b));
      // A ticket that got someone in has been used: it is not refunded.
      if (b.admitted) return reject({ code: "TICKET_ALREADY_ADMITTED", message: `This ticket was used at ${b.admitted.door}: it cannot be cancelled`, admitted: b.admitted });
      if (b.stage === "expired") {
        return reject({ code: "BOOKING_NOT_CANCELLABLE", message: `Booking ${b.id} has ended: its hold expired before payment`, bookingId: b.id, stage: b.stage });
      }
      if (b.stage === "pending_payment") {
        const hold = activeHold(state, b.holdId);
        // Nothing was paid: letting the hold go ends the booking with it.
        const cancelled: ShowEvent = { type: "BookingCancelled", bookingId: b.id, at: now };
        return hold ? accept(cancelled, { type: "HoldReleased", holdId: hold.id, reason: "released", at: now }) : accept(cancelled);
      }
      const cutoffAt = startsAt - cmd.cutoffMs;
      if (now > cutoffAt) {
        return reject({ code: "CANCEL_WINDOW_CLOSED", message: `Bookings can be cancelled until ${new Date(cutoffAt).toISOString()}`, cutoffAt });
      }
      const amount = Math.min(refundable(b), cancellationRefund(b.amount, cmd.policy));
      const fee = refundable(b) - amount;
      const cancelled: ShowEvent = { type: "BookingCancelled", bookingId: b.id, at: now, ...(fee > 0 ? { fee } : {}) };
      if (amount <= 0 || !b.paymentId) return accept(cancelled);
      return accept(cancelled, { type: "RefundRequested", bookingId: b.id, refundId: cmd.refundId, paymentId: b.paymentId, amount, reason: "requested_by_customer", at: now });
    }

    case "RefundBooking": {
      const b = own(state.bookings, cmd.bookingId);
      if (!b) return reject(notFound(cmd.bookingId));
      if (b.refunds.some((r) => r.id === cmd.refundId)) return accept();
      const left = refundable(b);
      if (left <= 0 || !b.paymentId) return reject({ code: "NOTHING_TO_REFUND", message: `Booking ${b.id} has no payment left to refund` });
      const amount = cmd.amount ?? left;
      if (amount > left) return reject({ code: "REFUND_EXCEEDS_PAYMENT", message: `At most ${left} ${b.currency} minor units of booking ${b.id} can still be refunded`, refundable: left });
      return accept({
        type: "RefundRequested", bookingId: b.id, refundId: cmd.refundId, paymentId: b.paymentId, amount, reason: "requested_by_admin", at: now,
        by: cmd.by, ...(cmd.note ? { note: cmd.note } : {}),
      });
    }

    case "AdmitTicket": {
      const b = own(state.bookings, cmd.bookingId);
      if (!b) return reject(notFound(cmd.bookingId));
      if (b.stage === "cancelled") return reject({ code: "TICKET_CANCELLED", message: "This booking was cancelled: the ticket is void" });
      if (b.stage !== "confirmed") return reject({ code: "TICKET_CANCELLED", message: `This booking is ${b.stage === "expired" ? "expired" : "not paid"}: there is no ticket` });
      if (b.admitted) return reject({ code: "TICKET_ALREADY_ADMITTED", message: `Already admitted by ${b.admitted.door}`, admitted: b.admitted });
      return accept({ type: "TicketAdmitted", bookingId: b.id, door: cmd.door, usherId: cmd.usherId, at: now });
    }

    case "RecordRefund": {
      const b = own(state.bookings, cmd.bookingId);
      const refund = b?.refunds.find((r) => r.id === cmd.refundId);
      if (!b || !refund) return reject({ code: "REFUND_NOT_FOUND", message: `Refund ${cmd.refundId} was not found` });
      // Settled refunds stay settled; a pending one may only move on (processor events may
      // arrive in any order, so an older status after a newer one changes nothing).
      if (refund.status === "succeeded" || refund.status === "failed") return accept();
      const learnsId = cmd.processorId !== undefined && refund.processorId === undefined;
      if (refund.status === cmd.status && !learnsId) return accept();
      return accept({
        type: "RefundSettled", bookingId: b.id, refundId: refund.id, status: cmd.status, at: now,
        ...(cmd.processorId && !refund.processorId ? { processorId: cmd.processorId } : {}),
      });
    }
  }
}

// ---------- evolve ----------

const withBooking = (state: ShowState, booking: Booking): ShowState => ({ ...state, bookings: { ...state.bookings, [booking.id]: booking } });

function updateBooking(state: ShowState, bookingId: string, change: (b: Booking) => Booking): ShowState {
  const booking = own(state.bookings, bookingId);
  return booking ? withBooking(state, change(booking)) : state;
}

const settleAttempt = (b: Booking, attemptId: string, change: Partial<PaymentAttempt>): Booking =>
  ({ ...b, attempts: b.attempts.map((a) => (a.id === attemptId ? { ...a, ...change } : a)) });

/** The active hold of a booking, with its payment flags changed. */
function withPaying(state: ShowState, holdId: string, change: Partial<Hold>): ShowState {
  const hold = activeHold(state, holdId);
  return hold ? withHold(state, { ...hold, ...change }) : state;
}

const HOLD_END_REASONS: Record<Exclude<HoldEnd, "booked">, { stage: Booking["stage"]; reason: string }> = {
  expired: { stage: "expired", reason: "The hold expired before payment; hold the seats again" },
  released: { stage: "cancelled", reason: "The hold was released before payment" },
  replaced: { stage: "cancelled", reason: "The hold was replaced by a new one before payment" },
};

export const evolveBooking = {
  apply(state: ShowState, event: BookingEvent): ShowState {
    switch (event.type) {
      case "BookingOpened": {
        const hold = activeHold(state, event.holdId);
        if (!hold) return state;
        const booking: Booking = {
          id: event.bookingId, holdId: hold.id, userId: hold.userId, seats: hold.seats, amount: hold.quote.total, currency: hold.quote.currency,
          quote: hold.quote, openedAt: event.at, stage: "pending_payment", attempts: [], refunds: [],
        };
        return withHold(withBooking(state, booking), { ...hold, bookingId: booking.id });
      }
      case "PaymentStarted": {
        const next = updateBooking(state, event.bookingId, (b) => ({ ...b, attempts: [...b.attempts, { id: event.attemptId, amount: event.amount, startedAt: event.at, status: "processing" }] }));
        return withPaying(next, event.holdId, { paying: true, extended: true, expiresAt: event.expiresAt, attemptId: event.attemptId });
      }
      case "PaymentActionRequired":
        return updateBooking(state, event.bookingId, (b) => settleAttempt(b, event.attemptId, {
          paymentId: event.paymentId, action: { url: event.url }, ...(event.card ? { card: event.card } : {}),
        }));
      case "PaymentSucceeded":
        return updateBooking(state, event.bookingId, (b) => settleAttempt(b, event.attemptId, { status: "succeeded", paymentId: event.paymentId, card: event.card, settledAt: event.at }));
      case "PaymentFailed": {
        const booking = own(state.bookings, event.bookingId);
        if (!booking) return state;
        const next = withBooking(state, settleAttempt(booking, event.attemptId, {
          status: "failed", failureCode: event.code, failureMessage: event.message, settledAt: event.at,
          ...(event.paymentId ? { paymentId: event.paymentId } : {}), ...(event.card ? { card: event.card } : {}),
        }));
        const hold = activeHold(next, booking.holdId);
        return hold?.attemptId === event.attemptId ? withPaying(next, hold.id, { paying: false }) : next;
      }
      case "BookingCancelled": {
        const booking = own(state.bookings, event.bookingId);
        if (!booking || booking.stage === "cancelled" || booking.stage === "expired") return state;
        const wasConfirmed = booking.stage === "confirmed";
        const next = withBooking(state, {
          ...booking, stage: "cancelled", cancelledAt: event.at, reason: wasConfirmed ? "Cancelled" : "Cancelled before payment",
          ...(event.fee ? { fee: event.fee } : {}),
        });
        return wasConfirmed ? { ...next, claims: without(next.claims, booking.seats) } : next;
      }
      case "RefundRequested": {
        const refund: RefundEntry = {
          id: event.refundId, paymentId: event.paymentId, amount: event.amount, reason: event.reason, requestedAt: event.at, status: "requested",
          ...(event.by ? { by: event.by } : {}), ...(event.note ? { note: event.note } : {}),
        };
        return updateBooking(state, event.bookingId, (b) => ({ ...b, refunds: [...b.refunds, refund] }));
      }
      case "TicketAdmitted":
        return updateBooking(state, event.bookingId, (b) => (b.admitted ? b : { ...b, admitted: { at: event.at, door: event.door, usherId: event.usherId } }));
      case "RefundSettled":
        return updateBooking(state, event.bookingId, (b) => ({
          ...b, refunds: b.refunds.map((r) => (r.id === event.refundId ? {
            ...r, status: event.status, ...(event.status === "pending" ? {} : { settledAt: event.at }), ...(event.processorId ? { processorId: event.processorId } : {}),
          } : r)),
        }));
    }
  },

  /** The seats are booked: the booking is confirmed with the payment that paid for them. */
  confirmed(state: ShowState, hold: Hold, event: BookingConfirmed): ShowState {
    const booking = own(state.bookings, event.bookingId);
    if (booking) {
      const { reason: _reason, ...rest } = booking;
      return withBooking(state, { ...rest, stage: "confirmed", paymentId: event.paymentId, confirmedAt: event.at });
    }
    // A journal from before bookings were opened in the actor confirms a hold directly.
    return withBooking(state, {
      id: event.bookingId, holdId: hold.id, userId: hold.userId, seats: hold.seats, amount: hold.quote.total, currency: hold.quote.currency,
      quote: hold.quote, openedAt: event.at, stage: "confirmed", paymentId: event.paymentId, confirmedAt: event.at,
      attempts: [{ id: event.paymentId, amount: hold.quote.total, startedAt: event.at, status: "succeeded", paymentId: event.paymentId, settledAt: event.at }],
      refunds: [],
    });
  },

  /** A booking still waiting for payment ends with its hold; one with money in flight keeps it (the reconciler settles it). */
  holdEnded(state: ShowState, bookingId: string, end: Exclude<HoldEnd, "booked">, at: number): ShowState {
    const booking = own(state.bookings, bookingId);
    if (!booking || booking.stage !== "pending_payment") return state;
    const { stage, reason } = HOLD_END_REASONS[end];
    return withBooking(state, { ...booking, stage, reason, ...(stage === "cancelled" ? { cancelledAt: at } : {}) });
  },
};
