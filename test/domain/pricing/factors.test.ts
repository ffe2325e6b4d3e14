// Each pricing factor on its own, then all of them together through the engine: a seat costs its
// base price times every factor that applies, each one a named line of the quote.
import test from "ava";
import type { ExecutionContext } from "ava";
import { BASE_ONLY_RULES, DEFAULT_RULES } from "../../../domain/pricing/defaults.ts";
import { priceShow, quoteDynamic, type PricingInput } from "../../../domain/pricing/engine.ts";
import {
  calendarFactors, cityFactors, demandFactors, distanceKm, forecastFactors, leadTimeFactors, zoneFactors,
  type DemandFacts, type Factor, type ShowFacts,
} from "../../../domain/pricing/factors.ts";
import type { Forecast } from "../../../domain/pricing/forecast.ts";
import type { Quote, QuoteLine } from "../../../domain/pricing/quote.ts";
import type { Festival, PricingRules } from "../../../domain/pricing/rules.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const EPS = 1e-9;

const rules = (over: Partial<PricingRules>): PricingRules => ({ ...BASE_ONLY_RULES, ...over });
const showIn = (city: string, iso: string, timezone = "Asia/Kolkata"): ShowFacts => ({ startsAt: Date.parse(iso), city, timezone });

/** Compares factors, allowing for floating-point noise in interpolated multipliers. */
function sameFactors(t: ExecutionContext, actual: Factor[], expected: Factor[]) {
  t.deepEqual(actual.map((f) => [f.factor, f.reason]), expected.map((f) => [f.factor, f.reason]));
  actual.forEach((f, i) => t.true(Math.abs(f.multiplier - expected[i]!.multiplier) < EPS, `${f.factor}: ${f.multiplier} vs ${expected[i]!.multiplier}`));
}

const DIWALI: Festival = { id: "diwali", name: "Diwali", from: "2026-11-06", to: "2026-11-10", multiplier: 1.25 };
const PONGAL: Festival = { id: "pongal", name: "Pongal", from: "2027-01-14", to: "2027-01-16", cities: ["Bengaluru", "Chennai"], multiplier: 1.15 };

// ---------- calendar: festivals ----------

test("a festival applies to a show on its local date even when the UTC date is the day before", (t) => {
  // 2026-11-05T19:00Z is 00:30 on 6 November in Mumbai, the first day of Diwali.
  const r = rules({ festivals: [DIWALI] });
  t.deepEqual(calendarFactors(r, showIn("Mumbai", "2026-11-05T19:00:00Z")), [{ factor: "festival", multiplier: 1.25, reason: "Diwali (2026-11-06 to 2026-11-10) +25%" }]);
  t.deepEqual(calendarFactors(r, showIn("London", "2026-11-05T19:00:00Z", "UTC")), []);
});

test("a festival's last day is included and the day after is not", (t) => {
  const r = rules({ festivals: [DIWALI] });
  t.is(calendarFactors(r, showIn("Mumbai", "2026-11-10T17:00:00Z")).length, 1); // 22:30 on 10 Nov
  t.deepEqual(calendarFactors(r, showIn("Mumbai", "2026-11-10T18:30:00Z")), []); // 00:00 on 11 Nov
});

const cityFestivalCases: [city: string, applies: boolean][] = [["Chennai", true], ["Bengaluru", true], ["Mumbai", false], ["chennai", false]];
for (const [city, applies] of cityFestivalCases) {
  test(`a festival for Bengaluru and Chennai ${applies ? "applies" : "does not apply"} in ${city}`, (t) => {
    const factors = calendarFactors(rules({ festivals: [PONGAL] }), showIn(city, "2027-01-15T13:30:00Z"));
    t.deepEqual(factors.map((f) => f.factor), applies ? ["festival"] : []);
  });
}

