// The catalog's rules for new entries. Each plan* function turns an admin's request into the
// record to store, or into a rejection value saying what to fix; the service maps rejections to
// errors. Shape checks (types, lengths) happen earlier, in the action's params schema.
import type { CatalogIndex } from "./index.ts";
import { layoutCategories, parseLayout, type LayoutProblem } from "./layout.ts";
import type { Cinema, Movie, RefundPolicy, SeatLayout, Show } from "./types.ts";
import { isTimeZone, localClock, localDate } from "../zone.ts";

const localWhen = (ms: number, timeZone: string) => `${localClock(ms, timeZone)} on ${localDate(ms, timeZone)} (${timeZone})`;

/** Time to empty and clean a screen before the next show can let people in. */
export const CLEANUP_MINUTES = 15;
export const DEFAULT_CURRENCY = "INR";

export type CatalogRejection =
  | { code: "UNKNOWN_REFERENCE"; message: string; data: { movieId?: string; cinemaId?: string; screenId?: string } }
  | { code: "SCREEN_NOT_IN_CINEMA"; message: string; data: { screenId: string; cinemaId: string; screens: string[] } }
  | { code: "INVALID_START"; message: string; data: { startsAt: string } }
  | { code: "INVALID_PRICE"; message: string; data: { categories: string[] } }
  | { code: "PRICES_INCOMPLETE"; message: string; data: { missing: string[]; categories: string[] } }
  | { code: "UNKNOWN_PRICE_CATEGORY"; message: string; data: { unknown: string[]; categories: string[] } }
  | { code: "SCREEN_BUSY"; message: string; data: { screenId: string; clashes: { showId: string; startsAt: string; endsAt: string }[] } }
  | { code: "INVALID_TIMEZONE"; message: string; data: { timezone: string } }
  | { code: "INVALID_LAYOUT"; message: string; data: { screen: string; problems: LayoutProblem[] } }
  | { code: "DUPLICATE_SCREEN_NAME"; message: string; data: { names: string[] } };

export type Planned<T> = { ok: true; value: T } | { ok: false; rejection: CatalogRejection };

const reject = <T>(rejection: CatalogRejection): Planned<T> => ({ ok: false, rejection });
const unique = (list: string[]): string[] => [...new Set(list.map((s) => s.trim()).filter(Boolean))];

// ---------- movies ----------

/** What an admin sends for a movie: the record itself, but for the id the catalog gives it. */
export type NewMovie = Omit<Movie, "id">;

export function planMovie(input: NewMovie, id: string): Movie {
  const movie: Movie = {
    id,
    title: input.title.trim(),
    durationMinutes: input.durationMinutes,
    rating: input.rating,
    languages: unique(input.languages),
    genres: unique(input.genres),
  };
  // Absent rather than undefined: stores that speak JSON drop undefined anyway.
  if (input.synopsis?.trim()) movie.synopsis = input.synopsis.trim();
  if (input.posterUrl) movie.posterUrl = input.posterUrl;
  return movie;
}

// ---------- cinemas ----------

export interface NewCinema {
  name: string;
  city: string;
  timezone: string;
  address?: string;
  screens: { name: string; layout: unknown }[];
  refundPolicy?: RefundPolicy;
}

/** `screenIds` are fresh ids for the screens, in order. */
export function planCinema(input: NewCinema, id: string, screenIds: string[]): Planned<Cinema> {
  if (!isTimeZone(input.timezone)) {
    return reject({ code: "INVALID_TIMEZONE", message: `${JSON.stringify(input.timezone)} is not an IANA time zone; use a name such as "Asia/Kolkata"`, data: { timezone: input.timezone } });
  }
  const names = input.screens.map((s) => s.name.trim());
  const repeated = unique(names.filter((n, i) => names.indexOf(n) !== i));
  if (repeated.length) {
    return reject({ code: "DUPLICATE_SCREEN_NAME", message: `Screen names must differ within a cinema; repeated: ${repeated.join(", ")}`, data: { names: repeated } });
  }
  const layouts: SeatLayout[] = [];
  for (const [i, screen] of input.screens.entries()) {
    const parsed = parseLayout(screen.layout);
    if (!parsed.ok) {
      const first = parsed.problems[0]!;
      return reject({
        code: "INVALID_LAYOUT",
        message: `The layout of screen ${names[i]} is invalid${first.row ? ` (row ${first.row}: ${first.message})` : ` (${first.message})`}; see data.problems for every row to fix`,
        data: { screen: names[i]!, problems: parsed.problems },
      });
    }
    layouts.push(parsed.layout);
  }
  const cinema: Cinema = {
    id,
    name: input.name.trim(),
    city: input.city.trim(),
    timezone: input.timezone,
    screens: input.screens.map((_, i) => ({ id: screenIds[i]!, name: names[i]!, layout: layouts[i]! })),
  };
  if (input.address?.trim()) cinema.address = input.address.trim();
  if (input.refundPolicy && (input.refundPolicy.feeShare || input.refundPolicy.feeFixed)) cinema.refundPolicy = input.refundPolicy;
  return { ok: true, value: cinema };
}

