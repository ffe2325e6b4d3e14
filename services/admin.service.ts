// The admin component: the server clients talk to (through the gateway) and a client of the
// main tier. It runs the booking workflow (hold -> booking -> pay -> confirm; cancel -> refund)
// and the admin operations. Every step of a booking is decided by its show's actor, which keeps
// the booking and its money: this component only carries requests there, charges the card
// between the attempt being recorded and its outcome, and turns outcomes into answers.
import { createHash } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import { cardDataIn } from "../domain/payment/card-data.ts";
import type { BookingView, HoldView } from "../domain/show/views.ts";
import { availabilityOf } from "../domain/show/availability.ts";
import { bookingCode } from "../domain/ticket/ticket.ts";
import { idempotent } from "./idempotency.ts";
import { queueGuard } from "./queue-guard.ts";
import { adminOf, callerOf, ownerScope } from "./caller.ts";
import type { CallMeta, Caller, ServiceDeps } from "./deps.ts";
import { newBookingId, newHoldId, newId, showOfBooking, showOfHold } from "./ids.ts";
import { bookingIdParam, holdIdParam, idParam as id } from "./params.ts";
import { created } from "./replies.ts";
import { GoneError, type MarqueeError, NotFoundError, PaymentRequiredError, UnprocessableError } from "./errors.ts";
import { PAID_SHOWS } from "./show.actor.ts";
import { call } from "./contracts.ts";

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

/** A processor's payment method id (pm_...), never anything that could hold a card. */
const PAYMENT_METHOD = /^pm_[A-Za-z0-9_]{1,120}$/;

const typeOf = (error: unknown) => (error instanceof Error ? (error as MarqueeError).type : undefined);

function publicHold(view: HoldView) {
  const { userId: _userId, quote, ...rest } = view;
  return { ...rest, ...(quote ? { quote: { currency: quote.currency, total: quote.total, lines: quote.lines, charges: quote.charges, quotedAt: quote.quotedAt } } : {}) };
}

/** An admin creates a catalog record: the catalog validates it, the reply says where it lives. */
function createInCatalog(action: "createMovie" | "createCinema" | "createShow", collection: string) {
  return {
    async handler(ctx: Ctx<Record<string, unknown>>) {
      adminOf(ctx);
      const made = await ctx.call<{ id: string }, object>(`catalog.${action}`, ctx.params);
      return created(ctx, `${collection}/${made.id}`, made);
    },
  };
}

/** Shows a user has bookings on: where "my bookings" looks. */
const userShows = (userId: string) => `userShows:${userId}`;

