// The one error family. Every error a client can see is a MarqueeError with a stable `type`;
// moleculer-web turns `code` into the HTTP status and sends {name, message, code, type, data}.
// The domain's rejection values (show, booking workflow, catalog) get their statuses here, in one place.
import { Errors } from "moleculer";
import type { BookingRejection } from "../domain/booking/booking.ts";
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
export class UnprocessableError extends MarqueeError {
  constructor(message: string, type = "UNPROCESSABLE", data?: unknown) { super(message, 422, type, data); }
}
export class TooManyRequestsError extends MarqueeError {
  constructor(message: string, retryAfterSeconds: number, type = "TOO_MANY_REQUESTS") { super(message, 429, type, { retryAfter: retryAfterSeconds }); }
}
export class ServiceUnavailableError extends MarqueeError {
  constructor(message: string, retryAfterSeconds: number, type = "UNAVAILABLE", data?: object) { super(message, 503, type, { retryAfter: retryAfterSeconds, ...data }); }
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
    case "HOLD_NOT_FOUND": return new MarqueeError(message, 404, code, { showId });
    case "BOOKING_NOT_FOUND": return new MarqueeError(message, 404, code, { showId });
    case "HOLD_EXPIRED": return new GoneError(message, code, { showId });
    case "HOLD_ENDED": return new ConflictError(message, code, { showId, end: rejection.end });
    case "CANCEL_WINDOW_CLOSED": return new ConflictError(message, code, { showId, cutoffAt: new Date(rejection.cutoffAt).toISOString() });
    // Busy, not refused: the payment under way ends within seconds, so the client may retry.
    case "HOLD_IN_PAYMENT": return new ConflictError(message, code, { showId, retryAfter: 1 });
    case "SHOW_STARTED":
    case "ALREADY_SCHEDULED":
      return new ConflictError(message, code, { showId });
  }
}

// ---- the booking workflow's rejections ----

export function bookingRejectionError(rejection: BookingRejection): MarqueeError {
  const { code, message, data } = rejection;
  return code === "HOLD_EXPIRED" ? new GoneError(message, code, data) : new ConflictError(message, code, data);
}

// ---- the catalog's rejections: a busy screen is a conflict, everything else a field to fix ----

export function catalogRejectionError(rejection: CatalogRejection): MarqueeError {
  const { code, message, data } = rejection;
  return code === "SCREEN_BUSY" ? new ConflictError(message, code, data) : new UnprocessableError(message, code, data);
}