test("a festival with an empty city list applies in every city", (t) => {
  const r = rules({ festivals: [{ ...PONGAL, cities: [] }] });
  t.is(calendarFactors(r, showIn("Mumbai", "2027-01-15T13:30:00Z")).length, 1);
  t.is(calendarFactors(r, showIn("Kolkata", "2027-01-15T13:30:00Z")).length, 1);
});

test("overlapping festivals each add their own line", (t) => {
  const r = rules({ festivals: [DIWALI, { id: "bonus", name: "Cinema anniversary", from: "2026-11-08", to: "2026-11-08", multiplier: 1.1 }] });
  const factors = calendarFactors(r, showIn("Mumbai", "2026-11-08T13:30:00Z"));
  t.deepEqual(factors.map((f) => f.reason), ["Diwali (2026-11-06 to 2026-11-10) +25%", "Cinema anniversary (2026-11-08 to 2026-11-08) +10%"]);
});

// ---------- calendar: seasons ----------

const seasonCases: [iso: string, local: string, applies: boolean][] = [
  ["2026-12-22T13:30:00Z", "22 December", true],
  ["2026-12-31T18:45:00Z", "00:15 on 1 January", true],
  ["2027-01-05T13:30:00Z", "5 January", true],
  ["2027-01-05T18:30:00Z", "00:00 on 6 January", false],
  ["2026-12-19T13:30:00Z", "19 December", false],
  ["2026-07-15T13:30:00Z", "15 July", false],
];
for (const [iso, local, applies] of seasonCases) {
  test(`a year-end season from 20 December to 5 January ${applies ? "applies" : "does not apply"} on ${local}`, (t) => {
    const r = rules({ seasons: [{ id: "ye", name: "Year-end holidays", from: "12-20", to: "01-05", multiplier: 1.1 }] });
    const expected: Factor[] = applies ? [{ factor: "season", multiplier: 1.1, reason: "Year-end holidays season +10%" }] : [];
    t.deepEqual(calendarFactors(r, showIn("Mumbai", iso)), expected);
  });
}

// ---------- calendar: weekdays and time of day ----------

test("the weekend rate follows the cinema's local day, not the UTC day", (t) => {
  const r = rules({ weekdays: [{ name: "Weekend", days: [0, 6], multiplier: 1.1 }] });
  // 18:30 UTC on Sunday 8 Nov 2026 is 00:00 on Monday in Mumbai.
  t.deepEqual(calendarFactors(r, showIn("Mumbai", "2026-11-08T18:30:00Z")), []);
  t.deepEqual(calendarFactors(r, showIn("London", "2026-11-08T18:30:00Z", "UTC")), [{ factor: "weekday", multiplier: 1.1, reason: "Weekend +10%" }]);
  t.is(calendarFactors(r, showIn("Mumbai", "2026-11-07T13:30:00Z")).length, 1); // Saturday 19:00
});

const bandCases: [iso: string, local: string, expected: string[]][] = [
  ["2026-11-09T03:30:00Z", "09:00", ["Morning"]],
  ["2026-11-09T12:30:00Z", "18:00", ["Prime time"]],
  ["2026-11-09T16:29:00Z", "21:59", ["Prime time"]],
  ["2026-11-09T16:30:00Z", "22:00", []],
  ["2026-11-09T17:00:00Z", "22:30", ["Late night"]],
  ["2026-11-09T19:30:00Z", "01:00", ["Late night"]],
  ["2026-11-09T21:29:00Z", "02:59", ["Late night"]],
  ["2026-11-09T21:30:00Z", "03:00", []],
  ["2026-11-09T09:00:00Z", "14:30", []],
];
for (const [iso, local, expected] of bandCases) {
  test(`a ${local} show in Mumbai is ${expected.length ? `in the ${expected[0]} band` : "in no time band"}`, (t) => {
    const factors = calendarFactors(rules({ timeBands: DEFAULT_RULES.timeBands }), showIn("Mumbai", iso));
    t.deepEqual(factors.map((f) => f.reason.split(" show")[0]), expected);
    t.true(factors.every((f) => f.factor === "time_of_day"));
  });
}

