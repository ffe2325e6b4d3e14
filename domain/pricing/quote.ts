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
