// What is showing where and when: movies, cinemas with their screens' seat layouts, and shows.
// The store holds the records; the in-memory CatalogIndex (domain/catalog/index.ts) is the only
// cache, rebuilt from the store on start and kept current by this node's writes and by the
// `catalog.*.created` broadcasts of other catalog nodes.
import type { Context, ServiceSchema } from "moleculer";
import { CatalogIndex } from "../domain/catalog/index.ts";
import { RATINGS, type Cinema, type Movie, type Show, type ShowQuery } from "../domain/catalog/types.ts";
import { planCinema, planMovie, planShow, type NewCinema, type NewMovie, type NewShow } from "../domain/catalog/validate.ts";
import { checkPoster, MAX_POSTER_BYTES, posterSvg, type PosterType } from "../domain/catalog/poster.ts";
import { isCalendarDate } from "../domain/zone.ts";
import type { Store } from "../infra/store.ts";
import { demoCatalog } from "../seed/demo.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { newCatalogId } from "./ids.ts";
import { idParam as id } from "./params.ts";
import { adminOf } from "./caller.ts";
import { catalogRejectionError, ConflictError, NotFoundError, PayloadTooLargeError, UnprocessableError } from "./errors.ts";

type Ctx<P> = Context<P, CallMeta>;

interface PosterRecord { movieId: string; contentType: PosterType; base64: string; bytes: number; updatedAt: string; by: string }

// An image served from our own origin must never be read as anything else (nosniff), and an SVG
// opened on its own may run nothing (the sandboxing CSP).
const IMAGE_HEADERS = { "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox", "Cache-Control": "public, max-age=300" };
/** Base64 of MAX_POSTER_BYTES, with room for a few more bytes so the size check can say how large. */
const MAX_POSTER_BASE64 = Math.ceil((MAX_POSTER_BYTES + 1024) / 3) * 4;

/** Query strings arrive as "" when a form leaves a filter blank: blank means no filter. */
const filter = { type: "string", optional: true, max: 100 } as const;
const words = { type: "array", items: { type: "string", min: 1, max: 40, trim: true }, max: 20 } as const;


/** How often a catalog node looks for a seed another node wrote while it was not yet listening. */
const SEED_CHECK_MS = 1_000;

/** The whole catalog from the store, indexed. Shows whose movie or cinema is gone are skipped. */
export async function loadCatalog(store: Store): Promise<{ catalog: CatalogIndex; skipped: string[] }> {
  const [movies, cinemas, shows] = await Promise.all([store.all<Movie>("movies"), store.all<Cinema>("cinemas"), store.all<Show>("shows")]);
  const catalog = new CatalogIndex();
  for (const m of movies) catalog.addMovie(m);
  for (const c of cinemas) catalog.addCinema(c);
  const skipped = shows.filter((s) => !catalog.addShow(s)).map((s) => s.id);
  return { catalog, skipped };
}

/**
 * Writes the demo catalog as of `now` into the store and the index. Ids are deterministic and
 * writes are put-if-absent, so seeding again adds only what is missing (a new day's shows); a
 * demo show that would clash with a show an admin put on that screen is left out.
 */
export async function seedCatalog(store: Store, catalog: CatalogIndex, now: number): Promise<{ shows: number; clashing: string[] }> {
  const demo = demoCatalog(now);
  for (const m of demo.movies) {
    await store.putIfAbsent("movies", m.id, m);
    if (!catalog.movie(m.id)) catalog.addMovie(m);
  }
  for (const c of demo.cinemas) {
    await store.putIfAbsent("cinemas", c.id, c);
    if (!catalog.cinema(c.id)) catalog.addCinema(c);
  }
  const clashing: string[] = [];
  const fresh: Show[] = [];
  for (const show of demo.shows) {
    if (catalog.show(show.id)) continue;
    if (catalog.clashes(show.screenId, Date.parse(show.startsAt), Date.parse(show.endsAt)).length) {
      clashing.push(show.id);
      continue;
    }
    catalog.addShow(show);
    fresh.push(show);
  }
  await Promise.all(fresh.map((s) => store.putIfAbsent("shows", s.id, s)));
  return { shows: fresh.length, clashing };
}

