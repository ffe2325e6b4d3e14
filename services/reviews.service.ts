// Reviews and ratings: a customer who was there (let in at the door, or the show has ended)
// rates the film 1-5 with an optional text, once per booking; films show the average and count
// of visible reviews; admins hide abusive ones, and every hide or unhide is audited.
import type { Context, ServiceSchema } from "moleculer";
import { authorName, checkReview, mayReview, summarise, type Review } from "../domain/review/review.ts";
import { adminOf, callerOf } from "./caller.ts";
import { created } from "./replies.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from "./errors.ts";
import { idParam as id } from "./params.ts";
import { call } from "./contracts.ts";

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

interface AuditEntry { at: string; by: string; change: "review.hide" | "review.unhide"; reviewId: string; movieId: string; reason: string }

const publicReview = (r: Review) => ({ id: r.id, movieId: r.movieId, author: r.author, rating: r.rating, text: r.text, createdAt: r.createdAt });
const movieSet = (movieId: string) => `movieReviews:${movieId}`;

export default function reviewsService({ store }: ServiceDeps): ServiceSchema {
  const reviewsOf = async (movieId: string): Promise<Review[]> =>
    (await store.getMany<Review>("reviews", await store.members(movieSet(movieId)))).filter((r): r is Review => !!r);

  return {
    name: "reviews",

    methods: {
      /** The caller's own paid booking, its show, and whether its ticket was let in. */
      async attendance(ctx: Ctx<unknown>, bookingId: string) {
        const caller = callerOf(ctx);
        const booking = await call(ctx, "admin.getBooking", { bookingId });
        // An admin sees everyone's bookings, but reviews only their own.
        if (booking.userId !== caller.id) throw new NotFoundError("Booking", bookingId, "BOOKING_NOT_FOUND");
        const [show] = await call(ctx, "catalog.showSummaries", { showIds: [booking.showId] });
        if (!show) throw new NotFoundError("Show", booking.showId);
        const ended = Date.now() >= Date.parse(show.endsAt);
        const admitted = booking.status === "confirmed" && !ended && booking.admitted !== undefined;
        return { booking, show, attendance: { status: booking.status, endsAt: Date.parse(show.endsAt), admitted } };
      },

      async setHidden(ctx: Ctx<unknown>, reviewId: string, hide: boolean, reason: string) {
        const admin = adminOf(ctx);
        const review = await store.get<Review>("reviews", reviewId);
        if (!review) throw new NotFoundError("Review", reviewId);
        const { hidden: _was, ...rest } = review;
        const next: Review = hide ? { ...rest, hidden: { by: admin.email, at: new Date().toISOString(), reason } } : rest;
        await store.put("reviews", reviewId, next);
        const entry: AuditEntry = { at: new Date().toISOString(), by: admin.email, change: hide ? "review.hide" : "review.unhide", reviewId, movieId: review.movieId, reason };
        await store.append("reviews:audit", [entry]);
        return next;
      },
    },

    actions: {
      create: {
        params: { bookingId: id, rating: { type: "any" }, text: { type: "string", optional: true, max: 5_000 } },
        async handler(ctx: Ctx<{ bookingId: string; rating: unknown; text?: string }>) {
          const caller = callerOf(ctx);
          const { booking, show, attendance } = await this.attendance(ctx, ctx.params.bookingId);
          const allowed = mayReview(attendance, Date.now());
          if (!allowed.ok) throw new ForbiddenError(allowed.rejection.message, allowed.rejection.code);
          const checked = checkReview(ctx.params);
          if (!checked.ok) throw new UnprocessableError(checked.rejection.message, checked.rejection.code, { field: checked.rejection.field });
          const review: Review = {
            id: booking.id, bookingId: booking.id, movieId: show.movieId, showId: show.id, userId: caller.id,
            author: authorName(caller.name), rating: checked.rating, text: checked.text, createdAt: new Date().toISOString(),
          };
          if (!(await store.putIfAbsent("reviews", review.id, review))) throw new ConflictError("This booking already has a review", "REVIEW_EXISTS", { reviewId: review.id });
          await store.addToSet(movieSet(review.movieId), review.id);
          await store.addToSet("reviewedMovies", review.movieId);
          return created(ctx, `/api/movies/${review.movieId}/reviews`, publicReview(review));
        },
      },

      forMovie: {
        params: { movieId: id },
        async handler(ctx: Ctx<{ movieId: string }>) {
          const all = await reviewsOf(ctx.params.movieId);
          const visible = all.filter((r) => !r.hidden).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
          return { movieId: ctx.params.movieId, ...summarise(all), reviews: visible.slice(0, 50).map(publicReview) };
        },
      },

      /** Average and count per reviewed film, for the browse page's cards. */
      summaries: {
        async handler() {
          const movies = await store.members("reviewedMovies");
          const out: Record<string, ReturnType<typeof summarise>> = {};
          for (const movieId of movies) out[movieId] = summarise(await reviewsOf(movieId));
          return out;
        },
      },

      /** The caller's bookings that can be reviewed now and have not been. */
      reviewable: {
        async handler(ctx: Ctx) {
          const mine = await call(ctx, "admin.myBookings", {});
          const candidates = mine.filter((b) => b.status === "confirmed" && b.show);
          const reviewed = await store.getMany<Review>("reviews", candidates.map((b) => b.id));
          const out = [];
          for (const [i, b] of candidates.entries()) {
            if (reviewed[i]) continue;
            const { attendance } = await this.attendance(ctx, b.id);
            if (mayReview(attendance, Date.now()).ok) out.push({ bookingId: b.id, movieId: b.show!.movieId, movieTitle: b.show!.movieTitle });
          }
          return out;
        },
      },

      // ---------- admin ----------
      all: {
        params: { movieId: { ...id, optional: true } },
        async handler(ctx: Ctx<{ movieId?: string }>) {
          adminOf(ctx);
          const movies = ctx.params.movieId ? [ctx.params.movieId] : await store.members("reviewedMovies");
          const all = (await Promise.all(movies.map(reviewsOf))).flat();
          return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        },
      },
      hide: {
        params: { reviewId: id, reason: { type: "string", min: 1, max: 200, trim: true } },
        async handler(ctx: Ctx<{ reviewId: string; reason: string }>) {
          return this.setHidden(ctx, ctx.params.reviewId, true, ctx.params.reason);
        },
      },
      unhide: {
        params: { reviewId: id, reason: { type: "string", min: 1, max: 200, trim: true } },
        async handler(ctx: Ctx<{ reviewId: string; reason: string }>) {
          return this.setHidden(ctx, ctx.params.reviewId, false, ctx.params.reason);
        },
      },
      auditLog: {
        async handler(ctx: Ctx) {
          adminOf(ctx);
          return (await store.read<AuditEntry>("reviews:audit")).reverse();
        },
      },
    },
  };
}
