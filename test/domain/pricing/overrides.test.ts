// Which base prices and guard rails a show is priced with when admins have overridden them.
import test from "ava";
import { DEFAULT_RULES } from "../../../domain/pricing/defaults.ts";
import { comparableKey } from "../../../domain/pricing/forecast.ts";
import { basePricesFor, guardRailsFor, noOverrides, unpricedCategories } from "../../../domain/pricing/overrides.ts";

const show = { id: "s1", cinemaId: "c1", prices: { standard: 20000, premium: 35000 } };

test("without overrides a show is priced from its own catalog prices and the default guard rails", (t) => {
  t.deepEqual(basePricesFor(show, noOverrides()), { standard: 20000, premium: 35000 });
  t.deepEqual(guardRailsFor("s1", DEFAULT_RULES, noOverrides()), DEFAULT_RULES.guardRails);
});

test("a cinema's prices win over the show's own, category by category", (t) => {
  const overrides = { ...noOverrides(), cinemaPrices: { c1: { premium: 40000 }, c2: { standard: 1 } } };
  t.deepEqual(basePricesFor(show, overrides), { standard: 20000, premium: 40000 });
});

test("a show's own override wins over everything else, and applies to that show only", (t) => {
  const overrides = { ...noOverrides(), showPrices: { s1: { standard: 15000, premium: 30000 } }, cinemaPrices: { c1: { premium: 40000 } } };
  t.deepEqual(basePricesFor(show, overrides), { standard: 15000, premium: 30000 });
  t.deepEqual(basePricesFor({ ...show, id: "s2" }, overrides), { standard: 20000, premium: 40000 });
});

test("a show's own guard rails replace the defaults for that show only", (t) => {
  const rails = { floor: 0.9, ceiling: 1.2, maxChangePerHour: 0.05, roundTo: 100 };
  const overrides = { ...noOverrides(), showRails: { s1: rails } };
  t.deepEqual(guardRailsFor("s1", DEFAULT_RULES, overrides), rails);
  t.deepEqual(guardRailsFor("s2", DEFAULT_RULES, overrides), DEFAULT_RULES.guardRails);
});

test("ids that every JavaScript object has are not mistaken for overrides", (t) => {
  t.deepEqual(basePricesFor({ ...show, id: "constructor", cinemaId: "toString" }, noOverrides()), show.prices);
  t.deepEqual(guardRailsFor("__proto__", DEFAULT_RULES, noOverrides()), DEFAULT_RULES.guardRails);
});

test("a base-price override must price every seat category of the screen", (t) => {
  const seats = [{ category: "standard" }, { category: "premium" }, { category: "recliner" }, { category: "standard" }];
  t.deepEqual(unpricedCategories(seats, { standard: 1, premium: 2 }), ["recliner"]);
  t.deepEqual(unpricedCategories(seats, { standard: 1, premium: 2, recliner: 3 }), []);
});

test("comparable shows share a cinema, a local weekday and a four-hour band of the local day", (t) => {
  // 2026-12-04 is a Friday; 13:00 UTC is 18:30 in Kolkata, in the 16:00-20:00 band.
  const at = (iso: string) => Date.parse(iso);
  const friday1830 = comparableKey("c1", at("2026-12-04T13:00:00Z"), "Asia/Kolkata");
  t.is(comparableKey("c1", at("2026-12-04T14:29:00Z"), "Asia/Kolkata"), friday1830, "19:59 local is the same band");
  t.not(comparableKey("c1", at("2026-12-04T14:30:00Z"), "Asia/Kolkata"), friday1830, "20:00 local starts the next band");
  t.is(comparableKey("c1", at("2026-12-11T13:00:00Z"), "Asia/Kolkata"), friday1830, "the same time a week later");
  t.not(comparableKey("c1", at("2026-12-05T13:00:00Z"), "Asia/Kolkata"), friday1830, "a Saturday");
  t.not(comparableKey("c2", at("2026-12-04T13:00:00Z"), "Asia/Kolkata"), friday1830, "another cinema");
  // The same instant is a Friday evening in Kolkata but a Friday morning in New York.
  t.not(comparableKey("c1", at("2026-12-04T13:00:00Z"), "America/New_York"), friday1830);
});
