// The price book: everything a node needs to price any show, as one value. pricing.service owns
// it (the rules, their validation, audit, the forecast it learns) and publishes every new book
// whole; each show node keeps the latest and prices its own shows from it, so a quote needs no
// call to another service.
import { DEFAULT_RULES } from "./defaults.ts";
import type { PricingInput } from "./engine.ts";
import type { CustomerLocation, DemandFacts } from "./factors.ts";
import { DEFAULT_FEE_RULES, scheduleFor, type FeeRules } from "./fees.ts";
import { comparableKey, forecastShow, type BookingCurve } from "./forecast.ts";
import type { Published } from "./guard.ts";
import { basePricesFor, guardRailsFor, noOverrides, type PriceOverrides } from "./overrides.ts";
import type { PricingRules } from "./rules.ts";

export interface PriceBook {
  /** Grows with every book published: a node keeps the newest it has seen, whatever order they arrive in. */
  version: number;
  rules: PricingRules;
  overrides: PriceOverrides;
  fees: FeeRules;
  /** Booking curves learned from finished shows, by comparable key. */
  curves: Record<string, BookingCurve>;
  /**
   * When an admin last changed the rules, overrides or fees (epoch ms). A price published before
   * then does not cap the next one: a deliberate, audited change applies at once. Retraining the
   * forecast is not such a change: prices that move by themselves stay capped.
   */
  changedAt: number;
}

export const defaultBook = (): PriceBook => ({
  version: 0, rules: structuredClone(DEFAULT_RULES), overrides: noOverrides(), fees: structuredClone(DEFAULT_FEE_RULES), curves: {}, changedAt: 0,
});

/** The newer of two books. */
export const newer = (a: PriceBook, b: PriceBook): PriceBook => (b.version > a.version ? b : a);

/**
 * The next book after `book`, changed by `change`. Versions grow with the clock as well, so books
 * published by two pricing nodes still order sensibly.
 */
export function nextBook(book: PriceBook, change: Partial<Omit<PriceBook, "version">>, now: number): PriceBook {
  return { ...book, ...change, version: Math.max(book.version + 1, now) };
}

/** What pricing needs of a catalog show. */
export interface ShowToPrice {
  id: string;
  startsAt: string;
  currency: string;
  prices: Record<string, number>;
  cinema: { id: string; city: string; timezone: string };
  seats: { id: string; category: string; forSale: boolean }[];
}

const HOUR = 3_600_000;

/**
 * Everything the engine needs to price one show at `now` from a book: the show's base prices and
 * guard rails after overrides, its fee schedule, the forecast from its comparable shows, and the
 * price the hourly cap starts from (none when the rules changed since it was published).
 */
export function pricingInput(
  book: PriceBook, show: ShowToPrice, demand: DemandFacts, now: number,
  options: { customer?: CustomerLocation; published?: Published } = {},
): PricingInput {
  const { rules, overrides } = book;
  const startsAt = Date.parse(show.startsAt);
  const { published, customer } = options;
  const previous = published && published.at >= book.changedAt ? published : undefined;
  const key = comparableKey(show.cinema.id, startsAt, show.cinema.timezone);
  const curve = Object.hasOwn(book.curves, key) ? book.curves[key] : undefined;
  return {
    show: {
      id: show.id, currency: show.currency, seats: show.seats, startsAt, city: show.cinema.city, timezone: show.cinema.timezone,
      prices: basePricesFor({ id: show.id, cinemaId: show.cinema.id, prices: show.prices }, overrides),
    },
    rules: { ...rules, guardRails: guardRailsFor(show.id, rules, overrides) },
    demand,
    forecast: forecastShow(curve, demand.forSale ? demand.claimed / demand.forSale : 0, (startsAt - now) / HOUR),
    ...(customer ? { customer } : {}),
    ...(previous ? { previous } : {}),
    fees: scheduleFor(book.fees, { city: show.cinema.city, cinemaId: show.cinema.id }),
    now,
  };
}
