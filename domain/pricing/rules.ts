// The revenue team's pricing rules, as plain data an admin edits through the API.
// Multipliers are plain numbers (1.2 = +20%); amounts are integer minor units.

export interface Festival { id: string; name: string; /** YYYY-MM-DD, inclusive, cinema-local */ from: string; to: string; /** empty or absent: everywhere */ cities?: string[]; multiplier: number }
export interface Season { id: string; name: string; /** MM-DD, inclusive, may wrap the year end */ from: string; to: string; multiplier: number }
export interface WeekdayBand { name: string; /** 0 = Sunday */ days: number[]; multiplier: number }
export interface TimeBand { name: string; /** HH:MM local, [from, to), may cross midnight */ from: string; to: string; multiplier: number }
export interface LeadTimeBand { name: string; /** applies when hoursBefore >= minHours and < maxHours */ minHours?: number; maxHours?: number; multiplier: number }
export interface Zone { id: string; name: string; lat: number; lon: number; radiusKm: number; multiplier: number }
/** A piecewise-linear curve through [x, multiplier] points, x ascending. */
export type Curve = [number, number][];

export interface GuardRails {
  /** Lowest and highest multiple of the base price a seat may cost. */
  floor: number;
  ceiling: number;
  /** Largest relative move of a show's multiplier per hour (0.1 = 10% per hour). */
  maxChangePerHour: number;
  /** Prices are rounded to a multiple of this many minor units. */
  roundTo: number;
}

export interface PricingRules {
  festivals: Festival[];
  seasons: Season[];
  weekdays: WeekdayBand[];
  timeBands: TimeBand[];
  /** x = share of seats for sale that are held or booked (0..1). */
  occupancyCurve: Curve;
  /** x = share of seats for sale claimed in the last velocityWindowMinutes. */
  velocityCurve: Curve;
  velocityWindowMinutes: number;
  leadTime: LeadTimeBand[];
  cities: Record<string, number>;
  zones: Zone[];
  /** x = forecast final occupancy (0..1). */
  forecastCurve: Curve;
  guardRails: GuardRails;
}

export function curveAt(curve: Curve, x: number): number {
  if (curve.length === 0) return 1;
  if (x <= curve[0]![0]) return curve[0]![1];
  for (let i = 1; i < curve.length; i++) {
    const [x1, y1] = curve[i]!;
    if (x <= x1) {
      const [x0, y0] = curve[i - 1]!;
      return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return curve[curve.length - 1]![1];
}

/** Problems with a rule set, in words an admin can act on; empty when it is valid. */
export function validateRules(rules: PricingRules): string[] {
  const problems: string[] = [];
  // Real calendar days only: 2026-02-30 or 13-45 would silently never match.
  const realDay = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  const date = { test: (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && realDay(Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))) };
  const monthDay = { test: (v: string) => /^\d{2}-\d{2}$/.test(v) && realDay(2024, Number(v.slice(0, 2)), Number(v.slice(3, 5))) };
  const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
  const positive = (m: number, what: string) => { if (!(m > 0 && m <= 10)) problems.push(`${what}: multiplier must be > 0 and <= 10`); };
  for (const f of rules.festivals) {
    if (!date.test(f.from) || !date.test(f.to) || f.from > f.to) problems.push(`festival ${f.name}: from/to must be YYYY-MM-DD with from <= to`);
    positive(f.multiplier, `festival ${f.name}`);
  }
  for (const s of rules.seasons) {
    if (!monthDay.test(s.from) || !monthDay.test(s.to)) problems.push(`season ${s.name}: from/to must be MM-DD`);
    positive(s.multiplier, `season ${s.name}`);
  }
  for (const b of rules.timeBands) {
    if (!clock.test(b.from) || !clock.test(b.to)) problems.push(`time band ${b.name}: from/to must be HH:MM`);
    positive(b.multiplier, `time band ${b.name}`);
  }
  for (const w of rules.weekdays) {
    if (!w.days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) problems.push(`weekday band ${w.name}: days are 0 (Sunday) to 6`);
    positive(w.multiplier, `weekday band ${w.name}`);
  }
  for (const l of rules.leadTime) {
    positive(l.multiplier, `lead time ${l.name}`);
    if (l.minHours !== undefined && l.maxHours !== undefined && !(l.minHours < l.maxHours)) problems.push(`lead time ${l.name}: minHours must be below maxHours`);
  }
  if (!(Number.isFinite(rules.velocityWindowMinutes) && rules.velocityWindowMinutes > 0)) problems.push("velocityWindowMinutes must be a positive number of minutes");
  for (const [city, m] of Object.entries(rules.cities)) positive(m, `city ${city}`);
  for (const z of rules.zones) {
    positive(z.multiplier, `zone ${z.name}`);
    if (!(Math.abs(z.lat) <= 90 && Math.abs(z.lon) <= 180 && z.radiusKm > 0)) problems.push(`zone ${z.name}: lat/lon out of range or radius not positive`);
  }
  for (const [name, curve] of [["occupancy", rules.occupancyCurve], ["velocity", rules.velocityCurve], ["forecast", rules.forecastCurve]] as const) {
    if (curve.some(([, y]) => !(y > 0 && y <= 10))) problems.push(`${name} curve: multipliers must be > 0 and <= 10`);
    if (curve.some(([x]) => !Number.isFinite(x))) problems.push(`${name} curve: x values must be numbers`);
    if (curve.some(([x], i) => i > 0 && x < curve[i - 1]![0])) problems.push(`${name} curve: points must be in ascending x`);
  }
  const g = rules.guardRails;
  if (!(g.floor > 0 && g.floor <= 1 && g.ceiling >= 1 && g.ceiling <= 10)) problems.push("guard rails: need 0 < floor <= 1 <= ceiling <= 10");
  if (!(g.maxChangePerHour > 0)) problems.push("guard rails: maxChangePerHour must be > 0");
  if (!(Number.isInteger(g.roundTo) && g.roundTo >= 1)) problems.push("guard rails: roundTo must be a positive integer number of minor units");
  return problems;
}
