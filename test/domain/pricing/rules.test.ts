import test from "ava";
import { DEFAULT_RULES } from "../../../domain/pricing/defaults.ts";
import { validateRules, type PricingRules } from "../../../domain/pricing/rules.ts";

const cases: [string, Partial<PricingRules>, RegExp][] = [
  ["a festival on a day that does not exist", { festivals: [{ id: "x", name: "Leap", from: "2026-02-29", to: "2026-03-01", multiplier: 1.1 }] }, /festival Leap/],
  ["a season on month 13", { seasons: [{ id: "s", name: "Odd", from: "13-01", to: "13-05", multiplier: 1.1 }] }, /season Odd/],
  ["a lead-time band that can never apply", { leadTime: [{ name: "Never", minHours: 48, maxHours: 24, multiplier: 1.1 }] }, /lead time Never: minHours must be below maxHours/],
  ["a negative velocity window", { velocityWindowMinutes: -5 }, /velocityWindowMinutes/],
  ["a curve point that is not a number", { occupancyCurve: [[0, 1], [Number.NaN, 1.2]] }, /occupancy curve: x values must be numbers/],
];

for (const [what, change, problem] of cases) {
  test(`rules with ${what} are refused with a message naming it`, (t) => {
    const problems = validateRules({ ...DEFAULT_RULES, ...change });
    t.true(problems.some((p) => problem.test(p)), problems.join("; "));
  });
}

test("the demo rules and a leap day festival in a leap year are valid", (t) => {
  t.deepEqual(validateRules(DEFAULT_RULES), []);
  t.deepEqual(validateRules({ ...DEFAULT_RULES, festivals: [{ id: "l", name: "Leap", from: "2028-02-29", to: "2028-02-29", multiplier: 1.1 }] }), []);
});