// ---------- shows ----------

export interface NewShow {
  movieId: string;
  cinemaId: string;
  screenId: string;
  startsAt: string;
  prices: Record<string, number>;
  currency?: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The end of a show as the screen sees it: running time plus cleanup. */
export const showEnd = (startMs: number, durationMinutes: number): number => startMs + (durationMinutes + CLEANUP_MINUTES) * 60_000;

/**
 * A show's id names its screen and cinema-local start minute ("show-<screen>-YYYYMMDD-HHMM"), so
 * two catalog nodes putting a show in the same slot at once collide on put-if-absent instead of
 * both succeeding.
 */
export const showSlotId = (screenId: string, startMs: number, timeZone: string): string =>
  `show-${screenId}-${localDate(startMs, timeZone).replaceAll("-", "")}-${localClock(startMs, timeZone).replace(":", "")}`;

/**
 * A new show on a screen, checked against the catalog: the movie, cinema and screen exist and
 * belong together, every seat category has a price, and the screen is free from the start until
 * the end of cleanup.
 */
export function planShow(input: NewShow, catalog: CatalogIndex): Planned<Show> {
  const movie = catalog.movie(input.movieId);
  const cinema = catalog.cinema(input.cinemaId);
  const screen = catalog.screen(input.screenId);
  if (!movie || !cinema || !screen) {
    const unknown: { movieId?: string; cinemaId?: string; screenId?: string } = {};
    if (!movie) unknown.movieId = input.movieId;
    if (!cinema) unknown.cinemaId = input.cinemaId;
    if (!screen) unknown.screenId = input.screenId;
    const what = Object.entries(unknown).map(([k, v]) => `${k.replace("Id", "")} ${v}`).join(", ");
    return reject({ code: "UNKNOWN_REFERENCE", message: `Unknown ${what}: create it first or use an id from the catalog`, data: unknown });
  }
  if (screen.cinemaId !== cinema.id) {
    return reject({
      code: "SCREEN_NOT_IN_CINEMA",
      message: `Screen ${input.screenId} is not in cinema ${cinema.id}; choose one of its screens`,
      data: { screenId: input.screenId, cinemaId: cinema.id, screens: cinema.screens.map((s) => s.id) },
    });
  }
  const start = ISO_INSTANT.test(input.startsAt) ? Date.parse(input.startsAt) : NaN;
  if (!Number.isFinite(start)) {
    return reject({ code: "INVALID_START", message: `startsAt must be an ISO-8601 time with a zone, e.g. "2030-01-31T14:30:00Z"; got ${JSON.stringify(input.startsAt)}`, data: { startsAt: input.startsAt } });
  }

  const categories = layoutCategories(screen.screen.layout);
  const badPrice = Object.entries(input.prices).filter(([, v]) => !Number.isSafeInteger(v) || v <= 0).map(([k]) => k);
  if (badPrice.length) {
    return reject({ code: "INVALID_PRICE", message: `Prices are positive integers in minor units (paise for INR); fix ${badPrice.join(", ")}`, data: { categories: badPrice } });
  }
  const missing = categories.filter((c) => !Object.hasOwn(input.prices, c));
  if (missing.length) {
    return reject({ code: "PRICES_INCOMPLETE", message: `Give a price for every seat category of screen ${screen.screen.name}; missing: ${missing.join(", ")}`, data: { missing, categories } });
  }
  const extra = Object.keys(input.prices).filter((c) => !categories.includes(c));
  if (extra.length) {
    return reject({ code: "UNKNOWN_PRICE_CATEGORY", message: `Screen ${screen.screen.name} has no seats of category ${extra.join(", ")}; its categories are ${categories.join(", ")}`, data: { unknown: extra, categories } });
  }

  const end = showEnd(start, movie.durationMinutes);
  const clashes = catalog.clashes(screen.screen.id, start, end);
  if (clashes.length) {
    return reject({
      code: "SCREEN_BUSY",
      // Admins read the cinema's own clock, never UTC: "until 17:45 on 2026-12-02 (Asia/Kolkata)".
      message: `Screen ${screen.screen.name} is busy then (a show runs with ${CLEANUP_MINUTES} minutes of cleanup until ${localWhen(Date.parse(clashes.at(-1)!.endsAt), cinema.timezone)}); pick another time or screen`,
      data: { screenId: screen.screen.id, clashes: clashes.map((s) => ({ showId: s.id, startsAt: s.startsAt, endsAt: s.endsAt })) },
    });
  }
  return {
    ok: true,
    value: {
      id: showSlotId(screen.screen.id, start, cinema.timezone),
      movieId: movie.id,
      cinemaId: cinema.id,
      screenId: screen.screen.id,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      currency: input.currency ?? DEFAULT_CURRENCY,
      prices: Object.fromEntries(categories.map((c) => [c, input.prices[c]!])),
    },
  };
}
