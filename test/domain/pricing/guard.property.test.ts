// Properties of the guard rails over random rails, raw multipliers and publication histories:
// the published multiplier stays within the floor and ceiling, moves at most the hourly cap from
// the last published one, and prices land on integer price points that never fall as the
// multiplier rises.
import test from "ava";
import fc from "fast-check";
import { guardMultiplier, roundPrice, type Published } from "../../../domain/pricing/guard.ts";
import type { GuardRails } from "../../../domain/pricing/rules.ts";

const HOUR = 3_600_000;
const NUM_RUNS = 1000;
/** Relative slack for floating-point arithmetic in the cap (prev ± prev·cap·hours). */
const EPS = 1e-9;

const check = <Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>) => fc.assert(property, { numRuns: NUM_RUNS });

const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const railsArb: fc.Arbitrary<GuardRails> = fc.record({
  floor: num(0.05, 1),
  ceiling: num(1, 10),
  maxChangePerHour: num(0.001, 2),
  roundTo: fc.constantFrom(1, 5, 10, 50, 100, 500, 1000),
});

/** A raw multiplier as the factors produce it: any positive product, often outside the rails. */
const rawArb = num(0.01, 25);

/** A point inside the rails: what a previous publication under the same rails always is. */
const within = (rails: GuardRails, u: number) => Math.min(rails.ceiling, rails.floor + u * (rails.ceiling - rails.floor));

/** Elapsed time since the last publication, up to two days, sometimes none at all. */
const elapsedArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 48 * HOUR }));

const T0 = Date.UTC(2030, 0, 1);

function withinRails(m: number, rails: GuardRails): boolean {
  return m >= rails.floor && m <= rails.ceiling;
}

