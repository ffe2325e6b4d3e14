// A quote is the price of a list of seats at one moment, explained line by line.
// Once a hold carries a quote, that quote is what is charged, whatever prices do later.
import type { Charges } from "./fees.ts";

export interface QuoteLine {
  seat: string;
  category: string;
  /** Which rule produced this line: "base" today; festivals, demand... with dynamic pricing. */
  factor: string;
  /**
   * Minor units: the category's base price on the `base` line, the seat's final price on the
   * `guard_rails` line (after floor, ceiling, hourly cap and rounding); undefined on factor lines,
   * which carry a multiplier. A seat's final price is always in the quote's `seatPrices`.
   */
  amount?: number;
  multiplier?: number;
  reason: string;
}

export interface Quote {
  showId: string;
  currency: string;
  /** What is charged, integer minor units: the seat prices plus every charge line (GST, fees). */
  total: number;
  /** GST and the convenience fee as separate lines; absent on quotes made before fees existed. */
  charges?: Charges;
  /** Final price per seat, integer minor units. */
  seatPrices: Record<string, number>;
  lines: QuoteLine[];
  quotedAt: string;
}

/**
 * The same quote for other seats: `from[i]` becomes `to[i]`. Only when every seat of `from` has
 * the same price and the same explanation (as the seats of one category do), so nothing about
 * the money changes; else null. Best available uses it when the best seats moved between the
 * quote and the hold.
 */
export function restampQuote(quote: Quote, from: readonly string[], to: readonly string[]): Quote | null {
  if (from.length !== to.length || !from.length) return null;
  const explain = (seat: string) => JSON.stringify(quote.lines.filter((l) => l.seat === seat).map((l) => ({ ...l, seat: "" })));
  const price = quote.seatPrices[from[0]!];
  const story = explain(from[0]!);
  if (price === undefined || from.some((s) => quote.seatPrices[s] !== price || explain(s) !== story)) return null;
  const rename = new Map(from.map((s, i) => [s, to[i]!]));
  const seat = (s: string) => rename.get(s) ?? s;
  return {
    ...quote,
    seatPrices: Object.fromEntries(Object.entries(quote.seatPrices).map(([s, p]) => [seat(s), p])),
    lines: quote.lines.map((l) => ({ ...l, seat: seat(l.seat) })),
    ...(quote.charges ? { charges: { ...quote.charges, lines: quote.charges.lines.map((l) => (l.seats ? { ...l, seats: l.seats.map(seat) } : l)) } } : {}),
  };
}