test("a discount band explains itself with a minus sign", (t) => {
  const factors = calendarFactors(rules({ timeBands: DEFAULT_RULES.timeBands }), showIn("Mumbai", "2026-11-09T03:30:00Z"));
  t.deepEqual(factors, [{ factor: "time_of_day", multiplier: 0.85, reason: "Morning show (06:00-12:00) -15%" }]);
});

test("a Diwali Saturday prime-time show in a festive season gets festival, season, weekday and time-of-day lines in that order", (t) => {
  const r = rules({
    festivals: [DIWALI],
    seasons: [{ id: "festive", name: "Festive", from: "10-01", to: "11-30", multiplier: 1.05 }],
    weekdays: DEFAULT_RULES.weekdays,
    timeBands: DEFAULT_RULES.timeBands,
  });
  t.deepEqual(calendarFactors(r, showIn("Mumbai", "2026-11-07T13:30:00Z")), [
    { factor: "festival", multiplier: 1.25, reason: "Diwali (2026-11-06 to 2026-11-10) +25%" },
    { factor: "season", multiplier: 1.05, reason: "Festive season +5%" },
    { factor: "weekday", multiplier: 1.1, reason: "Weekend +10%" },
    { factor: "time_of_day", multiplier: 1.1, reason: "Prime time show (18:00-22:00) +10%" },
  ]);
});

test("a show on no special day gets no calendar lines at all", (t) => {
  t.deepEqual(calendarFactors(DEFAULT_RULES, showIn("Mumbai", "2026-10-14T08:30:00Z")), []); // Wednesday 14:00
});

// ---------- demand and velocity ----------

const demandCases: { what: string; demand: DemandFacts; expected: Factor[] }[] = [
  { what: "an empty show is discounted", demand: { forSale: 200, claimed: 0, recentlyClaimed: 0 }, expected: [{ factor: "demand", multiplier: 0.9, reason: "0% of seats taken -10%" }] },
  { what: "a show 30% full is at the neutral point and says nothing", demand: { forSale: 200, claimed: 60, recentlyClaimed: 0 }, expected: [] },
  { what: "a half-full show is interpolated between curve points", demand: { forSale: 200, claimed: 100, recentlyClaimed: 0 }, expected: [{ factor: "demand", multiplier: 1.05, reason: "50% of seats taken +5%" }] },
  { what: "an 80% full show costs more", demand: { forSale: 200, claimed: 160, recentlyClaimed: 0 }, expected: [{ factor: "demand", multiplier: 1.2, reason: "80% of seats taken +20%" }] },
  { what: "a full show is at the top of the curve", demand: { forSale: 200, claimed: 200, recentlyClaimed: 0 }, expected: [{ factor: "demand", multiplier: 1.4, reason: "100% of seats taken +40%" }] },
  { what: "slow recent bookings add no velocity line", demand: { forSale: 200, claimed: 60, recentlyClaimed: 10 }, expected: [] },
  { what: "brisk recent bookings add a velocity line naming the window", demand: { forSale: 200, claimed: 60, recentlyClaimed: 20 }, expected: [{ factor: "velocity", multiplier: 1.05, reason: "20 seats taken in the last 30 min +5%" }] },
  { what: "velocity beyond the last curve point stays at its value", demand: { forSale: 200, claimed: 60, recentlyClaimed: 80 }, expected: [{ factor: "velocity", multiplier: 1.15, reason: "80 seats taken in the last 30 min +15%" }] },
  { what: "occupancy and velocity both apply, demand first", demand: { forSale: 200, claimed: 160, recentlyClaimed: 40 }, expected: [{ factor: "demand", multiplier: 1.2, reason: "80% of seats taken +20%" }, { factor: "velocity", multiplier: 1.15, reason: "40 seats taken in the last 30 min +15%" }] },
  { what: "a show with no seats for sale has no demand", demand: { forSale: 0, claimed: 5, recentlyClaimed: 5 }, expected: [] },
];
for (const c of demandCases) {
  test(`demand: ${c.what}`, (t) => sameFactors(t, demandFactors(DEFAULT_RULES, c.demand), c.expected));
}

