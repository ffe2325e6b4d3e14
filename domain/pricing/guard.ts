// Guard rails keep dynamic prices fair and predictable: within a floor and a ceiling of the base
// price, moving at most so much per hour, and landing on sensible price points.
import type { GuardRails } from "./rules.ts";

export interface Published {
  /** The show's last published multiplier and when it was published. */
  multiplier: number;
  at: number;
}

export interface Guarded {
  multiplier: number;
  /** Why the raw multiplier was changed, if it was. */
  notes: string[];
}

const HOUR = 3_600_000;

/** Clamps a show's raw multiplier to the floor/ceiling and to the hourly change cap. */
export function guardMultiplier(raw: number, rails: GuardRails, previous: Published | undefined, now: number): Guarded {
  const notes: string[] = [];
  let m = raw;
  if (m < rails.floor) { m = rails.floor; notes.push(`floor ${rails.floor}x of base`); }
  if (m > rails.ceiling) { m = rails.ceiling; notes.push(`ceiling ${rails.ceiling}x of base`); }
  if (previous) {
    const hours = Math.max(0, now - previous.at) / HOUR;
    const step = previous.multiplier * rails.maxChangePerHour * hours;
    // The floor and ceiling always win over the cap, also when the previous price lies outside them.
    const lo = Math.min(rails.ceiling, Math.max(rails.floor, previous.multiplier - step));
    const hi = Math.max(rails.floor, Math.min(rails.ceiling, previous.multiplier + step));
    if (m < lo) { m = lo; notes.push(`price may fall at most ${Math.round(rails.maxChangePerHour * 100)}% per hour`); }
    if (m > hi) { m = hi; notes.push(`price may rise at most ${Math.round(rails.maxChangePerHour * 100)}% per hour`); }
  }
  return { multiplier: m, notes };
}

/** Rounds a price to the nearest price point, never leaving [floor, ceiling] of the base. */
export function roundPrice(base: number, multiplier: number, rails: GuardRails): number {
  const step = rails.roundTo;
  const lo = Math.ceil((base * rails.floor) / step) * step;
  const hi = Math.floor((base * rails.ceiling) / step) * step;
  const rounded = Math.round((base * multiplier) / step) * step;
  // With a base smaller than one price point there may be no point inside the rails: keep the exact price.
  if (lo > hi) return Math.round(base * multiplier);
  return Math.min(hi, Math.max(lo, rounded));
}
