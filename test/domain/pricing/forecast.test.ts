// The booking-curve forecast learns, from finished comparable shows, what share of a show's final
// bookings is usually in by each point before showtime, and projects a live show's final
// occupancy from it. Also the rules' piecewise-linear curves and the validation of a rule set.
import test from "ava";
import fc from "fast-check";
import { BASE_ONLY_RULES, DEFAULT_RULES } from "../../../domain/pricing/defaults.ts";
import { CHECKPOINTS, forecastShow, shareBy, trainCurves, type BookingCurve, type ShowHistory } from "../../../domain/pricing/forecast.ts";
import { curveAt, validateRules, type Curve, type PricingRules } from "../../../domain/pricing/rules.ts";

const close = (a: number, b: number, tolerance = 1e-9) => Math.abs(a - b) <= tolerance;

/** A small deterministic PRNG (mulberry32), so synthetic histories are the same on every run. */
function random(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of final bookings in by each checkpoint (168 h ... 0 h): most people book in the last two days. */
const TYPICAL = [0.1, 0.2, 0.3, 0.45, 0.65, 0.8, 0.9, 0.96, 0.99, 1];
/** A show people book at the last minute. */
const LATE = [0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9, 1];

/**
 * When a booking at quantile u of a show's bookings was made, for a known curve: linear between
 * checkpoints, and spread over 168-336 h for the share booked more than a week ahead.
 */
function claimHour(curve: readonly number[], u: number): number {
  const cps = CHECKPOINTS as readonly number[];
  if (u < curve[0]!) return cps[0]! * (1 + (curve[0]! - u) / curve[0]!);
  for (let i = 1; i < cps.length; i++) {
    if (u < curve[i]!) return cps[i - 1]! - ((cps[i - 1]! - cps[i]!) * (u - curve[i - 1]!)) / (curve[i]! - curve[i - 1]!);
  }
  return 0;
}

/** Finished shows whose bookings followed `curve`, each ending with `bookings(rand)` of `capacity` seats. */
function synthetic(key: string, curve: readonly number[], shows: number, capacity: number, bookings: (rand: () => number) => number, seed: number): ShowHistory[] {
  const rand = random(seed);
  return Array.from({ length: shows }, () => {
    const n = bookings(rand);
    return { key, capacity, claimHoursBefore: Array.from({ length: n }, () => claimHour(curve, rand())) };
  });
}

const TOLERANCE = 0.025;
const TYPICAL_KEY = "cinema-1|6|4";
const LATE_KEY = "cinema-2|2|3";
const typicalHistory = synthetic(TYPICAL_KEY, TYPICAL, 60, 200, () => 160, 7);
const lateHistory = synthetic(LATE_KEY, LATE, 40, 150, (rand) => 30 + Math.floor(rand() * 120), 11);
const HISTORY = [...typicalHistory, ...lateHistory];

const curveFor = (key: string, history: readonly ShowHistory[] = HISTORY): BookingCurve => {
  const curve = trainCurves(history).get(key);
  if (!curve) throw new Error(`no curve learned for ${key}`);
  return curve;
};

// ---------- learning ----------

test("the booking curve learned from shows that followed a known curve is that curve at every checkpoint", (t) => {
  const learned = curveFor(TYPICAL_KEY);
  t.is(learned.shareByCheckpoint.length, CHECKPOINTS.length);
  CHECKPOINTS.forEach((hours, i) => {
    t.true(close(learned.shareByCheckpoint[i]!, TYPICAL[i]!, TOLERANCE), `${hours} h: learned ${learned.shareByCheckpoint[i]}, true ${TYPICAL[i]}`);
  });
});

test("comparable shows are grouped by key, and each group learns its own curve", (t) => {
  const typical = curveFor(TYPICAL_KEY);
  const late = curveFor(LATE_KEY);
  t.is(typical.comparableShows, 60);
  t.is(late.comparableShows, 40);
  CHECKPOINTS.forEach((hours, i) => t.true(close(late.shareByCheckpoint[i]!, LATE[i]!, TOLERANCE), `${hours} h: learned ${late.shareByCheckpoint[i]}, true ${LATE[i]}`));
  // The two curves really are told apart: two days out they differ by far more than the tolerance.
  const at48 = CHECKPOINTS.indexOf(48);
  t.true(typical.shareByCheckpoint[at48]! - late.shareByCheckpoint[at48]! > 10 * TOLERANCE);
});

test("the learned curve is right between checkpoints too, by interpolation", (t) => {
  const learned = curveFor(TYPICAL_KEY);
  t.true(close(shareBy(learned, 60), 0.375, TOLERANCE), `60 h: ${shareBy(learned, 60)}`); // halfway from 72 h (0.3) to 48 h (0.45)
  t.true(close(shareBy(learned, 18), 0.725, TOLERANCE), `18 h: ${shareBy(learned, 18)}`); // halfway from 24 h (0.65) to 12 h (0.8)
});

test("the average final occupancy of the comparable shows is learned", (t) => {
  t.true(close(curveFor(TYPICAL_KEY).averageFinalOccupancy, 0.8, 1e-12));
  const expected = lateHistory.reduce((sum, s) => sum + s.claimHoursBefore.length / 150, 0) / lateHistory.length;
  t.true(close(curveFor(LATE_KEY).averageFinalOccupancy, expected, 1e-12));
});

test("a learned curve never falls toward showtime and ends with every booking in", (t) => {
  for (const curve of trainCurves(HISTORY).values()) {
    curve.shareByCheckpoint.forEach((share, i) => t.true(i === 0 || share >= curve.shareByCheckpoint[i - 1]!, `${curve.key} at ${CHECKPOINTS[i]} h`));
    t.is(curve.shareByCheckpoint.at(-1), 1);
  }
});

test("any history learns curves between 0 and 1 that never fall toward showtime", (t) => {
  const showArb = fc.record({
    key: fc.constantFrom("a", "b", "c"),
    capacity: fc.integer({ min: 1, max: 300 }),
    claimHoursBefore: fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { maxLength: 50 }),
  });
  fc.assert(fc.property(fc.array(showArb, { maxLength: 30 }), (history) => {
    for (const curve of trainCurves(history).values()) {
      const s = curve.shareByCheckpoint;
      if (s.some((x, i) => x < 0 || x > 1 || (i > 0 && x < s[i - 1]!))) return false;
      if (history.some((h) => h.key === curve.key && h.claimHoursBefore.length > 0) && s.at(-1) !== 1) return false;
    }
    return true;
  }), { numRuns: 300 });
  t.pass();
});