export default function adminService({ config, store }: ServiceDeps): ServiceSchema {
  /**
   * Where the processor sends the customer back after a 3-D Secure challenge: the caller's page,
   * if it is a web address, else the booking on this platform's own web app.
   */
  const returnUrlOf = (asked: string | undefined, bookingId: string): string => {
    if (asked && /^https?:\/\/[^\s]+$/i.test(asked)) return asked;
    return new URL(`/#/bookings/${encodeURIComponent(bookingId)}`, config.publicUrl).href;
  };
  const admittedFor = queueGuard({ store, tokenSecret: config.tokenSecret });

  return {
    name: "admin",

    methods: {
      /** The show a hold id names; an id that names none is a hold that does not exist. */
      showOf(holdId: string): string {
        const showId = showOfHold(holdId);
        if (!showId) throw new NotFoundError("Hold", holdId, "HOLD_NOT_FOUND");
        return showId;
      },

      showOfBooking(bookingId: string): string {
        const showId = showOfBooking(bookingId);
        if (!showId) throw new NotFoundError("Booking", bookingId, "BOOKING_NOT_FOUND");
        return showId;
      },

      /** A call about a hold or booking: a show that does not exist has none of them either. */
      async at<T>(what: "Hold" | "Booking", recordId: string, call: Promise<T>): Promise<T> {
        try {
          return await call;
        } catch (error) {
          if (typeOf(error) === "NOT_FOUND") throw new NotFoundError(what, recordId, `${what.toUpperCase()}_NOT_FOUND`);
          throw error;
        }
      },

      /** The hold if the caller may see it (their own; anyone's for an admin), asked of its show's actor. */
      holdFor(ctx: Ctx<unknown>, holdId: string, caller: Caller): Promise<HoldView> {
        const userId = ownerScope(caller);
        return this.at("Hold", holdId, call(ctx, "show.getHold", { showId: this.showOf(holdId), holdId, ...(userId ? { userId } : {}) }));
      },

      /** The booking if the caller may see it, read from its show's actor: no read path writes. */
      bookingFor(ctx: Ctx<unknown>, bookingId: string, caller: Caller): Promise<BookingView> {
        const userId = ownerScope(caller);
        return this.at("Booking", bookingId, call(ctx, "show.getBooking", { showId: this.showOfBooking(bookingId), bookingId, ...(userId ? { userId } : {}) }));
      },

      /** A paid-for booking's answer: confirmed, or why not (declined, or the seats were gone and the money goes back). */
      paid(booking: BookingView): BookingView {
        if (booking.status === "payment_failed") {
          throw new PaymentRequiredError(`Payment declined: ${booking.reason}`, "PAYMENT_FAILED", { booking, reason: booking.payment?.failureCode });
        }
        if (booking.status === "refunded" || booking.status === "expired") throw new GoneError(booking.reason ?? "The hold expired", "HOLD_EXPIRED", { booking });
        return booking;
      },
    },

    actions: {
      // ---------- holds ----------
      hold: {
        params: {
          showId: id,
          // Either the seats, or "the best N of a category", picked and held in one step.
          seats: { type: "array", items: { type: "string", min: 1, max: 20 }, min: 1, max: 1000, optional: true },
          best: { type: "object", optional: true, strict: "remove", props: { category: { type: "string", min: 1, max: 40 }, count: { type: "number", integer: true, min: 1, max: 100 } } },
          queuePass: { type: "string", max: 2000, optional: true },
        },
        async handler(ctx: Ctx<{ showId: string; seats?: string[]; best?: { category: string; count: number }; queuePass?: string }>) {
          const caller = callerOf(ctx);
          const { showId, best } = ctx.params;
          if (!ctx.params.seats === !best) throw new UnprocessableError("Send either seats or best: {category, count}", "VALIDATION_ERROR");
          // During an on-sale: no hold without a queue pass, and the show's actor caps tickets per account.
          const maxPerAccount = await admittedFor(showId, caller, ctx.params.queuePass);
          const hold = await idempotent(store, `hold:${caller.id}`, ctx.meta.idempotencyKey, { showId, seats: ctx.params.seats, best }, async () => {
            // The show's actor prices the seats and holds them in one visit.
            const view = await call(ctx, "show.hold", {
              showId, holdId: newHoldId(showId), userId: caller.id, ...(best ? { best } : { seats: ctx.params.seats }), ...(maxPerAccount ? { maxPerAccount } : {}),
            });
            return publicHold(view);
          });
          return created(ctx, `/api/holds/${hold.id}`, hold);
        },
      },

      getHold: {
        params: { holdId: holdIdParam },
        async handler(ctx: Ctx<{ holdId: string }>) {
          return publicHold(await this.holdFor(ctx, ctx.params.holdId, callerOf(ctx)));
        },
      },

      releaseHold: {
        params: { holdId: holdIdParam },
        async handler(ctx: Ctx<{ holdId: string }>) {
          const caller = callerOf(ctx);
          const { holdId } = ctx.params;
          // A customer releases as themselves (the actor refuses anyone else's hold); an admin
          // releases as the hold's owner.
          const userId = ownerScope(caller) ?? (await this.holdFor(ctx, holdId, caller)).userId;
          await this.at("Hold", holdId, call(ctx, "show.release", { showId: this.showOf(holdId), holdId, userId }));
          ctx.meta.$statusCode = 204;
          return null;
        },
      },

      // ---------- bookings ----------
      createBooking: {
        params: { holdId: holdIdParam },
        async handler(ctx: Ctx<{ holdId: string }>) {
          const caller = callerOf(ctx);
          const { holdId } = ctx.params;
          const booking = await idempotent(store, `booking:${caller.id}`, ctx.meta.idempotencyKey, { holdId }, async () => {
            const showId = this.showOf(holdId);
            const userId = ownerScope(caller) ?? (await this.holdFor(ctx, holdId, caller)).userId;
            // Listed first, so "my bookings" always finds it; a show listed for a booking that
            // was then refused only costs that page one look.
            await store.addToSet(userShows(userId), showId);
            return this.at("Hold", holdId, call(ctx, "show.openBooking", { showId, bookingId: newBookingId(showId), holdId, userId }));
          });
          return created(ctx, `/api/bookings/${booking.id}`, booking);
        },
      },

      pay: {
        // Only the payment method's id: anything else in the body (a card) is looked for and refused.
        // A number is let through validation to be looked at: it may be a card, which is refused as such.
        params: {
          bookingId: bookingIdParam, returnUrl: { type: "string", optional: true, max: 2000 },
          paymentMethod: { type: "multi", optional: true, rules: [{ type: "string", max: 200 }, { type: "number" }] },
        },
        async handler(ctx: Ctx<{ bookingId: string; paymentMethod?: string | number; returnUrl?: string }>) {
          const caller = callerOf(ctx);
          const cardAt = cardDataIn(ctx.params);
          if (cardAt) {
            throw new UnprocessableError(
              "Marquee never takes card numbers: enter the card on the processor's card page and send the payment method it returns (paymentMethod: \"pm_...\")",
              "CARD_DATA_REFUSED", { field: cardAt },
            );
          }
          const { bookingId, paymentMethod } = ctx.params;
          if (typeof paymentMethod !== "string" || !PAYMENT_METHOD.test(paymentMethod)) {
            throw new UnprocessableError("Send paymentMethod: the id of a payment method made at the processor's card page (pm_...), or a test method such as pm_card_visa", "PAYMENT_METHOD_REQUIRED", { field: "paymentMethod" });
          }
          const returnUrl = returnUrlOf(ctx.params.returnUrl, bookingId);
          const key = ctx.meta.idempotencyKey;
          return idempotent(store, `pay:${caller.id}`, key, { bookingId, paymentMethod }, async () => {
            const showId = this.showOfBooking(bookingId);
            // A customer pays as themselves (the actor answers 404 for anyone else's booking);
            // only an admin needs to learn whose booking it is.
            const userId = ownerScope(caller) ?? (await this.bookingFor(ctx, bookingId, caller)).userId;
            // The same customer key is the same attempt, so a retry neither charges twice nor
            // trips over its own attempt; without a key every pay is a new attempt.
            const attemptId = key ? `att_${createHash("sha256").update(`${bookingId}\n${key}`).digest("hex").slice(0, 32)}` : newId("att");
            const started = await this.at("Booking", bookingId, call(ctx, "show.startPayment", { showId, bookingId, userId, attemptId })).catch(async (error: unknown) => {
              // Gone, and the customer learns what became of the booking (and of any money).
              if (typeOf(error) === "HOLD_EXPIRED") throw new GoneError((error as Error).message, "HOLD_EXPIRED", { booking: await this.bookingFor(ctx, bookingId, caller) });
              throw error;
            });
            if (started.payment?.attemptId !== attemptId) return this.paid(started); // paid already
            if (started.payment.status !== "processing") return this.paid(started); // this attempt was settled before

            // Unheard (the processor timed out): the attempt stays in flight for the reconciler,
            // and the 503 says so; a retry with the same Idempotency-Key asks about the same attempt.
            const outcome = await call(ctx, "payment.pay", {
              attemptId, showId, bookingId, userId, amount: started.amount, currency: started.currency, paymentMethod, returnUrl,
            });
            // A test's fault switch: die the moment the money is taken and not yet recorded.
            if (config.fault === "after_charge" && outcome.status === "succeeded") process.kill(process.pid, "SIGKILL");
            return this.paid(await call(ctx, "show.recordPayment", { showId, bookingId, attemptId, outcome }));
          });
        },
      },

      getBooking: {
        params: { bookingId: bookingIdParam },
        async handler(ctx: Ctx<{ bookingId: string }>) {
          return this.bookingFor(ctx, ctx.params.bookingId, callerOf(ctx));
        },
      },

      myBookings: {
        async handler(ctx: Ctx) {
          const caller = callerOf(ctx);
          const showIds = await store.members(userShows(caller.id));
          const [perShow, summaries] = await Promise.all([
            Promise.all(showIds.map((showId) => call(ctx, "show.bookingsOf", { showId, userId: caller.id }))),
            // Each booking names its show (movie, cinema, time), so a list needs no call per show.
            call(ctx, "catalog.showSummaries", { showIds }),
          ]);
          const shows = new Map(summaries.map((s) => [s.id, s]));
          const cancelUntil = (showId: string) => {
            const starts = shows.get(showId)?.startsAt;
            return starts ? new Date(Date.parse(starts) - config.cancelCutoffMs).toISOString() : null;
          };
          return perShow.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt))
            .map((b) => ({ ...b, code: bookingCode(b.id), show: shows.get(b.showId) ?? null, cancelUntil: cancelUntil(b.showId) }));
        },
      },

      cancelBooking: {
        params: { bookingId: bookingIdParam },
        async handler(ctx: Ctx<{ bookingId: string }>) {
          const caller = callerOf(ctx);
          const { bookingId } = ctx.params;
          const userId = ownerScope(caller);
          const showId = this.showOfBooking(bookingId);
          // The cinema's cancellation fee, if it has one, is kept back from the refund.
          const show = await this.at("Booking", bookingId, call(ctx, "catalog.getShow", { showId }));
          const policy = show.cinema.refundPolicy;
          return this.at("Booking", bookingId, call(ctx, "show.cancel", { showId, bookingId, ...(userId ? { userId } : {}), ...(policy ? { policy } : {}) }));
        },
      },

      // ---------- shows as customers see them ----------
      showDetails: {
        params: { showId: id },
        async handler(ctx: Ctx<{ showId: string }>) {
          const { showId } = ctx.params;
          // Anyone may look; a signed-in caller also learns which seats are theirs.
          const userId = ctx.meta.caller?.id;
          const [show, live, prices] = await Promise.all([
            call(ctx, "catalog.getShow", { showId }),
            call(ctx, "show.seats", { showId, ...(userId ? { userId } : {}) }),
            call(ctx, "show.prices", { showId }),
          ]);
          return {
            ...show,
            version: live.version,
            yourSeats: live.bookedBy ?? [],
            // Shown before paying: until when a booking can be cancelled for a full refund.
            cancelUntil: new Date(Date.parse(show.startsAt) - config.cancelCutoffMs).toISOString(),
            seats: show.seats.map((s) => ({ id: s.id, row: s.row, number: s.number, column: s.column, category: s.category, status: live.seats[s.id] ?? "available", price: prices.prices[s.id] ?? null })),
          };
        },
      },

      /** The price of seats now, explained, from the show's actor (which alone knows its demand and published price). */
      quote: {
        params: {
          showId: id,
          seats: [{ type: "array", items: { type: "string", max: 20 }, max: 1000 }, { type: "string", max: 5000 }],
          lat: { type: "number", min: -90, max: 90, convert: true, optional: true },
          lon: { type: "number", min: -180, max: 180, convert: true, optional: true },
        },
        async handler(ctx: Ctx<{ showId: string; seats: string[] | string; lat?: number; lon?: number }>) {
          // GET /quote?seats=A1,A2 sends one string.
          const seats = typeof ctx.params.seats === "string" ? ctx.params.seats.split(",").map((s) => s.trim()).filter(Boolean) : ctx.params.seats;
          return call(ctx, "show.quote", { ...ctx.params, seats });
        },
      },

      /**
       * What a showtime chip shows for each show: the lowest ticket price ("from", before GST and
       * fees, which depend on the seats chosen), seats left and whether it is filling fast.
       */
      showtimes: {
        params: { ids: { type: "string", min: 1, max: 5_000 } },
        async handler(ctx: Ctx<{ ids: string }>) {
          const ids = [...new Set(ctx.params.ids.split(",").map((s) => s.trim()).filter(Boolean))].slice(0, 100);
          const each = await Promise.all(ids.map(async (showId) => {
            try {
              const priced = await call(ctx, "show.prices", { showId });
              const prices = Object.values(priced.categoryPrices);
              const { forSale, claimed } = priced;
              return { showId, currency: priced.currency, from: prices.length ? Math.min(...prices) : null, seatsLeft: Math.max(0, forSale - claimed), availability: availabilityOf(forSale, claimed) };
            } catch (error) {
              // A show that has gone is left out of the chips, not a failure of the whole list.
              if ((error as { code?: number }).code === 404) return null;
              throw error;
            }
          }));
          return each.filter((x) => x !== null);
        },
      },

      // ---------- admin operations ----------
      showStats: {
        params: { showId: id },
        async handler(ctx: Ctx<{ showId: string }>) {
          adminOf(ctx);
          return call(ctx, "show.stats", { showId: ctx.params.showId });
        },
      },
      expireHold: {
        params: { holdId: holdIdParam },
        async handler(ctx: Ctx<{ holdId: string }>) {
          adminOf(ctx);
          const { holdId } = ctx.params;
          return this.at("Hold", holdId, call(ctx, "show.expireHold", { showId: this.showOf(holdId), holdId }));
        },
      },
      repriceShow: {
        params: { showId: id },
        async handler(ctx: Ctx<{ showId: string }>) {
          adminOf(ctx);
          return call(ctx, "pricing.reprice", { showId: ctx.params.showId });
        },
      },
      refundBooking: {
        params: { bookingId: bookingIdParam, amount: { type: "number", integer: true, positive: true, optional: true, convert: true }, note: { type: "string", max: 500, optional: true } },
        async handler(ctx: Ctx<{ bookingId: string; amount?: number; note?: string }>) {
          const admin = adminOf(ctx);
          const { bookingId, amount, note } = ctx.params;
          return this.at("Booking", bookingId, call(ctx, "show.refund", {
            showId: this.showOfBooking(bookingId), bookingId, by: admin.id, ...(amount ? { amount } : {}), ...(note ? { note } : {}),
          }));
        },
      },
      /** Every charge and refund, of one show or of all that ever took a payment, since a moment. */
      payments: {
        params: { showId: { ...id, optional: true }, since: { type: "date", convert: true, optional: true } },
        async handler(ctx: Ctx<{ showId?: string; since?: Date }>) {
          adminOf(ctx);
          const since = ctx.params.since?.getTime() ?? 0;
          const showIds = ctx.params.showId ? [ctx.params.showId] : await store.members(PAID_SHOWS);
          const ledgers = await Promise.all(showIds.map((showId) => call(ctx, "show.ledger", { showId, since })));
          return ledgers.flat().sort((a, b) => a.at.localeCompare(b.at));
        },
      },
      createMovie: createInCatalog("createMovie", "/api/movies"),
      createCinema: createInCatalog("createCinema", "/api/cinemas"),
      createShow: createInCatalog("createShow", "/api/shows"),
    },
  };
}
