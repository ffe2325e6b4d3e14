// Admins can set a show's or a cinema's base prices, and a show's guard rails, over what the
// catalog and the rules say. Which one applies is a pricing rule, so it lives here.
import type { GuardRails, PricingRules } from "./rules.ts";

export interface PriceOverrides {
  /** Per show: replaces the show's base prices. */
  showPrices: Record<string, Record<string, number>>;
  /** Per cinema: category prices that win over the show's own, for every show there. */
  cinemaPrices: Record<string, Record<string, number>>;
  showRails: Record<string, GuardRails>;
}

export const noOverrides = (): PriceOverrides => ({ showPrices: {}, cinemaPrices: {}, showRails: {} });

/** A show's base prices: its own override, else its catalog prices with its cinema's override on top. */
export function basePricesFor(show: { id: string; cinemaId: string; prices: Record<string, number> }, overrides: PriceOverrides): Record<string, number> {
  return (Object.hasOwn(overrides.showPrices, show.id) ? overrides.showPrices[show.id] : undefined)
    ?? { ...show.prices, ...(Object.hasOwn(overrides.cinemaPrices, show.cinemaId) ? overrides.cinemaPrices[show.cinemaId] : undefined) };
}

/** The guard rails a show is priced within: its own, else the rules' defaults. */
export function guardRailsFor(showId: string, rules: PricingRules, overrides: PriceOverrides): GuardRails {
  return (Object.hasOwn(overrides.showRails, showId) ? overrides.showRails[showId] : undefined) ?? rules.guardRails;
}

/** Seat categories of a show that a base-price override would leave without a price. */
export function unpricedCategories(seats: readonly { category: string }[], prices: Record<string, number>): string[] {
  return [...new Set(seats.map((s) => s.category))].filter((c) => !Object.hasOwn(prices, c));
}
