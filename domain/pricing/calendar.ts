// Calendar arithmetic in a cinema's own time zone. Festivals, seasons and show-time bands are
// about the local wall clock, not UTC: a 23:30 show in Mumbai on Diwali is a Diwali show.
import { pad, wallClock } from "../zone.ts";

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** MM-DD */
  monthDay: string;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
  /** minutes since local midnight */
  minutes: number;
}

// Intl formatting costs microseconds and a show's start never changes, so answers are
// remembered (bounded: the memo is simply emptied when it grows large).
const memo = new Map<string, LocalTime>();
const MEMO_MAX = 10_000;

export function localTime(epochMs: number, timeZone: string): LocalTime {
  const key = `${timeZone}|${epochMs}`;
  const known = memo.get(key);
  if (known) return known;
  const computed = computeLocalTime(epochMs, timeZone);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, computed);
  return computed;
}

function computeLocalTime(epochMs: number, timeZone: string): LocalTime {
  const w = wallClock(epochMs, timeZone);
  const monthDay = `${pad(w.m)}-${pad(w.d)}`;
  return {
    date: `${pad(w.y, 4)}-${monthDay}`,
    monthDay,
    // The weekday of a calendar date is the same everywhere: read it from that date at UTC.
    weekday: new Date(Date.UTC(w.y, w.m - 1, w.d)).getUTCDay(),
    minutes: w.h * 60 + w.mi,
  };
}

/** Inclusive range of YYYY-MM-DD dates. */
export const inDateRange = (date: string, from: string, to: string): boolean => from <= date && date <= to;

/** Inclusive range of MM-DD days that may wrap the year end (e.g. 12-20 .. 01-05). */
export const inYearlyRange = (monthDay: string, from: string, to: string): boolean =>
  from <= to ? from <= monthDay && monthDay <= to : monthDay >= from || monthDay <= to;

export function parseClock(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`not a HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Half-open band [from, to) of local clock times that may cross midnight (e.g. 22:00 .. 02:00). */
export function inClockBand(minutes: number, from: string, to: string): boolean {
  const a = parseClock(from);
  const b = parseClock(to);
  return a <= b ? a <= minutes && minutes < b : minutes >= a || minutes < b;
}
