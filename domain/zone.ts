// Wall-clock arithmetic in a cinema's own zone, for the catalog and for pricing alike. A
// listing's "date" is the day printed on the ticket: a 01:00 show in Mumbai on the 6th is on the
// 6th, although in UTC it is still the 5th. Intl is the only zone database we need; formatters
// are cached because building one is slow.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallClock { y: number; m: number; d: number; h: number; mi: number; s: number }

/** What a clock on the wall in `timeZone` shows at an instant (months 1-12). */
export function wallClock(epochMs: number, timeZone: string): WallClock {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) p[part.type] = part.value;
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute), s: Number(p.second) };
}

export const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** IANA names only ("Asia/Kolkata", "UTC"): offsets like "+05:30" would ignore daylight saving. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The cinema-local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}`;
}

/** The cinema-local wall-clock time (HH:MM) of an instant. */
export function localClock(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${pad(w.h)}:${pad(w.mi)}`;
}

function offsetMs(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which a cinema's clock shows `date` `hh:mm`. Two passes settle the offset on
 * either side of a daylight-saving change; a time skipped by the change lands just after it.
 */
export function zonedInstant(date: string, clock: string, timeZone: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const [h, mi] = clock.split(":").map(Number);
  const asUtc = Date.UTC(y!, m! - 1, d!, h!, mi!);
  const first = asUtc - offsetMs(asUtc, timeZone);
  return asUtc - offsetMs(first, timeZone);
}

/** A calendar date `days` later (or earlier), independent of any zone. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** A real calendar date in YYYY-MM-DD form (rejects 2025-02-30). */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [y, m, d] = date.split("-").map(Number);
  const back = new Date(Date.UTC(y!, m! - 1, d!));
  return back.getUTCFullYear() === y && back.getUTCMonth() === m! - 1 && back.getUTCDate() === d;
}
