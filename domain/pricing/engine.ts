// The dynamic price of a seat: base price x every factor that applies, then the guard rails.
// Every seat's lines name each factor with its multiplier and reason, so a customer can see why
// a seat costs what it costs.
//
// Two layers: the show's multiplier (calendar, demand, lead time, city, forecast) is what is
// published and moves at most so much per hour; the customer's zone applies on top of it per
// quote, within the floor and ceiling, so one customer's location never moves anyone else's price.
import type { Quote, QuoteLine } from "./quote.ts";
import type { PricingRules } from "./rules.ts";
import {
  calendarFactors, cityFactors, demandFactors, forecastFactors, leadTimeFactors, zoneFactors,
  type CustomerLocation, type DemandFacts, type Factor, type ShowFacts,
} from "./factors.ts";
import type { Forecast } from "./forecast.ts";
import { guardMultiplier, roundPrice, type Published } from "./guard.ts";
import type { PricedShow } from "./base.ts";
import { chargedTotal, chargesFor, type FeeSchedule } from "./fees.ts";

export interface PricingInput {
  show: PricedShow & ShowFacts;
  rules: PricingRules;
  demand: DemandFacts;
  forecast?: Forecast;
  customer?: CustomerLocation;
  previous?: Published;
  /** The GST and fee schedule that applies to the show; without one the total is the seat prices. */
  fees?: FeeSchedule;
  now: number;
}

export interface ShowPricing {
  factors: Factor[];
  raw: number;
  /** The show's guarded multiplier, before any customer zone: what the hourly cap tracks. */
  published: number;
  multiplier: number;
  guardNotes: string[];
  /** Price per category after rails and rounding. */
  categoryPrices: Record<string, number>;
}

/** Everything about a show's price that does not depend on the seat: computed once per quote. */
export function priceShow(input: PricingInput): ShowPricing {
  const { rules, show, now } = input;
  const showFactors = [
    ...calendarFactors(rules, show),
    ...demandFactors(rules, input.demand),
    ...leadTimeFactors(rules, show.startsAt, now),
    ...cityFactors(rules, show.city),
    ...forecastFactors(rules, input.forecast),
  ];
  const raw = showFactors.reduce((m, f) => m * f.multiplier, 1);
  const guarded = guardMultiplier(raw, rules.guardRails, input.previous, now);
  const published = guarded.multiplier;

  const customerFactors = zoneFactors(rules, input.customer);
  const zone = customerFactors.reduce((m, f) => m * f.multiplier, 1);
  const { floor, ceiling } = rules.guardRails;
  const multiplier = Math.min(ceiling, Math.max(floor, published * zone));
  const guardNotes = [...guarded.notes];
  if (multiplier !== published * zone) guardNotes.push(multiplier === ceiling ? `ceiling ${ceiling}x of base` : `floor ${floor}x of base`);

  const categoryPrices: Record<string, number> = {};
  for (const [category, base] of Object.entries(show.prices)) categoryPrices[category] = roundPrice(base, multiplier, rules.guardRails);
  return { factors: [...showFactors, ...customerFactors], raw: raw * zone, published, multiplier, guardNotes, categoryPrices };
}

// A show's seat list is the same object for as long as the show is cached, so its index is
// built once per show rather than once per quote.
const seatIndexes = new WeakMap<object, Map<string, PricedShow["seats"][number]>>();
function seatIndex(seats: PricedShow["seats"]): Map<string, PricedShow["seats"][number]> {
  let index = seatIndexes.get(seats);
  if (!index) seatIndexes.set(seats, (index = new Map(seats.map((s) => [s.id, s]))));
  return index;
}

// Every seat of a category is explained by the same lines, so they are worked out once per
// category of a show's pricing and only stamped with the seat: a 400-seat quote builds its
// explanations 3 times, not 400, and a show's cached pricing (a second) builds them once for
// every quote made with it.
const explanations = new WeakMap<ShowPricing, Map<string, QuoteLine[] | null>>();
function explanationsOf(pricing: ShowPricing): Map<string, QuoteLine[] | null> {
  let templates = explanations.get(pricing);
  if (!templates) explanations.set(pricing, (templates = new Map()));
  return templates;
}

/** `pricing` must be priceShow(input) for this input's show and rules (the default). */
export function quoteDynamic(input: PricingInput, seats: readonly string[], pricing: ShowPricing = priceShow(input)): Quote {
  const { show, now } = input;
  const templates = explanationsOf(pricing);
  const linesOf = (category: string): QuoteLine[] | null => {
    let lines = templates.get(category);
    if (lines !== undefined) return lines;
    const base = show.prices[category];
    const price = pricing.categoryPrices[category];
    lines = null;
    if (base !== undefined && price !== undefined) {
      lines = [{ seat: "", category, factor: "base", amount: base, multiplier: undefined, reason: `${category} seat` }];
      for (const f of pricing.factors) lines.push({ seat: "", category, factor: f.factor, amount: undefined, multiplier: f.multiplier, reason: f.reason });
      if (pricing.guardNotes.length || price !== Math.round(base * pricing.raw)) {
        lines.push({
          seat: "", category, factor: "guard_rails", amount: price, multiplier: Number((price / base).toFixed(4)),
          reason: [...pricing.guardNotes, `rounded to a multiple of ${input.rules.guardRails.roundTo}`].join("; "),
        });
      }
    }
    templates.set(category, lines);
    return lines;
  };

  const byId = seatIndex(show.seats);
  // Two passes: find the seats and their explanations, then fill a lines array of exactly the
  // right length (thousands of lines for a full map; growing an array that size costs more).
  const picked: [string, QuoteLine[]][] = [];
  let count = 0;
  const seatPrices: Record<string, number> = {};
  let total = 0;
  for (const seatId of new Set(seats)) {
    const seat = byId.get(seatId);
    const template = seat?.forSale ? linesOf(seat.category) : null;
    if (!seat || !template) continue;
    picked.push([seatId, template]);
    count += template.length;
    const price = pricing.categoryPrices[seat.category]!;
    seatPrices[seatId] = price;
    total += price;
  }
  const lines: QuoteLine[] = new Array(count);
  let at = 0;
  for (const [seatId, template] of picked) {
    for (let i = 0; i < template.length; i++) {
      const l = template[i]!;
      lines[at++] = { seat: seatId, category: l.category, factor: l.factor, amount: l.amount, multiplier: l.multiplier, reason: l.reason };
    }
  }
  const quote: Quote = { showId: show.id, currency: show.currency, total, seatPrices, lines, quotedAt: new Date(now).toISOString() };
  if (input.fees) {
    quote.charges = chargesFor(seatPrices, input.fees);
    quote.total = chargedTotal(quote.charges);
  }
  return quote;
}