export default function catalogService({ config, store }: ServiceDeps): ServiceSchema {
  let catalog = new CatalogIndex();
  // When the stored catalog was last seeded, as this node knows it.
  let seen: number | undefined;
  let poller: NodeJS.Timeout | undefined;

  return {
    name: "catalog",

    methods: {
      /** Rebuilds the index from the store (at start, and when another node seeded it). */
      async reload(at?: number) {
        const loaded = await loadCatalog(store);
        if (loaded.skipped.length) this.logger.warn(`catalog: ${loaded.skipped.length} stored shows name a missing movie, cinema or screen and are not listed`, loaded.skipped.slice(0, 10));
        catalog = loaded.catalog;
        if (at !== undefined) seen = at;
      },

      /** Indexes a record another catalog node wrote (it announced it, or a request names it). */
      async adoptShow(showId: string): Promise<Show | undefined> {
        const show = await store.get<Show>("shows", showId);
        if (!show) return undefined;
        if (!catalog.movie(show.movieId)) await this.adoptMovie(show.movieId);
        if (!catalog.cinema(show.cinemaId)) await this.adoptCinema(show.cinemaId);
        return catalog.addShow(show) ? show : undefined;
      },
      async adoptMovie(movieId: string): Promise<Movie | undefined> {
        const movie = await store.get<Movie>("movies", movieId);
        if (movie) catalog.addMovie(movie);
        return movie;
      },
      async adoptCinema(cinemaId: string): Promise<Cinema | undefined> {
        const cinema = await store.get<Cinema>("cinemas", cinemaId);
        if (cinema) catalog.addCinema(cinema);
        return cinema;
      },
    },

    events: {
      async "catalog.seeded"(ctx: Context<{ at: number }>) {
        if (ctx.params.at !== seen) await this.reload(ctx.params.at);
      },
      // Broadcast by whichever catalog node made the change; the maker has it indexed already.
      async "catalog.movie.created"(ctx: Context<{ movieId: string }>) {
        if (!catalog.movie(ctx.params.movieId)) await this.adoptMovie(ctx.params.movieId);
      },
      async "catalog.cinema.created"(ctx: Context<{ cinemaId: string }>) {
        if (!catalog.cinema(ctx.params.cinemaId)) await this.adoptCinema(ctx.params.cinemaId);
      },
      async "catalog.show.created"(ctx: Context<{ showId: string }>) {
        if (!catalog.show(ctx.params.showId)) await this.adoptShow(ctx.params.showId);
      },
    },

    actions: {
      listMovies: {
        params: {},
        handler(): Movie[] {
          return catalog.movies();
        },
      },

      getMovie: {
        params: { movieId: id },
        async handler(ctx: Ctx<{ movieId: string }>): Promise<Movie> {
          const movie = catalog.movie(ctx.params.movieId) ?? (await this.adoptMovie(ctx.params.movieId));
          if (!movie) throw new NotFoundError("Movie", ctx.params.movieId);
          return movie;
        },
      },

      /** The movie's poster: the admin's upload, else a poster generated from its title. */
      poster: {
        params: { movieId: id },
        async handler(ctx: Ctx<{ movieId: string }>): Promise<Buffer> {
          const { movieId } = ctx.params;
          const movie = catalog.movie(movieId) ?? (await this.adoptMovie(movieId));
          if (!movie) throw new NotFoundError("Movie", movieId);
          const uploaded = await store.get<PosterRecord>("posters", movieId);
          ctx.meta.$responseHeaders = { ...IMAGE_HEADERS };
          ctx.meta.$responseType = uploaded?.contentType ?? "image/svg+xml; charset=utf-8";
          return uploaded ? Buffer.from(uploaded.base64, "base64") : Buffer.from(posterSvg(movie));
        },
      },

      /** An admin uploads a poster: PNG, JPEG or WebP by its bytes, base64 in JSON, at most 300 KB. */
      setPoster: {
        params: { movieId: id, image: { type: "string", min: 1, max: MAX_POSTER_BASE64 + 4, pattern: /^[A-Za-z0-9+/]+={0,2}$/ } },
        async handler(ctx: Ctx<{ movieId: string; image: string }>) {
          const admin = adminOf(ctx);
          const { movieId, image } = ctx.params;
          if (!(catalog.movie(movieId) ?? (await this.adoptMovie(movieId)))) throw new NotFoundError("Movie", movieId);
          const bytes = Buffer.from(image, "base64");
          const checked = checkPoster(bytes);
          if (!checked.ok) {
            const { code, message } = checked.rejection;
            if (code === "POSTER_TOO_LARGE") throw new PayloadTooLargeError(message, code, checked.rejection.data);
            throw new UnprocessableError(message, code);
          }
          const record: PosterRecord = { movieId, contentType: checked.type, base64: bytes.toString("base64"), bytes: bytes.length, updatedAt: new Date().toISOString(), by: admin.email };
          await store.put("posters", movieId, record);
          return { movieId, contentType: record.contentType, bytes: record.bytes, url: `/api/movies/${encodeURIComponent(movieId)}/poster` };
        },
      },

      /** The certificates a movie may carry, so clients offer exactly what createMovie accepts. */
      ratings: {
        handler(): readonly string[] {
          return RATINGS;
        },
      },

      listCinemas: {
        params: { city: filter },
        handler(ctx: Ctx<{ city?: string }>): Cinema[] {
          return catalog.cinemas(ctx.params.city || undefined);
        },
      },

      getCinema: {
        params: { cinemaId: id },
        async handler(ctx: Ctx<{ cinemaId: string }>): Promise<Cinema> {
          const cinema = catalog.cinema(ctx.params.cinemaId) ?? (await this.adoptCinema(ctx.params.cinemaId));
          if (!cinema) throw new NotFoundError("Cinema", ctx.params.cinemaId);
          return cinema;
        },
      },

      listShows: {
        params: { movieId: filter, cinemaId: filter, city: filter, date: { type: "string", optional: true, pattern: /^(\d{4}-\d{2}-\d{2})?$/ } },
        handler(ctx: Ctx<ShowQuery>) {
          const { movieId, cinemaId, city, date } = ctx.params;
          if (date && !isCalendarDate(date)) throw new UnprocessableError(`date ${date} is not a calendar date; use YYYY-MM-DD`, "INVALID_DATE", { date });
          const query: ShowQuery = {};
          if (movieId) query.movieId = movieId;
          if (cinemaId) query.cinemaId = cinemaId;
          if (city?.trim()) query.city = city;
          if (date) query.date = date;
          return catalog.query(query).shows.map((s) => catalog.summary(s));
        },
      },

      /** Listing summaries of the given shows (unknown ids are left out): what a list of bookings needs. */
      showSummaries: {
        params: { showIds: { type: "array", items: id, max: 500 } },
        async handler(ctx: Ctx<{ showIds: string[] }>) {
          const summaries = [];
          for (const showId of new Set(ctx.params.showIds)) {
            const show = catalog.show(showId) ?? await this.adoptShow(showId);
            if (show) summaries.push(catalog.summary(show));
          }
          return summaries;
        },
      },

      getShow: {
        params: { showId: id },
        async handler(ctx: Ctx<{ showId: string }>) {
          const { showId } = ctx.params;
          if (!catalog.show(showId)) await this.adoptShow(showId);
          const details = catalog.details(showId);
          if (!details) throw new NotFoundError("Show", showId);
          return details;
        },
      },

      // ---------- admin operations (the admin service checks the role) ----------

      createMovie: {
        params: {
          $$strict: "remove",
          title: { type: "string", min: 1, max: 200, trim: true },
          durationMinutes: { type: "number", integer: true, min: 1, max: 600 },
          rating: { type: "enum", values: RATINGS },
          languages: { ...words, min: 1 },
          genres: { ...words, optional: true, default: [] },
          synopsis: { type: "string", optional: true, max: 2000 },
          posterUrl: { type: "url", optional: true, max: 500 },
        },
        async handler(ctx: Ctx<NewMovie>): Promise<Movie> {
          const movie = planMovie(ctx.params, newCatalogId("movie"));
          await store.put("movies", movie.id, movie);
          catalog.addMovie(movie);
          this.broker.broadcast("catalog.movie.created", { movieId: movie.id });
          return movie;
        },
      },

      createCinema: {
        params: {
          $$strict: "remove",
          name: { type: "string", min: 1, max: 120, trim: true },
          city: { type: "string", min: 1, max: 80, trim: true },
          timezone: { type: "string", min: 1, max: 64 },
          address: { type: "string", optional: true, max: 300 },
          refundPolicy: {
            type: "object", optional: true, strict: "remove",
            props: { feeShare: { type: "number", min: 0, max: 1, optional: true }, feeFixed: { type: "number", integer: true, min: 0, optional: true } },
          },
          screens: {
            type: "array", min: 1, max: 30,
            items: { type: "object", strict: "remove", props: { name: { type: "string", min: 1, max: 60, trim: true }, layout: { type: "object" } } },
          },
        },
        async handler(ctx: Ctx<NewCinema>): Promise<Cinema> {
          const planned = planCinema(ctx.params, newCatalogId("cinema"), ctx.params.screens.map(() => newCatalogId("screen")));
          if (!planned.ok) throw catalogRejectionError(planned.rejection);
          const cinema = planned.value;
          await store.put("cinemas", cinema.id, cinema);
          catalog.addCinema(cinema);
          this.broker.broadcast("catalog.cinema.created", { cinemaId: cinema.id });
          return cinema;
        },
      },

      createShow: {
        params: {
          $$strict: "remove",
          movieId: id,
          cinemaId: id,
          screenId: id,
          startsAt: { type: "string", min: 1, max: 40 },
          prices: { type: "record", key: { type: "string", min: 1, max: 30 }, value: { type: "number", integer: true, positive: true } },
          currency: { type: "string", optional: true, pattern: /^[A-Z]{3}$/ },
        },
        async handler(ctx: Ctx<NewShow>): Promise<Show> {
          const input = ctx.params;
          // Read through first: the movie or cinema may have been made on another catalog node.
          if (!catalog.movie(input.movieId)) await this.adoptMovie(input.movieId);
          if (!catalog.cinema(input.cinemaId)) await this.adoptCinema(input.cinemaId);
          const planned = planShow(input, catalog);
          if (!planned.ok) throw catalogRejectionError(planned.rejection);
          const show = planned.value;

          // Indexed before the write so a concurrent request on this node sees the screen taken.
          catalog.addShow(show);
          let written: boolean;
          try {
            written = await store.putIfAbsent("shows", show.id, show);
          } catch (error) {
            catalog.removeShow(show.id);
            throw error;
          }
          if (!written) {
            catalog.removeShow(show.id);
            await this.adoptShow(show.id);
            throw new ConflictError(`Screen ${show.screenId} already has a show starting then; pick another time or screen`, "SCREEN_BUSY", { screenId: show.screenId, clashes: [{ showId: show.id }] });
          }
          this.broker.broadcast("catalog.show.created", { showId: show.id });
          return show;
        },
      },
    },

    async started() {
      await this.reload((await store.get<number>("catalog", "seededAt")) ?? undefined);
      if (config.seedDemo) {
        const seeded = await seedCatalog(store, catalog, Date.now());
        this.logger.info(`catalog: demo catalog seeded, ${seeded.shows} new shows`);
        if (seeded.clashing.length) this.logger.info(`catalog: ${seeded.clashing.length} demo shows left out where admin shows use the screen`);
        if (seeded.shows > 0) {
          seen = Date.now();
          await store.put("catalog", "seededAt", seen);
          this.broker.broadcast("catalog.seeded", { at: seen });
        }
      }
      // Catalog nodes that started while another one was seeding catch up from the store: the
      // broadcast covers nodes already listening, this check covers the ones that were not yet.
      poller = setInterval(() => {
        store.get<number>("catalog", "seededAt").then((at) => (at && at !== seen ? this.reload(at) : undefined))
          .catch((error: unknown) => this.logger.warn("catalog: checking for a newer seed failed", error));
      }, SEED_CHECK_MS);
    },

    async stopped() {
      clearInterval(poller);
    },
  };
}
