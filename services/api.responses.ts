// What the gateway's routes answer when they succeed, for the OpenAPI document (the requests
// side is generated from the actions' params). Written by hand, so test/http/openapi.test.ts
// validates real answers against them; a route without an entry is documented as "200, JSON".
import type { Success } from "../infra/openapi.ts";
import type { JsonSchema } from "../infra/json-schema.ts";

const str = { type: "string" };
const int = { type: "integer" };
const time = { type: "string", format: "date-time" };
const obj = (required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema =>
  ({ type: "object", required: Object.keys(required), properties: { ...required, ...optional } });
const list = (items: JsonSchema): JsonSchema => ({ type: "array", items });

export const errorSchema = obj({ name: str, message: str, code: int, type: str }, { data: {} });

const user = obj({ id: str, email: { type: "string", format: "email" }, name: str, role: { enum: ["customer", "admin"] } });
const session = obj({ token: str, user });
const quoteLine = obj({ seat: str, category: str, factor: str, reason: str }, { amount: int, multiplier: { type: "number" } });
const quote = obj({ currency: str, total: int, lines: list(quoteLine) }, { quotedAt: time });
const hold = obj(
  { id: str, showId: str, seats: list(str), status: { enum: ["active", "paying", "expired", "released", "replaced", "booked"] }, expiresAt: time },
  { heldAt: time, quote },
);
const booking = obj(
  { id: str, showId: str, holdId: str, seats: list(str), status: str, amount: int, currency: str },
  { userId: str, lines: list(quoteLine), createdAt: time, updatedAt: time },
);
const movie = obj({ id: str, title: str, durationMinutes: int, rating: str, languages: list(str) }, { genres: list(str), synopsis: str, posterUrl: str });
const showSummary = obj({
  id: str, movieId: str, movieTitle: str, cinemaId: str, cinemaName: str, city: str, timezone: str,
  screenId: str, screenName: str, startsAt: time, endsAt: time, localDate: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
  currency: str, prices: { type: "object", additionalProperties: int },
});
const seat = obj({ id: str, row: str, number: int, category: str, status: { enum: ["available", "held", "booked", "not_for_sale"] }, price: { type: ["integer", "null"] } });
const showDetails = obj({ id: str, startsAt: time, currency: str, movie, cinema: obj({ id: str, name: str, city: str, timezone: str }), seats: list(seat) }, { yourSeats: list(str) });

const ok = (schema: JsonSchema, description = "OK"): Success => ({ status: 200, description, schema });
const made = (schema: JsonSchema, description = "Created; Location names it"): Success => ({ status: 201, description, schema });

export const successes: Record<string, Success> = {
  "api.health": ok(obj({ status: { const: "ok" }, nodeID: str, uptimeSeconds: int, time }), "This node is alive"),
  "api.openapi": ok({ type: "object", required: ["openapi", "paths"] }, "This document"),
  "GET /api/docs": { status: 200, description: "Swagger UI for this document", contentType: "text/html" },
  "GET /api/docs/:file": { status: 200, description: "Swagger UI's files (served from the swagger-ui-dist package)", contentType: "application/octet-stream" },
  "GET /api/shows/:showId/events": { status: 200, description: "Server-sent events: `snapshot`, then `seats` and `prices`", contentType: "text/event-stream", schema: str },
  "GET /metrics": { status: 200, description: "Prometheus text format", contentType: "text/plain", schema: str },
  "auth.register": made(session, "Signed up and signed in"),
  "auth.login": ok(session, "Signed in"),
  "auth.me": ok(user),
  "catalog.listMovies": ok(list(movie)),
  "catalog.getMovie": ok(movie),
  "catalog.ratings": ok(list(str), "The certificates a movie may carry"),
  "catalog.listShows": ok(list(showSummary)),
  "admin.showDetails": ok(showDetails, "The show with every seat's status and price"),
  "admin.quote": ok(quote, "The price of these seats now, explained"),
  "admin.hold": made(hold, "The seats are held"),
  "admin.getHold": ok(hold),
  "admin.releaseHold": { status: 204, description: "Released" },
  "admin.createBooking": made(booking, "A booking pending payment, for the hold's quote"),
  "admin.myBookings": ok(list(booking)),
  "admin.getBooking": ok(booking),
  "admin.pay": ok(booking, "Paid and confirmed"),
  "admin.cancelBooking": ok(booking, "Cancelled and refunded"),
  "admin.createMovie": made(movie),
  "admin.createCinema": made({ type: "object", required: ["id"] }),
  "admin.createShow": made({ type: "object", required: ["id"] }),
  "pricing.remove": { status: 204, description: "Removed" },
};
