// A quote is the price of a list of seats at one moment, explained line by line.
// Once a hold carries a quote, that quote is what is charged, whatever prices do later.

export interface QuoteLine {
  seat: string;
  category: string;
  /** Which rule produced this line: "base" today; festivals, demand... with dynamic pricing. */
  factor: string;
  /** Amount in minor units this line contributes (base lines), or undefined for pure multipliers. */
  amount?: number;
  multiplier?: number;
  reason: string;
}

export interface Quote {
  showId: string;
  currency: string;
  /** Sum of seat prices, integer minor units. */
  total: number;
  /** Final price per seat, integer minor units. */
  seatPrices: Record<string, number>;
  lines: QuoteLine[];
  quotedAt: string;
}
