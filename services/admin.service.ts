// The admin component: the server clients talk to (through the gateway) and a client of the
// main tier. It runs the booking workflow (hold -> booking -> pay -> confirm; cancel -> refund)
// and the admin operations. Amounts always come from the hold's locked quote.
import { createHmac } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import {
  canPay, cancelled, confirmed, followHold, openBooking, openingRefusal, paymentFailed, paymentSummary, planCancellation, planPayment,
  refundedUnconfirmed, refundSummary, seatsLost, type BookingRecord,
} from "../domain/booking/booking.ts";
import type { ShowDetails, ShowSummary } from "../domain/catalog/types.ts";
import type { CardInput } from "../domain/payment/card.ts";
import type { Payment, Refund } from "../domain/payment/payment.ts";
import type { Quote } from "../domain/pricing/quote.ts";
import type { HoldView } from "../domain/show/views.ts";
import { idempotent } from "./idempotency.ts";
import { queueGuard } from "./queue-guard.ts";
import { adminOf, callerOf, mayAccess, ownerScope } from "./caller.ts";
import type { CallMeta, Caller, ServiceDeps } from "./deps.ts";
import { newHoldId, newId, showOfHold } from "./ids.ts";
import { cardParam, holdIdParam, idParam as id } from "./params.ts";
import { created } from "./replies.ts";
import { bookingRejectionError, ConflictError, type MarqueeError, NotFoundError, PaymentRequiredError } from "./errors.ts";

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;


const statusOf = (error: unknown) => (error instanceof Error ? (error as MarqueeError).code : undefined);
const typeOf = (error: unknown) => (error instanceof Error ? (error as MarqueeError).type : undefined);