test("each show counts by its bookings, so a nearly empty show cannot distort the curve", (t) => {
  const curve = curveFor("k", [
    { key: "k", capacity: 200, claimHoursBefore: Array(100).fill(200) },
    { key: "k", capacity: 200, claimHoursBefore: [0.5] },
  ]);
  t.true(close(curve.shareByCheckpoint[0]!, 100 / 101));
});

test("shows without bookings count as comparable shows and lower the average, but do not shape the curve", (t) => {
  const curve = curveFor("k", [
    { key: "k", capacity: 100, claimHoursBefore: Array(80).fill(30) },
    { key: "k", capacity: 100, claimHoursBefore: [] },
  ]);
  t.is(curve.comparableShows, 2);
  t.true(close(curve.averageFinalOccupancy, 0.4));
  t.deepEqual(curve.shareByCheckpoint, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
});

test("shows without a capacity are ignored", (t) => {
  const curves = trainCurves([
    { key: "k", capacity: 0, claimHoursBefore: [10] },
    { key: "j", capacity: -5, claimHoursBefore: [10] },
    { key: "k", capacity: 10, claimHoursBefore: [10, 10] },
  ]);
  t.deepEqual([...curves.keys()], ["k"]);
  t.is(curves.get("k")!.comparableShows, 1);
  t.true(close(curves.get("k")!.averageFinalOccupancy, 0.2));
});

test("no history learns no curves", (t) => {
  t.is(trainCurves([]).size, 0);
});

// ---------- determinism ----------

const asData = (curves: Map<string, BookingCurve>) => [...curves.entries()];

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const rand = random(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

test("training twice on the same history learns exactly the same curves", (t) => {
  t.deepEqual(asData(trainCurves(HISTORY)), asData(trainCurves(HISTORY)));
});

test("the order in which finished shows are listed does not change what is learned, to the last bit", (t) => {
  const reference = asData(trainCurves(HISTORY));
  t.deepEqual(asData(trainCurves([...HISTORY].reverse())), reference);
  for (const seed of [1, 2, 3, 4, 5]) t.deepEqual(asData(trainCurves(shuffled(HISTORY, seed))), reference);
});

test("the order of a show's own bookings does not change what is learned", (t) => {
  const reordered = HISTORY.map((s) => ({ ...s, claimHoursBefore: [...s.claimHoursBefore].reverse() }));
  t.deepEqual(asData(trainCurves(reordered)), asData(trainCurves(HISTORY)));
});

test("curves come out in key order whatever order the shows came in", (t) => {
  t.deepEqual([...trainCurves(HISTORY).keys()], [TYPICAL_KEY, LATE_KEY]);
  t.deepEqual([...trainCurves([...lateHistory, ...typicalHistory]).keys()], [TYPICAL_KEY, LATE_KEY]);
});

test("the average occupancy does not depend on the order of shows even where floating-point sums would", (t) => {
  // 0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in the last bit in floating point.
  const show = (n: number): ShowHistory => ({ key: "k", capacity: 10, claimHoursBefore: Array(n).fill(5) });
  t.is(curveFor("k", [show(1), show(2), show(3)]).averageFinalOccupancy, curveFor("k", [show(3), show(2), show(1)]).averageFinalOccupancy);
});

// ---------- shareBy ----------

const KNOWN: BookingCurve = { key: "k", comparableShows: 20, shareByCheckpoint: TYPICAL, averageFinalOccupancy: 0.7 };

const shareCases: [hoursBefore: number, share: number][] = [
  [500, 0.1], [168, 0.1], [96, 0.2], [72, 0.3], [48, 0.45], [24, 0.65], [12, 0.8], [6, 0.9], [3, 0.96], [1, 0.99], [0, 1],
  [132, 0.15], [60, 0.375], [2, 0.975], [0.5, 0.995], [-1, 1],
];
for (const [hours, share] of shareCases) {
  test(`${hours} h before the show, ${Math.round(share * 1000) / 10}% of bookings are usually in`, (t) => {
    t.true(close(shareBy(KNOWN, hours), share, 1e-12), `${shareBy(KNOWN, hours)}`);
  });
}

// ---------- forecastShow ----------

test("there is no forecast without comparable shows", (t) => {
  t.is(forecastShow(undefined, 0.5, 24), undefined);
  t.is(forecastShow({ ...KNOWN, comparableShows: 0 }, 0.5, 24), undefined);
});

test("a show half as full as usual a day out is forecast from its pickup, blended toward the comparables' average", (t) => {
  // By 24 h 65% of bookings are usually in: 0.325 now projects to 0.5, blended 65/35 with the average 0.7.
  const forecast = forecastShow(KNOWN, 0.325, 24)!;
  t.true(close(forecast.finalOccupancy, 0.65 * 0.5 + 0.35 * 0.7), `${forecast.finalOccupancy}`);
  t.deepEqual(forecast.basis, { key: "k", comparableShows: 20, hoursBefore: 24, bookedShareByNow: 0.65, occupancyNow: 0.325, averageFinalOccupancy: 0.7 });
});

test("at showtime the forecast is simply the occupancy now", (t) => {
  t.true(close(forecastShow(KNOWN, 0.6, 0)!.finalOccupancy, 0.6));
});

test("a show already started is forecast as at showtime", (t) => {
  const forecast = forecastShow(KNOWN, 0.6, -2)!;
  t.true(close(forecast.finalOccupancy, 0.6));
  t.is(forecast.basis.bookedShareByNow, 1);
});

test("long before a show with no bookings yet the forecast leans on the comparables' average", (t) => {
  t.true(close(forecastShow(KNOWN, 0, 200)!.finalOccupancy, 0.9 * 0.7));
});

test("a forecast never exceeds a full house", (t) => {
  t.is(forecastShow(KNOWN, 0.9, 48)!.finalOccupancy, 1);
});

test("a forecast is never below the seats already taken", (t) => {
  const nobodyBooksEarly: BookingCurve = { ...KNOWN, shareByCheckpoint: [0, 0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99, 1], averageFinalOccupancy: 0.5 };
  t.is(forecastShow(nobodyBooksEarly, 0.8, 200)!.finalOccupancy, 0.8);
});

test("any forecast lies between the occupancy now and a full house", (t) => {
  fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -10, max: 400, noNaN: true }), (occupancy, hours) => {
    const f = forecastShow(KNOWN, occupancy, hours)!;
    return f.finalOccupancy >= occupancy && f.finalOccupancy <= 1;
  }), { numRuns: 500 });
  t.pass();
});

