// GST and the convenience fee: separate lines in integer paise, India's cinema slabs by default,
// half-up rounding per ticket, and a total that is always the tickets plus every line.
import test from "ava";
import fc from "fast-check";
import {
  chargedTotal, chargesFor, DEFAULT_FEE_RULES, INDIA_CINEMA_FEES, scheduleFor, scheduleProblems, taxOf, type FeeSchedule,
} from "../../../domain/pricing/fees.ts";

test("a ₹100 ticket pays 5% GST and a ₹100.01 ticket 18%, the fee and its 18% GST on their own lines", (t) => {
  const charges = chargesFor({ A1: 10_000, A2: 10_001 }, INDIA_CINEMA_FEES);
  t.is(charges.tickets, 20_001);
  t.deepEqual(charges.lines, [
    { kind: "ticket_gst", rateBps: 500, on: 10_000, amount: 500, seats: ["A1"] },
    { kind: "ticket_gst", rateBps: 1_800, on: 10_001, amount: 1_800, seats: ["A2"] },
    { kind: "convenience_fee", on: 20_001, amount: 4_000 },
    { kind: "fee_gst", rateBps: 1_800, on: 4_000, amount: 720 },
  ]);
  t.is(chargedTotal(charges), 20_001 + 500 + 1_800 + 4_000 + 720);
});

test("tax is rounded half up to the paisa, per ticket", (t) => {
  t.is(taxOf(9_990, 500), 500); // 499.5 -> 500
  t.is(taxOf(9_989, 500), 499); // 499.45 -> 499
  t.is(taxOf(25_003, 1_800), 4_501); // 4500.54 -> 4501
  // Two ₹99.90 tickets: 499.5 each rounds to 500 each, so 1000, not round(999) on the sum.
  const line = chargesFor({ A1: 9_990, A2: 9_990 }, INDIA_CINEMA_FEES).lines[0]!;
  t.is(line.amount, 1_000);
});

test("no seats cost nothing and carry no lines", (t) => {
  const charges = chargesFor({}, INDIA_CINEMA_FEES);
  t.deepEqual(charges, { tickets: 0, lines: [] });
  t.is(chargedTotal(charges), 0);
});

test("a cinema's schedule beats its city's, which beats the default", (t) => {
  const city: FeeSchedule = { ...INDIA_CINEMA_FEES, feePerTicket: 3_000 };
  const cinema: FeeSchedule = { ...INDIA_CINEMA_FEES, feePerTicket: 0 };
  const rules = { ...DEFAULT_FEE_RULES, cities: { Mumbai: city }, cinemas: { c1: cinema } };
  t.is(scheduleFor(rules, { city: "Mumbai", cinemaId: "c1" }), cinema);
  t.is(scheduleFor(rules, { city: "Mumbai", cinemaId: "c2" }), city);
  t.is(scheduleFor(rules, { city: "Pune" }), INDIA_CINEMA_FEES);
  t.false(chargesFor({ A1: 20_000 }, cinema).lines.some((l) => l.kind === "convenience_fee"), "a zero fee has no line");
});

test("schedules with a fractional fee, a rate over 100% or slabs that shrink are refused with a reason", (t) => {
  t.deepEqual(scheduleProblems(INDIA_CINEMA_FEES), []);
  t.regex(scheduleProblems({ ...INDIA_CINEMA_FEES, feePerTicket: 1.5 }).join(), /feePerTicket/);
  t.regex(scheduleProblems({ ...INDIA_CINEMA_FEES, feeGstBps: 20_000 }).join(), /feeGstBps/);
  t.regex(scheduleProblems({ ...INDIA_CINEMA_FEES, ticketGst: [{ upTo: 500, rateBps: 500 }, { upTo: 100, rateBps: 600 }, { rateBps: 1_800 }] }).join(), /grow/);
  t.regex(scheduleProblems({ ...INDIA_CINEMA_FEES, ticketGst: [{ upTo: 500, rateBps: 500 }] }).join(), /last/);
});

const scheduleArb: fc.Arbitrary<FeeSchedule> = fc.record({
  feePerTicket: fc.integer({ min: 0, max: 10_000 }),
  feeGstBps: fc.integer({ min: 0, max: 10_000 }),
  ticketGst: fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }))
    .map(([upTo, low, high]) => [{ upTo, rateBps: low }, { rateBps: high }]),
});
const pricesArb = fc.dictionary(fc.stringMatching(/^[A-Z][1-9]\d?$/), fc.integer({ min: 0, max: 5_000_000 }), { maxKeys: 12 });

test("property: every amount is a whole paisa, the lines add up to the total, each seat is taxed once at its slab's rate", (t) => {
  fc.assert(fc.property(pricesArb, scheduleArb, (prices, schedule) => {
    const charges = chargesFor(prices, schedule);
    const seats = Object.keys(prices);
    const sum = Object.values(prices).reduce((a, b) => a + b, 0);
    if (charges.tickets !== sum) return false;
    if (!charges.lines.every((l) => Number.isInteger(l.amount) && l.amount >= 0)) return false;
    if (chargedTotal(charges) !== sum + charges.lines.reduce((a, l) => a + l.amount, 0)) return false;
    const taxed = charges.lines.filter((l) => l.kind === "ticket_gst").flatMap((l) => l.seats!);
    if (taxed.length !== seats.length || new Set(taxed).size !== seats.length) return false;
    // Each ticket-GST line is the per-seat half-up tax, so it is within half a paisa per seat of the exact figure.
    for (const line of charges.lines.filter((l) => l.kind === "ticket_gst")) {
      const exact = (line.on * line.rateBps!) / 10_000;
      if (Math.abs(line.amount - exact) > line.seats!.length / 2 + 1e-9) return false;
      if (line.amount !== line.seats!.reduce((a, s) => a + taxOf(prices[s]!, line.rateBps!), 0)) return false;
    }
    const fee = charges.lines.find((l) => l.kind === "convenience_fee")?.amount ?? 0;
    return fee === schedule.feePerTicket * seats.length;
  }), { numRuns: 500 });
  t.pass();
});

test("property: taxOf is the half-up rounding of amount x rate", (t) => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
    const tax = taxOf(amount, bps);
    const exact = (amount * bps) / 10_000;
    return tax - exact <= 0.5 && exact - tax < 0.5;
  }), { numRuns: 2_000 });
  t.pass();
});
