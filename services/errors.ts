// The one error family. Every error a client can see is a MarqueeError with a stable `type`;
// moleculer-web turns `code` into the HTTP status and sends {name, message, code, type, data}.
// The domain's rejection values (show, booking workflow, catalog) get their statuses here, in one place.
import { Errors } from "moleculer";
import type { CatalogRejection } from "../domain/catalog/validate.ts";
import type { Rejection } from "../domain/show/types.ts";

export class MarqueeError extends Errors.MoleculerClientError {
  constructor(message: string, code: number, type: string, data?: unknown) {
    super(message, code, type, data);
    this.name = new.target.name;
  }
}

export class BadRequestError extends MarqueeError {
  constructor(message: string, type = "BAD_REQUEST", data?: unknown) { super(message, 400, type, data); }
}
export class UnauthorizedError extends MarqueeError {
  constructor(message = "Sign in first: send Authorization: Bearer <token> from POST /api/auth/login", type = "UNAUTHORIZED", data?: unknown) { super(message, 401, type, data); }
}
export class PaymentRequiredError extends MarqueeError {
  constructor(message: string, type = "PAYMENT_FAILED", data?: unknown) { super(message, 402, type, data); }
}
export class ForbiddenError extends MarqueeError {
  constructor(message = "This needs the admin role", type = "FORBIDDEN", data?: unknown) { super(message, 403, type, data); }
}
export class NotFoundError extends MarqueeError {
  constructor(what: string, id: string, type = "NOT_FOUND") { super(`${what} ${id} was not found`, 404, type, { [`${what.toLowerCase()}Id`]: id }); }
}
export class ConflictError extends MarqueeError {
  constructor(message: string, type = "CONFLICT", data?: unknown) { super(message, 409, type, data); }
}
export class GoneError extends MarqueeError {
  constructor(message: string, type = "GONE", data?: unknown) { super(message, 410, type, data); }
}
export class PayloadTooLargeError extends MarqueeError {
  constructor(message: string, type = "TOO_LARGE", data?: unknown) { super(message, 413, type, data); }
}
export class UnsupportedMediaTypeError extends MarqueeError {
  constructor(message: string, type = "UNSUPPORTED_MEDIA_TYPE", data?: unknown) { super(message, 415, type, data); }
}
export class UnprocessableError extends MarqueeError {
  constructor(message: string, type = "UNPROCESSABLE", data?: unknown) { super(message, 422, type, data); }
}
export class TooManyRequestsError extends MarqueeError {
  constructor(message: string, retryAfterSeconds: number, type = "TOO_MANY_REQUESTS") { super(message, 429, type, { retryAfter: retryAfterSeconds }); }
}
export class ServiceUnavailableError extends MarqueeError {
  constructor(message: string, retryAfterSeconds: number, type = "UNAVAILABLE", data?: object) { super(message, 503, type, { retryAfter: retryAfterSeconds, ...data }); }
}

/** The store did not answer: the request may or may not have taken effect, so say how to find out. */
export function storeUnavailableError(): ServiceUnavailableError {
  return new ServiceUnavailableError("The booking store is unreachable right now; retry in a moment (with the same Idempotency-Key, so nothing happens twice)", 2, "STORE_UNAVAILABLE");
}

// ---- the show decider's rejections ----

export function rejectionError(rejection: Rejection, showId: string): MarqueeError {
  const { code, message } = rejection;
  switch (rejection.code) {
    case "SHOW_NOT_SCHEDULED": return new NotFoundError("Show", showId);
    case "SEAT_UNAVAILABLE": return new ConflictError(message, code, { showId, seats: rejection.seats });
    case "DUPLICATE_SEATS": return new UnprocessableError(message, code, { showId, seats: rejection.seats });
    case "TOO_MANY_SEATS": return new UnprocessableError(message, code, { showId, max: rejection.max });
    case "TICKET_LIMIT": return new UnprocessableError(message, code, { showId, max: rejection.max, booked: rejection.booked });
    case "NO_SEATS": return new UnprocessableError(message, code, { showId });
    case "QUOTE_MISMATCH": return new UnprocessableError(message, code, { showId });
    case "HOLD_NOT_FOUND": return new MarqueeError(message, 404, code, { showId });
    case "BOOKING_NOT_FOUND": return new MarqueeError(message, 404, code, { showId });
    case "HOLD_EXPIRED": return new GoneError(message, code, { showId });
    case "HOLD_ENDED": return new ConflictError(message, code, { showId, end: rejection.end });
    case "CANCEL_WINDOW_CLOSED": return new ConflictError(message, code, { showId, cutoffAt: new Date(rejection.cutoffAt).toISOString() });
    case "TICKET_ALREADY_ADMITTED": return new ConflictError(message, code, { showId, admittedAt: new Date(rejection.admitted.at).toISOString(), door: rejection.admitted.door });
    case "TICKET_CANCELLED": return new GoneError(message, code, { showId });
    case "NO_BEST_SEATS": return new ConflictError(message, code, { showId });
    case "BEST_SEATS_MOVED": return new ConflictError(message, code, { showId, seats: rejection.seats });
    // Busy, not refused: the payment under way ends within seconds, so the client may retry.
    case "HOLD_IN_PAYMENT": return new ConflictError(message, code, { showId, retryAfter: 1 });
    case "PAYMENT_IN_PROGRESS": return new ConflictError(message, code, { showId, bookingId: rejection.bookingId, retryAfter: 1 });
    case "BOOKING_EXISTS": return new ConflictError(message, code, { showId, bookingId: rejection.bookingId });
    case "BOOKING_NOT_PAYABLE":
    case "BOOKING_NOT_CANCELLABLE":
      return new ConflictError(message, code, { showId, bookingId: rejection.bookingId, stage: rejection.stage });
    case "NOTHING_TO_REFUND": return new ConflictError(message, code, { showId });
    case "REFUND_EXCEEDS_PAYMENT": return new UnprocessableError(message, code, { showId, refundable: rejection.refundable });
    case "ATTEMPT_NOT_FOUND":
    case "REFUND_NOT_FOUND":
      return new MarqueeError(message, 404, code, { showId });
    case "SHOW_STARTED":
    case "ALREADY_SCHEDULED":
      return new ConflictError(message, code, { showId });
  }
}

// ---- the catalog's rejections: a busy screen is a conflict, everything else a field to fix ----

export function catalogRejectionError(rejection: CatalogRejection): MarqueeError {
  const { code, message, data } = rejection;
  return code === "SCREEN_BUSY" ? new ConflictError(message, code, data) : new UnprocessableError(message, code, data);
}