test("a live show following the learned curve is forecast to end where its comparables ended", (t) => {
  const learned = curveFor(TYPICAL_KEY);
  for (const [hours, share] of [[72, 0.3], [24, 0.65], [6, 0.9]] as const) {
    const forecast = forecastShow(learned, 0.8 * share, hours)!;
    t.true(close(forecast.finalOccupancy, 0.8, 0.02), `${hours} h: ${forecast.finalOccupancy}`);
  }
});

test("a live show selling twice as fast as its comparables is forecast to end fuller than they did", (t) => {
  const learned = curveFor(TYPICAL_KEY);
  const usual = forecastShow(learned, 0.8 * 0.3, 72)!.finalOccupancy;
  const hot = forecastShow(learned, 2 * 0.8 * 0.3, 72)!.finalOccupancy;
  t.true(hot > usual + 0.1, `${hot} vs ${usual}`);
});

// ---------- rules: curveAt ----------

const OCCUPANCY: Curve = [[0, 0.9], [0.3, 1], [0.7, 1.1], [0.9, 1.3], [1, 1.4]];
const curveCases: [x: number, y: number][] = [
  [-0.5, 0.9], [0, 0.9], [0.15, 0.95], [0.3, 1], [0.5, 1.05], [0.7, 1.1], [0.8, 1.2], [0.95, 1.35], [1, 1.4], [1.5, 1.4],
];
for (const [x, y] of curveCases) {
  test(`the occupancy curve gives ${y} at ${x}`, (t) => {
    t.true(close(curveAt(OCCUPANCY, x), y), `${curveAt(OCCUPANCY, x)}`);
  });
}