test("demand with empty curves changes nothing", (t) => {
  t.deepEqual(demandFactors(BASE_ONLY_RULES, { forSale: 100, claimed: 100, recentlyClaimed: 100 }), []);
});

// ---------- lead time ----------

const STARTS = Date.parse("2026-11-20T14:00:00Z");
const leadCases: [hoursBefore: number, expected: Factor[]][] = [
  [200, [{ factor: "lead_time", multiplier: 0.9, reason: "Early bird: 8 days before the show -10%" }]],
  [120, [{ factor: "lead_time", multiplier: 0.9, reason: "Early bird: 5 days before the show -10%" }]],
  [119.5, []],
  [24, []],
  [3, []],
  [2.5, [{ factor: "lead_time", multiplier: 1.05, reason: "Last minute: 3 h before the show +5%" }]],
  [0.25, [{ factor: "lead_time", multiplier: 1.05, reason: "Last minute: 0 h before the show +5%" }]],
];
for (const [hours, expected] of leadCases) {
  test(`booking ${hours} hours before the show gets ${expected.length ? expected[0]!.reason.split(":")[0] : "no lead-time line"}`, (t) => {
    t.deepEqual(leadTimeFactors(DEFAULT_RULES, STARTS, STARTS - hours * HOUR), expected);
  });
}

const windowCases: [hoursBefore: number, applies: boolean][] = [[23.99, false], [24, true], [47, true], [71.99, true], [72, false]];
for (const [hours, applies] of windowCases) {
  test(`a lead-time band for [24 h, 72 h) ${applies ? "covers" : "does not cover"} ${hours} h before the show`, (t) => {
    const r = rules({ leadTime: [{ name: "Two days out", minHours: 24, maxHours: 72, multiplier: 0.95 }] });
    t.is(leadTimeFactors(r, STARTS, STARTS - hours * HOUR).length, applies ? 1 : 0);
  });
}

test("lead time is told in hours under two days and in days from two days on", (t) => {
  const r = rules({ leadTime: [{ name: "Any time", multiplier: 1.01 }] });
  t.is(leadTimeFactors(r, STARTS, STARTS - 47 * HOUR)[0]!.reason, "Any time: 47 h before the show +1%");
  t.is(leadTimeFactors(r, STARTS, STARTS - 48 * HOUR)[0]!.reason, "Any time: 2 days before the show +1%");
});

// ---------- city and zone ----------

const cityCases: [city: string, expected: Factor[]][] = [
  ["Mumbai", [{ factor: "city", multiplier: 1.1, reason: "Mumbai +10%" }]],
  ["Bengaluru", [{ factor: "city", multiplier: 1.05, reason: "Bengaluru +5%" }]],
  ["Pune", []],
];
for (const [city, expected] of cityCases) {
  test(`a show in ${city} gets ${expected.length ? "its city's multiplier" : "no city line"}`, (t) => {
    t.deepEqual(cityFactors(DEFAULT_RULES, city), expected);
  });
}

test("a city set to exactly 1 says nothing", (t) => {
  t.deepEqual(cityFactors(rules({ cities: { Delhi: 1 } }), "Delhi"), []);
});

test("one degree of latitude is about 111 km and distance is symmetric", (t) => {
  t.true(Math.abs(distanceKm({ lat: 0, lon: 0 }, { lat: 1, lon: 0 }) - 111.195) < 0.01);
  t.true(Math.abs(distanceKm({ lat: 60, lon: 10 }, { lat: 60, lon: 11 }) - 55.6) < 0.1); // cos 60° = 1/2
  t.is(distanceKm({ lat: 19.07, lon: 72.87 }, { lat: 19.07, lon: 72.87 }), 0);
  const mumbai = { lat: 19.076, lon: 72.8777 };
  const pune = { lat: 18.5204, lon: 73.8567 };
  t.is(distanceKm(mumbai, pune), distanceKm(pune, mumbai));
  t.true(Math.abs(distanceKm(mumbai, pune) - 120) < 5);
});

