// Quoting a full 400-seat map with every pricing factor active, against quoting it with base
// prices only, in one run. Rounds alternate between the two so machine noise hits both alike;
// the reported ratio is the median of the per-round ratios.
import { BASE_ONLY_RULES, DEFAULT_RULES } from "../domain/pricing/defaults.ts";
import { priceShow, quoteDynamic, type PricingInput } from "../domain/pricing/engine.ts";
import { forecastShow, trainCurves } from "../domain/pricing/forecast.ts";

const ROUNDS = Number(process.env.BENCH_PRICING_ROUNDS ?? 15);
const ROUND_MS = Number(process.env.BENCH_PRICING_ROUND_MS ?? 300);

// 20 rows of 20: standard, premium and recliner rows.
const seats = Array.from({ length: 400 }, (_, i) => {
  const row = String.fromCharCode(65 + Math.floor(i / 20));
  const category = i < 240 ? "standard" : i < 360 ? "premium" : "recliner";
  return { id: `${row}${(i % 20) + 1}`, category, forSale: true };
});
// Saturday 26 December 2026, 19:00 in Mumbai: a festival, the year-end season, a weekend, prime
// time, a premium city; two hours before the show (last minute), 85% sold and selling fast, a
// learned booking curve, and a customer inside a pricing zone.
const startsAt = Date.parse("2026-12-26T19:00:00+05:30");
const now = startsAt - 2 * 3_600_000;
const curve = trainCurves(Array.from({ length: 30 }, (_, i) => ({ key: "k", capacity: 400, claimHoursBefore: Array.from({ length: 300 + i }, (_, j) => (j * 7) % 96) }))).get("k");
const show = { id: "bench", currency: "INR", prices: { standard: 25_000, premium: 40_000, recliner: 65_000 }, seats, startsAt, city: "Mumbai", timezone: "Asia/Kolkata" };
const demand = { forSale: 400, claimed: 340, recentlyClaimed: 60 };

const full: PricingInput = {
  show, rules: DEFAULT_RULES, demand, now,
  forecast: forecastShow(curve, 0.85, 2),
  customer: { lat: 19.066, lon: 72.866 },
  previous: { multiplier: 1.3, at: now - 3_600_000 },
};
const base: PricingInput = { show, rules: BASE_ONLY_RULES, demand, now };
const seatIds = seats.map((s) => s.id);

const factorsShown = new Set(quoteDynamic(full, seatIds).lines.map((l) => l.factor));
function rate(input: PricingInput): number {
  let quotes = 0;
  const started = performance.now();
  while (performance.now() - started < ROUND_MS) {
    quoteDynamic(input, seatIds, priceShow(input));
    quotes++;
  }
  return quotes / ((performance.now() - started) / 1000);
}

rate(full); rate(base); // warm up the JIT
const ratios: number[] = [];
const fullRates: number[] = [];
const baseRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const b = rate(base);
  const f = rate(full);
  baseRates.push(b); fullRates.push(f); ratios.push(f / b);
  process.stderr.write(`\r  pricing round ${round + 1}/${ROUNDS}`);
}
process.stderr.write("\n");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`\npricing: full 400-seat quotes per second, every factor (${[...factorsShown].join(", ")}) vs base prices only`);
console.log("| scenario | quotes/s (median) |\n|---|---|");
console.log(`| base prices only | ${Math.round(median(baseRates))} |`);
console.log(`| every factor active | ${Math.round(median(fullRates))} |`);
console.log(`\nfull dynamic pricing = ${(median(ratios) * 100).toFixed(0)}% of base-only throughput (target >= 50%)`);
