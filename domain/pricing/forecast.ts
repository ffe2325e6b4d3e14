// Predictive pricing: a booking-curve ("pickup") forecast, the classic revenue-management model.
// From finished comparable shows we learn what share of a show's final bookings is usually in
// by each point before showtime; a live show's final occupancy is then forecast as
// (seats claimed now) / (share usually in by now), blended toward the comparables' average
// while little of the curve has elapsed. Deterministic for a given history, and every input
// shows up in the explanation.
import { localTime } from "./calendar.ts";

/** Comparable shows: same cinema, same weekday, same four-hour band of the local day. */
export function comparableKey(cinemaId: string, startsAt: number, timezone: string): string {
  const local = localTime(startsAt, timezone);
  return `${cinemaId}|${local.weekday}|${Math.floor(local.minutes / 240)}`;
}

/** Hours before the show at which curves are sampled. */
export const CHECKPOINTS = [168, 96, 72, 48, 24, 12, 6, 3, 1, 0] as const;

export interface ShowHistory {
  /** What makes shows comparable: e.g. cinema, weekday and time band (and movie when known). */
  key: string;
  capacity: number;
  /** Hours before showtime at which each seat finally sold was claimed. */
  claimHoursBefore: number[];
}

export interface BookingCurve {
  key: string;
  comparableShows: number;
  /** Share of final bookings in by each checkpoint (non-decreasing toward 0 h, ends at 1). */
  shareByCheckpoint: number[];
  averageFinalOccupancy: number;
}

export interface Forecast {
  finalOccupancy: number;
  basis: { key: string; comparableShows: number; hoursBefore: number; bookedShareByNow: number; occupancyNow: number; averageFinalOccupancy: number };
}

export function trainCurves(history: readonly ShowHistory[]): Map<string, BookingCurve> {
  const groups = new Map<string, ShowHistory[]>();
  for (const h of history) {
    if (h.capacity <= 0) continue;
    const list = groups.get(h.key) ?? [];
    list.push(h);
    groups.set(h.key, list);
  }
  const curves = new Map<string, BookingCurve>();
  for (const [key, shows] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const share = CHECKPOINTS.map(() => 0);
    let weighted = 0;
    // Summed in sorted order, so the average does not depend on the order of the history.
    const occupancy = shows.map((s) => s.claimHoursBefore.length / s.capacity).sort((a, b) => a - b).reduce((sum, x) => sum + x, 0);
    for (const s of shows) {
      if (s.claimHoursBefore.length === 0) continue;
      // Each show counts by its bookings, so a nearly empty show cannot distort the curve.
      const n = s.claimHoursBefore.length;
      weighted += n;
      CHECKPOINTS.forEach((cp, i) => { share[i]! += s.claimHoursBefore.filter((h) => h >= cp).length; });
    }
    curves.set(key, {
      key,
      comparableShows: shows.length,
      shareByCheckpoint: share.map((x) => (weighted ? x / weighted : 0)),
      averageFinalOccupancy: occupancy / shows.length,
    });
  }
  return curves;
}

/** Share of final bookings usually in by `hoursBefore`, interpolated between checkpoints. */
export function shareBy(curve: BookingCurve, hoursBefore: number): number {
  const cps = CHECKPOINTS as readonly number[];
  if (hoursBefore >= cps[0]!) return curve.shareByCheckpoint[0]!;
  for (let i = 1; i < cps.length; i++) {
    if (hoursBefore >= cps[i]!) {
      const [h0, h1] = [cps[i - 1]!, cps[i]!];
      const [s0, s1] = [curve.shareByCheckpoint[i - 1]!, curve.shareByCheckpoint[i]!];
      return s0 + ((s1 - s0) * (h0 - hoursBefore)) / (h0 - h1);
    }
  }
  return 1;
}

export function forecastShow(curve: BookingCurve | undefined, occupancyNow: number, hoursBefore: number): Forecast | undefined {
  if (!curve || curve.comparableShows === 0) return undefined;
  const share = shareBy(curve, Math.max(0, hoursBefore));
  const pickup = share > 0 ? occupancyNow / share : curve.averageFinalOccupancy;
  // Trust the pickup estimate in proportion to how much of the curve is behind us.
  const blended = share * pickup + (1 - share) * curve.averageFinalOccupancy;
  const finalOccupancy = Math.min(1, Math.max(occupancyNow, blended));
  return {
    finalOccupancy,
    basis: { key: curve.key, comparableShows: curve.comparableShows, hoursBefore, bookedShareByNow: share, occupancyNow, averageFinalOccupancy: curve.averageFinalOccupancy },
  };
}