const zoneCases: { what: string; customer?: { lat: number; lon: number }; expected: Factor[] }[] = [
  { what: "a customer in Bandra Kurla Complex", customer: { lat: 19.067, lon: 72.867 }, expected: [{ factor: "zone", multiplier: 1.05, reason: "booking from Bandra Kurla Complex +5%" }] },
  { what: "a customer in Whitefield", customer: { lat: 12.97, lon: 77.74 }, expected: [{ factor: "zone", multiplier: 1.05, reason: "booking from Whitefield +5%" }] },
  { what: "a customer in Pune", customer: { lat: 18.52, lon: 73.85 }, expected: [] },
  { what: "a quote without a location", expected: [] },
];
for (const c of zoneCases) {
  test(`zone: ${c.what} ${c.expected.length ? "gets the zone's multiplier" : "gets no zone line"}`, (t) => {
    t.deepEqual(zoneFactors(DEFAULT_RULES, c.customer), c.expected);
  });
}

test("a zone reaches exactly its radius and no further", (t) => {
  const r = rules({ zones: [{ id: "z", name: "Centre", lat: 0, lon: 0, radiusKm: 3, multiplier: 1.2 }] });
  const kmNorth = (km: number) => ({ lat: km / 111.19492664455873, lon: 0 });
  t.is(zoneFactors(r, kmNorth(2.99)).length, 1);
  t.is(zoneFactors(r, kmNorth(3.01)).length, 0);
});

test("overlapping zones never stack: the first listed zone wins", (t) => {
  const a = { id: "a", name: "Inner", lat: 19.066, lon: 72.866, radiusKm: 2, multiplier: 1.2 };
  const b = { id: "b", name: "Outer", lat: 19.066, lon: 72.866, radiusKm: 10, multiplier: 1.5 };
  const here = { lat: 19.066, lon: 72.866 };
  t.deepEqual(zoneFactors(rules({ zones: [a, b] }), here).map((f) => f.reason), ["booking from Inner +20%"]);
  t.deepEqual(zoneFactors(rules({ zones: [b, a] }), here).map((f) => f.reason), ["booking from Outer +50%"]);
});

// ---------- forecast ----------

const forecastOf = (finalOccupancy: number): Forecast => ({
  finalOccupancy,
  basis: { key: "cinema-1|6|4", comparableShows: 12, hoursBefore: 24, bookedShareByNow: 0.6, occupancyNow: 0.5, averageFinalOccupancy: 0.8 },
});

const forecastCases: [finalOccupancy: number, expected: Factor[]][] = [
  [0.9, [{ factor: "forecast", multiplier: 1.15, reason: "forecast 90% full at showtime (from 12 comparable shows: 60% of bookings usually in by now) +15%" }]],
  [1, [{ factor: "forecast", multiplier: 1.2, reason: "forecast 100% full at showtime (from 12 comparable shows: 60% of bookings usually in by now) +20%" }]],
  [0.3, [{ factor: "forecast", multiplier: 0.98, reason: "forecast 30% full at showtime (from 12 comparable shows: 60% of bookings usually in by now) -2%" }]],
  [0.1, [{ factor: "forecast", multiplier: 0.96, reason: "forecast 10% full at showtime (from 12 comparable shows: 60% of bookings usually in by now) -4%" }]],
  [0.5, []],
];
for (const [occupancy, expected] of forecastCases) {
  test(`a forecast of ${Math.round(occupancy * 100)}% final occupancy ${expected.length ? "moves the price and shows its basis" : "is neutral and says nothing"}`, (t) => {
    sameFactors(t, forecastFactors(DEFAULT_RULES, forecastOf(occupancy)), expected);
  });
}

