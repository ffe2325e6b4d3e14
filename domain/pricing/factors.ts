// Each factor looks at one thing (the calendar, demand, lead time, place, forecast) and says
// how it moves the price and why. A factor that does not apply says nothing.
import { inClockBand, inDateRange, inYearlyRange, localTime } from "./calendar.ts";
import type { Forecast } from "./forecast.ts";
import { curveAt, type PricingRules } from "./rules.ts";

export interface Factor {
  factor: "festival" | "season" | "weekday" | "time_of_day" | "demand" | "velocity" | "lead_time" | "city" | "zone" | "forecast";
  multiplier: number;
  reason: string;
}

export interface ShowFacts {
  startsAt: number;
  city: string;
  timezone: string;
}

export interface DemandFacts {
  forSale: number;
  /** Seats held or booked now. */
  claimed: number;
  /** Seats claimed in the rules' velocity window. */
  recentlyClaimed: number;
}

export interface CustomerLocation { lat: number; lon: number }

const pct = (m: number) => `${m >= 1 ? "+" : "-"}${Math.round(Math.abs(m - 1) * 100)}%`;

export function calendarFactors(rules: PricingRules, show: ShowFacts): Factor[] {
  const local = localTime(show.startsAt, show.timezone);
  const out: Factor[] = [];
  for (const f of rules.festivals) {
    if (inDateRange(local.date, f.from, f.to) && (!f.cities?.length || f.cities.includes(show.city))) {
      out.push({ factor: "festival", multiplier: f.multiplier, reason: `${f.name} (${f.from} to ${f.to}) ${pct(f.multiplier)}` });
    }
  }
  for (const s of rules.seasons) {
    if (inYearlyRange(local.monthDay, s.from, s.to)) out.push({ factor: "season", multiplier: s.multiplier, reason: `${s.name} season ${pct(s.multiplier)}` });
  }
  for (const w of rules.weekdays) {
    if (w.days.includes(local.weekday)) out.push({ factor: "weekday", multiplier: w.multiplier, reason: `${w.name} ${pct(w.multiplier)}` });
  }
  for (const b of rules.timeBands) {
    if (inClockBand(local.minutes, b.from, b.to)) out.push({ factor: "time_of_day", multiplier: b.multiplier, reason: `${b.name} show (${b.from}-${b.to}) ${pct(b.multiplier)}` });
  }
  return out;
}

export function demandFactors(rules: PricingRules, demand: DemandFacts): Factor[] {
  if (demand.forSale <= 0) return [];
  const occupancy = demand.claimed / demand.forSale;
  const velocity = demand.recentlyClaimed / demand.forSale;
  const out: Factor[] = [];
  const m = curveAt(rules.occupancyCurve, occupancy);
  if (m !== 1) out.push({ factor: "demand", multiplier: m, reason: `${Math.round(occupancy * 100)}% of seats taken ${pct(m)}` });
  const v = curveAt(rules.velocityCurve, velocity);
  if (v !== 1) out.push({ factor: "velocity", multiplier: v, reason: `${demand.recentlyClaimed} seats taken in the last ${rules.velocityWindowMinutes} min ${pct(v)}` });
  return out;
}

export function leadTimeFactors(rules: PricingRules, startsAt: number, now: number): Factor[] {
  const hours = (startsAt - now) / 3_600_000;
  return rules.leadTime
    .filter((b) => hours >= (b.minHours ?? -Infinity) && hours < (b.maxHours ?? Infinity))
    .map((b) => ({ factor: "lead_time" as const, multiplier: b.multiplier, reason: `${b.name}: ${hours < 48 ? `${Math.max(0, Math.round(hours))} h` : `${Math.round(hours / 24)} days`} before the show ${pct(b.multiplier)}` }));
}

/** Great-circle distance in km (haversine): accurate to well under a kilometre at city scale. */
export function distanceKm(a: CustomerLocation, b: CustomerLocation): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function cityFactors(rules: PricingRules, city: string): Factor[] {
  const c = rules.cities[city];
  return c !== undefined && c !== 1 ? [{ factor: "city", multiplier: c, reason: `${city} ${pct(c)}` }] : [];
}

export function zoneFactors(rules: PricingRules, customer: CustomerLocation | undefined): Factor[] {
  if (!customer) return [];
  // The first matching zone applies, so overlapping zones never stack.
  const zone = rules.zones.find((z) => distanceKm(customer, z) <= z.radiusKm);
  return zone ? [{ factor: "zone", multiplier: zone.multiplier, reason: `booking from ${zone.name} ${pct(zone.multiplier)}` }] : [];
}

export function forecastFactors(rules: PricingRules, forecast: Forecast | undefined): Factor[] {
  if (!forecast) return [];
  const m = curveAt(rules.forecastCurve, forecast.finalOccupancy);
  if (m === 1) return [];
  return [{
    factor: "forecast", multiplier: m,
    reason: `forecast ${Math.round(forecast.finalOccupancy * 100)}% full at showtime (from ${forecast.basis.comparableShows} comparable shows: ${Math.round(forecast.basis.bookedShareByNow * 100)}% of bookings usually in by now) ${pct(m)}`,
  }];
}
