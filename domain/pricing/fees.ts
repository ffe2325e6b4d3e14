// What a customer pays on top of the seat prices: GST on each ticket, a convenience fee and
// GST on that fee, each its own line, all in integer minor units (paise).
//
// Default schedule (India, cinema admission, from 22 September 2025): GST 5% on a ticket whose
// price is up to ₹100, 18% above ₹100; the convenience fee is a separate service, taxed at 18%.
// Source relied on (from memory, written without internet access; see the README): the GST
// Council's 56th meeting (3 September 2025) cut admission to cinema up to ₹100 from 12% to 5%,
// notified by CBIC on 17 September 2025 (amending the services rate notification
// 11/2017-Central Tax (Rate)) with effect from 22 September 2025. Rates are data, so a cinema or
// city with another schedule, or a change in the law, is configuration, not code.
//
// Rounding: every tax is its taxable value x rate, rounded half up to the whole paisa, computed
// per ticket (the slab is decided per ticket) and then summed per rate; the fee's GST is computed
// once on the whole fee. So each line is exact to the paisa and the total is the sum of the lines.

export interface TaxSlab {
  /** Tickets priced up to and including this amount (minor units) use this slab; omit on the last. */
  upTo?: number;
  /** Basis points: 500 = 5%. */
  rateBps: number;
}

export interface FeeSchedule {
  /** Convenience fee per ticket, minor units. */
  feePerTicket: number;
  /** GST on the convenience fee, basis points. */
  feeGstBps: number;
  /** GST on ticket prices by slab, ascending by upTo; the last slab has no upTo. */
  ticketGst: TaxSlab[];
}

export interface FeeRules {
  default: FeeSchedule;
  /** Per city (the region whose tax and fees apply), then per cinema: the most specific wins. */
  cities: Record<string, FeeSchedule>;
  cinemas: Record<string, FeeSchedule>;
}

export const INDIA_CINEMA_FEES: FeeSchedule = {
  feePerTicket: 2_000,
  feeGstBps: 1_800,
  ticketGst: [{ upTo: 10_000, rateBps: 500 }, { rateBps: 1_800 }],
};

export const DEFAULT_FEE_RULES: FeeRules = { default: INDIA_CINEMA_FEES, cities: {}, cinemas: {} };

export type ChargeKind = "ticket_gst" | "convenience_fee" | "fee_gst";

export interface ChargeLine {
  kind: ChargeKind;
  /** Basis points for a tax line. */
  rateBps?: number;
  /** The amount the line is worked out from (taxable value, or tickets for the fee). */
  on: number;
  amount: number;
  /** The seats a ticket-GST line covers. */
  seats?: string[];
}

export interface Charges {
  /** Sum of the seat prices: the tickets' taxable value. */
  tickets: number;
  lines: ChargeLine[];
}

/** x * bps / 10 000, rounded half up to a whole minor unit (x >= 0). */
export function taxOf(amount: number, rateBps: number): number {
  return Math.floor((amount * rateBps + 5_000) / 10_000);
}

export function scheduleFor(rules: FeeRules, where: { city?: string; cinemaId?: string }): FeeSchedule {
  return (where.cinemaId !== undefined ? rules.cinemas[where.cinemaId] : undefined)
    ?? (where.city !== undefined ? rules.cities[where.city] : undefined)
    ?? rules.default;
}

function slabOf(schedule: FeeSchedule, price: number): TaxSlab {
  return schedule.ticketGst.find((s) => s.upTo === undefined || price <= s.upTo) ?? schedule.ticketGst.at(-1)!;
}

/** The charges for seats at these prices (seat id -> minor units), lines in a fixed order. */
export function chargesFor(seatPrices: Record<string, number>, schedule: FeeSchedule): Charges {
  const seats = Object.keys(seatPrices);
  let tickets = 0;
  const byRate = new Map<number, ChargeLine>();
  for (const seat of seats) {
    const price = seatPrices[seat]!;
    tickets += price;
    const { rateBps } = slabOf(schedule, price);
    let line = byRate.get(rateBps);
    if (!line) byRate.set(rateBps, (line = { kind: "ticket_gst", rateBps, on: 0, amount: 0, seats: [] }));
    line.on += price;
    line.amount += taxOf(price, rateBps);
    line.seats!.push(seat);
  }
  const lines = [...byRate.values()].sort((a, b) => a.rateBps! - b.rateBps!);
  const fee = schedule.feePerTicket * seats.length;
  if (fee > 0) {
    lines.push({ kind: "convenience_fee", on: tickets, amount: fee });
    lines.push({ kind: "fee_gst", rateBps: schedule.feeGstBps, on: fee, amount: taxOf(fee, schedule.feeGstBps) });
  }
  return { tickets, lines };
}

/** What is charged: the tickets plus every charge line. */
export const chargedTotal = (charges: Charges): number => charges.lines.reduce((sum, l) => sum + l.amount, charges.tickets);

/** Problems with a schedule, in words an admin can act on (empty when valid). */
export function scheduleProblems(schedule: FeeSchedule): string[] {
  const problems: string[] = [];
  const whole = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 0;
  if (!whole(schedule.feePerTicket)) problems.push("feePerTicket must be a whole number of minor units, 0 or more");
  if (!whole(schedule.feeGstBps) || schedule.feeGstBps > 10_000) problems.push("feeGstBps must be 0-10000 basis points");
  const slabs = schedule.ticketGst;
  if (!Array.isArray(slabs) || !slabs.length) problems.push("ticketGst needs at least one slab");
  else {
    slabs.forEach((s, i) => {
      if (!whole(s.rateBps) || s.rateBps > 10_000) problems.push(`ticketGst[${i}].rateBps must be 0-10000 basis points`);
      const last = i === slabs.length - 1;
      if (last && s.upTo !== undefined) problems.push("the last ticketGst slab has no upTo: it covers every higher price");
      if (!last && (!whole(s.upTo) || (i > 0 && s.upTo! <= slabs[i - 1]!.upTo!))) problems.push(`ticketGst[${i}].upTo must grow from slab to slab`);
    });
  }
  return problems;
}