test("a show without a forecast gets no forecast line", (t) => {
  t.deepEqual(forecastFactors(DEFAULT_RULES, undefined), []);
});

// ---------- all factors together: priceShow and quoteDynamic ----------

const SHOW: PricingInput["show"] = {
  id: "show-1",
  currency: "INR",
  prices: { standard: 20000, premium: 35000 },
  seats: [
    { id: "A1", category: "standard", forSale: true },
    { id: "A2", category: "standard", forSale: true },
    { id: "P1", category: "premium", forSale: true },
    { id: "X1", category: "standard", forSale: false },
    { id: "R1", category: "recliner", forSale: true },
  ],
  startsAt: Date.parse("2026-11-07T13:30:00Z"), // Saturday 19:00 in Mumbai, during Diwali
  city: "Mumbai",
  timezone: "Asia/Kolkata",
};
const BKC = { lat: 19.067, lon: 72.867 };

/** Every factor there is, all applying to SHOW two hours before it starts. */
const EVERYTHING: PricingRules = {
  festivals: [DIWALI],
  seasons: [{ id: "festive", name: "Festive", from: "10-01", to: "11-30", multiplier: 1.05 }],
  weekdays: DEFAULT_RULES.weekdays,
  timeBands: DEFAULT_RULES.timeBands,
  occupancyCurve: DEFAULT_RULES.occupancyCurve,
  velocityCurve: DEFAULT_RULES.velocityCurve,
  velocityWindowMinutes: 30,
  leadTime: DEFAULT_RULES.leadTime,
  cities: DEFAULT_RULES.cities,
  zones: DEFAULT_RULES.zones,
  forecastCurve: DEFAULT_RULES.forecastCurve,
  guardRails: { floor: 0.5, ceiling: 3, maxChangePerHour: 0.1, roundTo: 500 },
};
const ALL_FACTORS = ["festival", "season", "weekday", "time_of_day", "demand", "velocity", "lead_time", "city", "forecast", "zone"];

const input = (over: Partial<PricingInput> = {}): PricingInput => ({
  show: SHOW,
  rules: EVERYTHING,
  demand: { forSale: 4, claimed: 2, recentlyClaimed: 1 },
  forecast: forecastOf(0.9),
  customer: BKC,
  now: SHOW.startsAt - 2 * HOUR,
  ...over,
});

const linesOf = (quote: Quote, seat: string): QuoteLine[] => quote.lines.filter((l) => l.seat === seat);
const product = (lines: QuoteLine[]) => lines.filter((l) => l.factor !== "base" && l.factor !== "guard_rails").reduce((m, l) => m * l.multiplier!, 1);

test("every quoted seat is explained by its base price, then one line per factor applied, then the guard rails", (t) => {
  const quote = quoteDynamic(input(), ["A1", "P1"]);
  for (const [seat, category, base] of [["A1", "standard", 20000], ["P1", "premium", 35000]] as const) {
    const lines = linesOf(quote, seat);
    t.deepEqual(lines.map((l) => l.factor), ["base", ...ALL_FACTORS, "guard_rails"]);
    t.deepEqual({ ...lines[0] }, { seat, category, factor: "base", amount: base, multiplier: undefined, reason: `${category} seat` });
    for (const line of lines.slice(1, -1)) {
      t.is(line.category, category);
      t.is(line.amount, undefined);
      t.true(typeof line.multiplier === "number" && line.multiplier !== 1, `${line.factor} has a multiplier`);
      t.true(line.reason.length > 0);
    }
  }
});

test("the factor lines carry exactly the factors the show's pricing applied", (t) => {
  const pricing = priceShow(input());
  const quote = quoteDynamic(input(), ["A1"], pricing);
  const lines = linesOf(quote, "A1").slice(1, -1);
  t.deepEqual(lines.map((l) => [l.factor, l.multiplier, l.reason]), pricing.factors.map((f) => [f.factor, f.multiplier, f.reason]));
});