function withinCap(m: number, previous: Published, now: number, rails: GuardRails): boolean {
  const hours = Math.max(0, now - previous.at) / HOUR;
  const step = previous.multiplier * rails.maxChangePerHour * hours;
  return Math.abs(m - previous.multiplier) <= step + EPS * previous.multiplier;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// ---------- one publication ----------

test("a first publication is the raw multiplier clamped to the floor and ceiling", (t) => {
  check(fc.property(railsArb, rawArb, (rails, raw) => {
    const { multiplier } = guardMultiplier(raw, rails, undefined, T0);
    return multiplier === clamp(raw, rails.floor, rails.ceiling);
  }));
  t.pass();
});

test("the published multiplier is never below the floor nor above the ceiling, even after a price outside the current rails", (t) => {
  check(fc.property(railsArb, rawArb, num(0.01, 25), elapsedArb, (rails, raw, previous, elapsed) => {
    const { multiplier } = guardMultiplier(raw, rails, { multiplier: previous, at: T0 }, T0 + elapsed);
    return withinRails(multiplier, rails);
  }));
  t.pass();
});

test("the published multiplier never moves more than the hourly cap allows for the time elapsed", (t) => {
  check(fc.property(railsArb, rawArb, num(0, 1), elapsedArb, (rails, raw, u, elapsed) => {
    const previous = { multiplier: within(rails, u), at: T0 };
    const { multiplier } = guardMultiplier(raw, rails, previous, T0 + elapsed);
    return withinCap(multiplier, previous, T0 + elapsed, rails);
  }));
  t.pass();
});

test("a clock that runs backwards allows no change at all", (t) => {
  check(fc.property(railsArb, rawArb, num(0, 1), fc.integer({ min: 1, max: 48 * HOUR }), (rails, raw, u, back) => {
    const previous = { multiplier: within(rails, u), at: T0 };
    return guardMultiplier(raw, rails, previous, T0 - back).multiplier === previous.multiplier;
  }));
  t.pass();
});

test("the published multiplier moves toward the raw one and never overshoots it", (t) => {
  check(fc.property(railsArb, rawArb, num(0, 1), elapsedArb, (rails, raw, u, elapsed) => {
    const previous = { multiplier: within(rails, u), at: T0 };
    const target = clamp(raw, rails.floor, rails.ceiling);
    const { multiplier } = guardMultiplier(raw, rails, previous, T0 + elapsed);
    const [lo, hi] = target >= previous.multiplier ? [previous.multiplier, target] : [target, previous.multiplier];
    return multiplier >= lo && multiplier <= hi;
  }));
  t.pass();
});

test("a raw multiplier inside the rails and within reach of the cap is published unchanged and without notes", (t) => {
  check(fc.property(railsArb, num(0, 1), num(0, 1), fc.integer({ min: 1, max: 48 * HOUR }), (rails, u, v, elapsed) => {
    const previous = { multiplier: within(rails, u), at: T0 };
    const reach = previous.multiplier * rails.maxChangePerHour * (elapsed / HOUR);
    const raw = clamp(previous.multiplier + (2 * v - 1) * reach, rails.floor, rails.ceiling);
    const guarded = guardMultiplier(raw, rails, previous, T0 + elapsed);
    return guarded.multiplier === raw && guarded.notes.length === 0;
  }));
  t.pass();
});

test("whenever the guard changes the raw multiplier it says why", (t) => {
  check(fc.property(railsArb, rawArb, fc.option(num(0, 1), { nil: undefined }), elapsedArb, (rails, raw, u, elapsed) => {
    const previous = u === undefined ? undefined : { multiplier: within(rails, u), at: T0 };
    const guarded = guardMultiplier(raw, rails, previous, T0 + elapsed);
    return guarded.multiplier === raw || guarded.notes.length > 0;
  }));
  t.pass();
});

// ---------- a show's publications over time ----------

const stepsArb = fc.array(fc.record({ raw: rawArb, elapsed: elapsedArb }), { minLength: 1, maxLength: 60 });

test("over any sequence of raw multipliers, every publication respects the floor, the ceiling and the hourly cap", (t) => {
  check(fc.property(railsArb, stepsArb, (rails, steps) => {
    let previous: Published | undefined;
    let now = T0;
    for (const step of steps) {
      now += step.elapsed;
      const { multiplier } = guardMultiplier(step.raw, rails, previous, now);
      if (!withinRails(multiplier, rails)) return false;
      if (previous && !withinCap(multiplier, previous, now, rails)) return false;
      previous = { multiplier, at: now };
    }
    return true;
  }));
  t.pass();
});

test("publishing every few minutes cannot outrun the cap for the whole elapsed time", (t) => {
  // Frequent small steps compound; over an hour they must stay within what compounding the cap allows.
  check(fc.property(railsArb, fc.array(rawArb, { minLength: 12, maxLength: 12 }), (rails, raws) => {
    let previous: Published = { multiplier: clamp(1, rails.floor, rails.ceiling), at: T0 };
    const start = previous.multiplier;
    for (let i = 1; i <= raws.length; i++) {
      const now = T0 + i * 5 * 60_000;
      previous = { multiplier: guardMultiplier(raws[i - 1]!, rails, previous, now).multiplier, at: now };
    }
    const most = start * (1 + rails.maxChangePerHour / 12) ** 12;
    const least = start * (1 - Math.min(1, rails.maxChangePerHour / 12)) ** 12;
    return previous.multiplier <= most * (1 + EPS) && previous.multiplier >= least * (1 - EPS);
  }));
  t.pass();
});

test("a price held under a ceiling that was lowered drops to the new ceiling at once", (t) => {
  const rails = { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 1 };
  t.is(guardMultiplier(3, rails, { multiplier: 3, at: T0 }, T0 + HOUR).multiplier, 2);
});

test("a price held under a floor that was raised rises to the new floor at once", (t) => {
  const rails = { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 1 };
  t.is(guardMultiplier(1, rails, { multiplier: 0.5, at: T0 }, T0 + HOUR).multiplier, 0.7);
});

test("half an hour at a 10% hourly cap lets the price rise 5% and says so", (t) => {
  const rails = { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 1 };
  const guarded = guardMultiplier(1.5, rails, { multiplier: 1, at: T0 }, T0 + HOUR / 2);
  t.true(Math.abs(guarded.multiplier - 1.05) < EPS);
  t.deepEqual(guarded.notes, ["price may rise at most 10% per hour"]);
});

// ---------- roundPrice ----------

const baseArb = fc.integer({ min: 1, max: 2_000_000 });
const multArb = num(0.01, 12);

test("a rounded price is always an integer number of minor units", (t) => {
  check(fc.property(baseArb, multArb, railsArb, (base, m, rails) => Number.isInteger(roundPrice(base, m, rails))));
  t.pass();
});

test("a higher multiplier never gives a lower price", (t) => {
  check(fc.property(baseArb, multArb, multArb, railsArb, (base, a, b, rails) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    return roundPrice(base, lo, rails) <= roundPrice(base, hi, rails);
  }));
  t.pass();
});

test("when a price point fits between the floor and the ceiling, the price is one of them and inside the rails", (t) => {
  check(fc.property(baseArb, multArb, railsArb, (base, m, rails) => {
    const fits = Math.ceil((base * rails.floor) / rails.roundTo) <= Math.floor((base * rails.ceiling) / rails.roundTo);
    fc.pre(fits);
    const price = roundPrice(base, m, rails);
    return price % rails.roundTo === 0 && price >= base * rails.floor * (1 - EPS) && price <= base * rails.ceiling * (1 + EPS);
  }));
  t.pass();
});

test("a guarded multiplier is rounded to a price point less than one step away", (t) => {
  check(fc.property(baseArb, num(0, 1), railsArb, (base, u, rails) => {
    const m = within(rails, u);
    const price = roundPrice(base, m, rails);
    return Math.abs(price - base * m) < rails.roundTo + EPS * base;
  }));
  t.pass();
});

test("with a base price smaller than one price point the exact price is kept", (t) => {
  const rails = { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 500 };
  t.is(roundPrice(100, 1.234, rails), 123);
});

test("prices round to the nearest price point", (t) => {
  const rails = { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 500 };
  t.is(roundPrice(20000, 1.012, rails), 20000); // 20,240
  t.is(roundPrice(20000, 1.013, rails), 20500); // 20,260
  t.is(roundPrice(20000, 0.5, rails), 14000); // below the floor: the lowest point inside the rails
});