test("an empty curve is neutral everywhere", (t) => {
  for (const x of [-1, 0, 0.5, 1, 2]) t.is(curveAt([], x), 1);
});

test("a one-point curve is that multiplier everywhere", (t) => {
  for (const x of [-1, 0, 0.5, 1, 2]) t.is(curveAt([[0.5, 1.2]], x), 1.2);
});

test("a vertical step in a curve keeps the lower value at the step and the upper one just past it", (t) => {
  const step: Curve = [[0, 1], [0.5, 1], [0.5, 2], [1, 2]];
  t.is(curveAt(step, 0.25), 1);
  t.is(curveAt(step, 0.5), 1);
  t.is(curveAt(step, 0.5000001), 2);
});

test("a curve never leaves the range of its own multipliers", (t) => {
  // Points as an admin would write them: x and multipliers to two decimals.
  const hundredths = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((i) => i / 100);
  const curveArb = fc.array(fc.tuple(hundredths(-2, 2), hundredths(0.1, 5)), { minLength: 1, maxLength: 8 })
    .map((points) => points.sort((a, b) => a[0] - b[0]) as Curve);
  fc.assert(fc.property(curveArb, fc.double({ min: -3, max: 3, noNaN: true }), (curve, x) => {
    const ys = curve.map(([, y]) => y);
    const y = curveAt(curve, x);
    return y >= Math.min(...ys) - 1e-12 && y <= Math.max(...ys) + 1e-12;
  }), { numRuns: 500 });
  t.pass();
});

test("a rising curve gives a higher multiplier for more demand", (t) => {
  fc.assert(fc.property(fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: -1, max: 2, noNaN: true }), (a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    return curveAt(OCCUPANCY, lo) <= curveAt(OCCUPANCY, hi);
  }), { numRuns: 500 });
  t.pass();
});

// ---------- rules: validateRules ----------

test("the default rules and the base-only rules are valid", (t) => {
  t.deepEqual(validateRules(DEFAULT_RULES), []);
  t.deepEqual(validateRules(BASE_ONLY_RULES), []);
});

const fest = DEFAULT_RULES.festivals[0]!;
const season = DEFAULT_RULES.seasons[0]!;
const band = DEFAULT_RULES.timeBands[0]!;
const zone = DEFAULT_RULES.zones[0]!;
const rails = DEFAULT_RULES.guardRails;