test("each seat costs what its lines work out to: base times the factors, rounded to a price point", (t) => {
  const quote = quoteDynamic(input(), ["A1", "A2", "P1"]);
  for (const seat of ["A1", "A2", "P1"]) {
    const lines = linesOf(quote, seat);
    const base = lines[0]!.amount!;
    const guard = lines.at(-1)!;
    t.is(guard.factor, "guard_rails");
    t.is(guard.amount, quote.seatPrices[seat]);
    t.true(Math.abs(guard.amount! - base * product(lines)) <= 250, `${seat}: ${guard.amount} vs ${base * product(lines)}`);
    t.is(guard.amount! % 500, 0);
    t.true(guard.reason.includes("rounded to a multiple of 500"));
  }
});

test("with every factor applying, a standard seat costs 53,500 and a premium seat 93,500", (t) => {
  // 1.25 x 1.05 x 1.1 x 1.1 x 1.05 x 1.15 x 1.05 x 1.1 x 1.15 x 1.05 = 2.6745...; x 20000 = 53,490 -> 53,500; x 35000 = 93,607 -> 93,500
  const quote = quoteDynamic(input(), ["A1", "P1"]);
  t.deepEqual(quote.seatPrices, { A1: 53500, P1: 93500 });
  t.is(quote.total, 147000);
});

test("the total is the sum of the seat prices, every amount in integer minor units", (t) => {
  const quote = quoteDynamic(input({ rules: { ...EVERYTHING, guardRails: { ...EVERYTHING.guardRails, roundTo: 1 } } }), ["A1", "A2", "P1"]);
  t.is(quote.total, Object.values(quote.seatPrices).reduce((a, b) => a + b, 0));
  t.true(Number.isInteger(quote.total));
  for (const price of Object.values(quote.seatPrices)) t.true(Number.isInteger(price));
  for (const line of quote.lines) if (line.amount !== undefined) t.true(Number.isInteger(line.amount), `${line.factor} ${line.amount}`);
});

test("a quote keeps the show's id and currency and is stamped with the time it was made", (t) => {
  const now = SHOW.startsAt - 2 * HOUR;
  const quote = quoteDynamic(input({ show: { ...SHOW, currency: "EUR" } }), ["A1"]);
  t.is(quote.currency, "EUR");
  t.is(quote.showId, "show-1");
  t.is(quote.quotedAt, new Date(now).toISOString());
});

test("festival and city multipliers multiply the base price exactly when no rounding is needed", (t) => {
  const r = rules({ festivals: [DIWALI], cities: { Mumbai: 1.1 } });
  const quote = quoteDynamic(input({ rules: r }), ["A1", "A2", "P1"]);
  t.deepEqual(quote.seatPrices, { A1: 27500, A2: 27500, P1: 48125 });
  t.is(quote.total, 103125);
  t.deepEqual(linesOf(quote, "P1").map((l) => l.factor), ["base", "festival", "city"]);
});

test("with base-only rules every seat costs exactly its base price and the total is the sum of the base lines", (t) => {
  const quote = quoteDynamic(input({ rules: BASE_ONLY_RULES, previous: { multiplier: 1, at: SHOW.startsAt - 3 * HOUR } }), ["A1", "A2", "P1"]);
  t.deepEqual(quote.seatPrices, { A1: 20000, A2: 20000, P1: 35000 });
  t.deepEqual(quote.lines.map((l) => [l.seat, l.factor, l.amount]), [["A1", "base", 20000], ["A2", "base", 20000], ["P1", "base", 35000]]);
  t.is(quote.total, quote.lines.reduce((sum, l) => sum + l.amount!, 0));
  t.is(quote.total, 75000);
});