function publicHold(view: HoldView) {
  const { userId: _userId, quote, ...rest } = view;
  return { ...rest, ...(quote ? { quote: { currency: quote.currency, total: quote.total, lines: quote.lines, quotedAt: quote.quotedAt } } : {}) };
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

export default function adminService({ config, store }: ServiceDeps): ServiceSchema {
  // Card details feed the idempotency fingerprint only through a keyed hash, so no stored
  // record can be turned back into a card number.
  const cardFingerprint = (card: CardInput) => createHmac("sha256", config.tokenSecret).update(`${card.number}|${card.cvc}`).digest("hex");
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

      /** A call to the show a hold id names; a show that does not exist has no holds either. */
      async atHold<T>(holdId: string, call: Promise<T>): Promise<T> {
        try {
          return await call;
        } catch (error) {
          if (statusOf(error) === 404) throw new NotFoundError("Hold", holdId, "HOLD_NOT_FOUND");
          throw error;
        }
      },

      /** The hold if the caller may see it (their own; anyone's for an admin), asked of its show's actor. */
      holdFor(ctx: Ctx<unknown>, holdId: string, caller: Caller): Promise<HoldView> {
        const userId = ownerScope(caller);
        return this.atHold(holdId, ctx.call<HoldView, object>("show.getHold", { showId: this.showOf(holdId), holdId, ...(userId ? { userId } : {}) }));
      },

      async bookingOf(bookingId: string, caller: Caller): Promise<BookingRecord> {
        const booking = await store.get<BookingRecord>("bookings", bookingId);
        if (!booking || !mayAccess(caller, booking.userId)) throw new NotFoundError("Booking", bookingId, "BOOKING_NOT_FOUND");
        return booking;
      },

      /** Brings a pending booking up to date with its hold (expired, released...). */
      async refresh(ctx: Ctx<unknown>, booking: BookingRecord): Promise<BookingRecord> {
        if (!canPay(booking)) return booking;
        const hold = await ctx.call<HoldView, object>("show.getHold", { showId: booking.showId, holdId: booking.holdId });
        const next = followHold(booking, hold.status, Date.now());
        return next === booking ? booking : this.save(next);
      },

      async save(booking: BookingRecord): Promise<BookingRecord> {
        await store.put("bookings", booking.id, booking);
        return booking;
      },
    },

    actions: {
      // ---------- holds ----------
      hold: {
        params: { showId: id, seats: { type: "array", items: { type: "string", min: 1, max: 20 }, min: 1, max: 1000 }, queuePass: { type: "string", max: 2000, optional: true } },
        async handler(ctx: Ctx<{ showId: string; seats: string[]; queuePass?: string }>) {
          const caller = callerOf(ctx);
          const { showId, seats } = ctx.params;
          // During an on-sale: no hold without a queue pass, and the show's actor caps tickets per account.
          const maxPerAccount = await admittedFor(showId, caller, ctx.params.queuePass);
          const hold = await idempotent(store, `hold:${caller.id}`, ctx.meta.idempotencyKey, { showId, seats }, async () => {
            const quote = await ctx.call<Quote, object>("pricing.quote", { showId, seats });
            const view = await ctx.call<HoldView, object>("show.hold", { showId, holdId: newHoldId(showId), userId: caller.id, seats, quote, ...(maxPerAccount ? { maxPerAccount } : {}) });
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
          await this.atHold(holdId, ctx.call("show.release", { showId: this.showOf(holdId), holdId, userId }));
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
            const hold = await this.holdFor(ctx, holdId, caller);
            const { showId, userId } = hold;
            const refusal = openingRefusal(hold);
            if (refusal) throw bookingRejectionError(refusal);
            const booking = openBooking({ id: newId("bkg"), userId, showId, holdId, seats: hold.seats, quote: hold.quote! }, Date.now());
            // One booking per hold, even when two requests race.
            if (!(await store.putIfAbsent("bookingByHold", holdId, booking.id))) {
              const existing = await store.get<string>("bookingByHold", holdId);
              throw new ConflictError(`Hold ${holdId} already has booking ${existing}`, "BOOKING_EXISTS", { holdId, bookingId: existing });
            }
            await this.save(booking);
            await store.addToSet(`userBookings:${userId}`, booking.id);
            return booking;
          });
          return created(ctx, `/api/bookings/${booking.id}`, booking);
        },
      },

      pay: {
        params: {
          bookingId: id,
          card: cardParam,
        },
        async handler(ctx: Ctx<{ bookingId: string; card: CardInput }>) {
          const caller = callerOf(ctx);
          const { bookingId, card } = ctx.params;
          const request = { bookingId, card: { fingerprint: cardFingerprint(card), expMonth: card.expMonth, expYear: card.expYear } };
          return idempotent(store, `pay:${caller.id}`, ctx.meta.idempotencyKey, request, async () => {
            let booking: BookingRecord = await this.refresh(ctx, await this.bookingOf(bookingId, caller));
            const plan = planPayment(booking);
            if (plan.step === "none") return booking;
            if (plan.step === "refuse") throw bookingRejectionError(plan.rejection);

            const where = { showId: booking.showId, holdId: booking.holdId, userId: booking.userId };
            // One attempt id for this pay request: a retry inside the cluster neither charges twice
            // nor trips over its own payment lock.
            const attemptId = `${bookingId}:${ctx.meta.idempotencyKey ?? ctx.requestID ?? newId("req")}`;
            try {
              await ctx.call("show.startPayment", { ...where, attemptId });
            } catch (error) {
              if (statusOf(error) === 410) {
                booking = await this.save(followHold(booking, "expired", Date.now()));
                throw bookingRejectionError(seatsLost(booking));
              }
              throw error;
            }

            let payment: Payment;
            try {
              payment = await ctx.call<Payment, object>("payment.charge", {
                bookingId, userId: booking.userId, amount: booking.amount, currency: booking.currency, card,
                idempotencyKey: attemptId,
              });
            } catch (error) {
              await ctx.call("show.abortPayment", where);
              throw error;
            }
            const summary = paymentSummary(payment);

            if (payment.status !== "succeeded") {
              await ctx.call("show.abortPayment", where);
              booking = await this.save(paymentFailed(booking, summary, Date.now()));
              throw new PaymentRequiredError(`Payment declined: ${booking.reason}`, "PAYMENT_FAILED", { booking, reason: payment.failureCode });
            }

            try {
              await ctx.call("show.confirm", { ...where, bookingId, paymentId: payment.id });
            } catch (error) {
              if (!(statusOf(error) === 410 || typeOf(error) === "HOLD_ENDED")) throw error;
              const refund = await ctx.call<Refund, object>("payment.refund", { paymentId: payment.id, reason: "seats_not_confirmed", idempotencyKey: `unconfirmed:${bookingId}` });
              booking = await this.save(refundedUnconfirmed(booking, summary, refundSummary(refund, "seats_not_confirmed"), "The seats could not be confirmed because the hold ended", Date.now()));
              throw bookingRejectionError(seatsLost(booking));
            }
            return this.save(confirmed(booking, summary, Date.now()));
          });
        },
      },

      getBooking: {
        params: { bookingId: id },
        async handler(ctx: Ctx<{ bookingId: string }>) {
          return this.refresh(ctx, await this.bookingOf(ctx.params.bookingId, callerOf(ctx)));
        },
      },

      myBookings: {
        async handler(ctx: Ctx) {
          const caller = callerOf(ctx);
          const ids = await store.members(`userBookings:${caller.id}`);
          const bookings = (await store.getMany<BookingRecord>("bookings", ids)).filter((b): b is BookingRecord => !!b);
          const fresh = await Promise.all(bookings.map((b) => this.refresh(ctx, b) as Promise<BookingRecord>));
          // Each booking names its show (movie, cinema, time), so a list needs no call per show.
          const summaries = await ctx.call<ShowSummary[], object>("catalog.showSummaries", { showIds: fresh.map((b) => b.showId) });
          const shows = new Map(summaries.map((s) => [s.id, s]));
          return fresh.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((b) => ({ ...b, show: shows.get(b.showId) ?? null }));
        },
      },

      cancelBooking: {
        params: { bookingId: id },
        async handler(ctx: Ctx<{ bookingId: string }>) {
          const caller = callerOf(ctx);
          const booking: BookingRecord = await this.refresh(ctx, await this.bookingOf(ctx.params.bookingId, caller));
          const plan = planCancellation(booking);
          if (plan.step === "none") return booking;
          if (plan.step === "refuse") throw bookingRejectionError(plan.rejection);
          if (plan.step === "release_hold") {
            await ctx.call("show.release", { showId: booking.showId, holdId: booking.holdId, userId: booking.userId }).catch((error: unknown) => {
              // The hold may have ended meanwhile; the booking is cancelled either way.
              if (![404, 409, 410].includes(statusOf(error) ?? 0)) throw error;
            });
            return this.save(cancelled(booking, Date.now()));
          }
          await ctx.call("show.cancel", { showId: booking.showId, bookingId: booking.id, ...(caller.role === "admin" ? {} : { userId: caller.id }) });
          const refund = await ctx.call<Refund, object>("payment.refund", { paymentId: plan.paymentId, reason: plan.reason, idempotencyKey: `cancel:${booking.id}` });
          return this.save(cancelled(booking, Date.now(), refundSummary(refund, plan.reason)));
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
            ctx.call<ShowDetails, object>("catalog.getShow", { showId }),
            ctx.call<{ version: number; seats: Record<string, string>; bookedBy?: string[] }, object>("show.seats", { showId, ...(userId ? { userId } : {}) }),
            ctx.call<{ currency: string; prices: Record<string, number> }, object>("pricing.seatPrices", { showId }),
          ]);
          return {
            ...show,
            version: live.version,
            yourSeats: live.bookedBy ?? [],
            seats: show.seats.map((s) => ({ id: s.id, row: s.row, number: s.number, column: s.column, category: s.category, status: live.seats[s.id] ?? "available", price: prices.prices[s.id] ?? null })),
          };
        },
      },

      // ---------- admin operations ----------
      showStats: {
        params: { showId: id },
        async handler(ctx: Ctx<{ showId: string }>) {
          adminOf(ctx);
          return ctx.call("show.stats", { showId: ctx.params.showId });
        },
      },
      expireHold: {
        params: { holdId: holdIdParam },
        async handler(ctx: Ctx<{ holdId: string }>) {
          adminOf(ctx);
          const { holdId } = ctx.params;
          return this.atHold(holdId, ctx.call("show.expireHold", { showId: this.showOf(holdId), holdId }));
        },
      },
      repriceShow: {
        params: { showId: id },
        async handler(ctx: Ctx<{ showId: string }>) {
          adminOf(ctx);
          return ctx.call("pricing.reprice", { showId: ctx.params.showId });
        },
      },
      createMovie: createInCatalog("createMovie", "/api/movies"),
      createCinema: createInCatalog("createCinema", "/api/cinemas"),
      createShow: createInCatalog("createShow", "/api/shows"),
    },
  };
}