const invalid: [what: string, change: Partial<PricingRules>, problem: string][] = [
  ["a festival ending before it starts", { festivals: [{ ...fest, from: "2026-11-10", to: "2026-11-06" }] }, "festival Diwali: from/to must be YYYY-MM-DD with from <= to"],
  ["a festival date written with slashes", { festivals: [{ ...fest, from: "2026/11/06" }] }, "festival Diwali: from/to must be YYYY-MM-DD with from <= to"],
  ["a festival with a zero multiplier", { festivals: [{ ...fest, multiplier: 0 }] }, "festival Diwali: multiplier must be > 0 and <= 10"],
  ["a festival with a multiplier above 10", { festivals: [{ ...fest, multiplier: 11 }] }, "festival Diwali: multiplier must be > 0 and <= 10"],
  ["a festival with a multiplier that is not a number", { festivals: [{ ...fest, multiplier: Number.NaN }] }, "festival Diwali: multiplier must be > 0 and <= 10"],
  ["a season with a full date instead of MM-DD", { seasons: [{ ...season, from: "2026-03-01" }] }, "season Exam: from/to must be MM-DD"],
  ["a season with a negative multiplier", { seasons: [{ ...season, multiplier: -0.9 }] }, "season Exam: multiplier must be > 0 and <= 10"],
  ["a time band ending at 24:00", { timeBands: [{ ...band, to: "24:00" }] }, "time band Morning: from/to must be HH:MM"],
  ["a time band with a one-digit hour", { timeBands: [{ ...band, from: "6:00" }] }, "time band Morning: from/to must be HH:MM"],
  ["a weekday band with day 7", { weekdays: [{ name: "Weekend", days: [6, 7], multiplier: 1.1 }] }, "weekday band Weekend: days are 0 (Sunday) to 6"],
  ["a weekday band with a fractional day", { weekdays: [{ name: "Weekend", days: [5.5], multiplier: 1.1 }] }, "weekday band Weekend: days are 0 (Sunday) to 6"],
  ["a lead-time band with a zero multiplier", { leadTime: [{ name: "Early bird", minHours: 120, multiplier: 0 }] }, "lead time Early bird: multiplier must be > 0 and <= 10"],
  ["a city with a zero multiplier", { cities: { Mumbai: 0 } }, "city Mumbai: multiplier must be > 0 and <= 10"],
  ["a zone with a zero multiplier", { zones: [{ ...zone, multiplier: 0 }] }, "zone Bandra Kurla Complex: multiplier must be > 0 and <= 10"],
  ["a zone north of the pole", { zones: [{ ...zone, lat: 91 }] }, "zone Bandra Kurla Complex: lat/lon out of range or radius not positive"],
  ["a zone past the date line", { zones: [{ ...zone, lon: 181 }] }, "zone Bandra Kurla Complex: lat/lon out of range or radius not positive"],
  ["a zone with no radius", { zones: [{ ...zone, radiusKm: 0 }] }, "zone Bandra Kurla Complex: lat/lon out of range or radius not positive"],
  ["an occupancy curve going backwards", { occupancyCurve: [[0, 1], [0.5, 1.2], [0.4, 1.3]] }, "occupancy curve: points must be in ascending x"],
  ["a velocity curve with a zero multiplier", { velocityCurve: [[0, 1], [0.2, 0]] }, "velocity curve: multipliers must be > 0 and <= 10"],
  ["a forecast curve with a multiplier above 10", { forecastCurve: [[0, 1], [1, 12]] }, "forecast curve: multipliers must be > 0 and <= 10"],
  ["a floor above the base price", { guardRails: { ...rails, floor: 1.2 } }, "guard rails: need 0 < floor <= 1 <= ceiling <= 10"],
  ["a zero floor", { guardRails: { ...rails, floor: 0 } }, "guard rails: need 0 < floor <= 1 <= ceiling <= 10"],
  ["a ceiling below the base price", { guardRails: { ...rails, ceiling: 0.9 } }, "guard rails: need 0 < floor <= 1 <= ceiling <= 10"],
  ["a ceiling above 10x", { guardRails: { ...rails, ceiling: 11 } }, "guard rails: need 0 < floor <= 1 <= ceiling <= 10"],
  ["a zero hourly cap", { guardRails: { ...rails, maxChangePerHour: 0 } }, "guard rails: maxChangePerHour must be > 0"],
  ["rounding to a fraction of a minor unit", { guardRails: { ...rails, roundTo: 2.5 } }, "guard rails: roundTo must be a positive integer number of minor units"],
  ["rounding to zero", { guardRails: { ...rails, roundTo: 0 } }, "guard rails: roundTo must be a positive integer number of minor units"],
];
for (const [what, change, problem] of invalid) {
  test(`rules with ${what} are refused, saying exactly what is wrong`, (t) => {
    t.deepEqual(validateRules({ ...DEFAULT_RULES, ...change }), [problem]);
  });
}

test("every problem in a rule set is reported, not just the first", (t) => {
  const problems = validateRules({
    ...DEFAULT_RULES,
    festivals: [{ ...fest, multiplier: 0 }],
    cities: { Mumbai: 20 },
    guardRails: { ...rails, roundTo: 0 },
  });
  t.deepEqual(problems, [
    "festival Diwali: multiplier must be > 0 and <= 10",
    "city Mumbai: multiplier must be > 0 and <= 10",
    "guard rails: roundTo must be a positive integer number of minor units",
  ]);
});

test("a curve may step vertically: repeated x values are allowed", (t) => {
  t.deepEqual(validateRules({ ...DEFAULT_RULES, occupancyCurve: [[0, 1], [0.5, 1], [0.5, 1.2], [1, 1.2]] }), []);
});