test("base-only rules price any show at exactly base, whatever its day, demand, forecast or customer", (t) => {
  const busy = input({ rules: BASE_ONLY_RULES, demand: { forSale: 4, claimed: 4, recentlyClaimed: 4 }, forecast: forecastOf(1) });
  const pricing = priceShow(busy);
  t.deepEqual(pricing.factors, []);
  t.is(pricing.multiplier, 1);
  t.deepEqual(pricing.categoryPrices, SHOW.prices);
});

test("seats not for sale, not on the screen or without a price are left out, and a seat asked twice is priced once", (t) => {
  const quote = quoteDynamic(input({ rules: BASE_ONLY_RULES }), ["A1", "X1", "Z9", "R1", "A1"]);
  t.deepEqual(quote.seatPrices, { A1: 20000 });
  t.is(quote.total, 20000);
  t.deepEqual([...new Set(quote.lines.map((l) => l.seat))], ["A1"]);
});

test("a runaway price stops at the ceiling and the guard-rails line says so", (t) => {
  const r = rules({ festivals: [{ ...DIWALI, multiplier: 5 }], guardRails: { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 500 } });
  const quote = quoteDynamic(input({ rules: r }), ["A1", "P1"]);
  t.deepEqual(quote.seatPrices, { A1: 40000, P1: 70000 });
  const guard = linesOf(quote, "A1").at(-1)!;
  t.is(guard.factor, "guard_rails");
  t.is(guard.multiplier, 2);
  t.true(guard.reason.includes("ceiling 2x of base"), guard.reason);
});

test("a deep discount stops at the floor and the guard-rails line says so", (t) => {
  const r = rules({ festivals: [{ ...DIWALI, multiplier: 0.2 }], guardRails: { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 500 } });
  const quote = quoteDynamic(input({ rules: r }), ["A1", "P1"]);
  t.deepEqual(quote.seatPrices, { A1: 14000, P1: 24500 });
  t.true(linesOf(quote, "P1").at(-1)!.reason.includes("floor 0.7x of base"));
});

test("a customer's zone changes their own quote but never the show's published multiplier", (t) => {
  const withZone = priceShow(input());
  const withoutZone = priceShow(input({ customer: undefined }));
  t.is(withZone.published, withoutZone.published);
  t.true(Math.abs(withZone.multiplier - withoutZone.multiplier * 1.05) < EPS);
  t.true(withZone.categoryPrices.standard! > withoutZone.categoryPrices.standard!);
  t.false(withoutZone.factors.some((f) => f.factor === "zone"));
});

test("a customer's zone cannot lift a price above the ceiling", (t) => {
  const r = rules({ festivals: [{ ...DIWALI, multiplier: 2 }], zones: DEFAULT_RULES.zones, guardRails: { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 1 } });
  const pricing = priceShow(input({ rules: r }));
  t.is(pricing.published, 2);
  t.is(pricing.multiplier, 2);
  t.deepEqual(pricing.categoryPrices, { standard: 40000, premium: 70000 });
  t.deepEqual(pricing.guardNotes, ["ceiling 2x of base"]);
});

test("the published price moves at most the hourly cap from the last published one", (t) => {
  const now = SHOW.startsAt - 2 * HOUR;
  const r = rules({ festivals: [DIWALI], cities: { Mumbai: 1.1 }, guardRails: { floor: 0.5, ceiling: 3, maxChangePerHour: 0.1, roundTo: 1 } });
  const pricing = priceShow(input({ rules: r, customer: undefined, previous: { multiplier: 1, at: now - 30 * MINUTE } }));
  t.true(Math.abs(pricing.published - 1.05) < EPS, `${pricing.published}`);
  t.deepEqual(pricing.categoryPrices, { standard: 21000, premium: 36750 });
  const guard = linesOf(quoteDynamic(input({ rules: r, customer: undefined, previous: { multiplier: 1, at: now - 30 * MINUTE } }), ["A1"]), "A1").at(-1)!;
  t.true(guard.reason.includes("price may rise at most 10% per hour"), guard.reason);
});
