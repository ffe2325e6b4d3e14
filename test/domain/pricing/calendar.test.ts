// Calendar arithmetic in the cinema's own time zone: festivals, seasons and show-time bands are
// decided by the local wall clock, never by UTC.
import test from "ava";
import { inClockBand, inDateRange, inYearlyRange, localTime, parseClock, type LocalTime } from "../../../domain/pricing/calendar.ts";

// ---------- localTime ----------

const localCases: { what: string; at: string; zone: string; expected: LocalTime }[] = [
  { what: "local midnight in Mumbai is 18:30 UTC of the day before", at: "2026-11-08T18:30:00Z", zone: "Asia/Kolkata", expected: { date: "2026-11-09", monthDay: "11-09", weekday: 1, minutes: 0 } },
  { what: "one minute before local midnight in Mumbai is still Sunday", at: "2026-11-08T18:29:00Z", zone: "Asia/Kolkata", expected: { date: "2026-11-08", monthDay: "11-08", weekday: 0, minutes: 1439 } },
  { what: "the same instant in UTC", at: "2026-11-08T18:30:00Z", zone: "UTC", expected: { date: "2026-11-08", monthDay: "11-08", weekday: 0, minutes: 1110 } },
  { what: "a Mumbai show just after New Year's midnight", at: "2026-12-31T18:45:00Z", zone: "Asia/Kolkata", expected: { date: "2027-01-01", monthDay: "01-01", weekday: 5, minutes: 15 } },
  { what: "the same instant is still New Year's Eve in UTC", at: "2026-12-31T18:45:00Z", zone: "UTC", expected: { date: "2026-12-31", monthDay: "12-31", weekday: 4, minutes: 1125 } },
  { what: "a leap-day evening in UTC is already 1 March in Mumbai", at: "2024-02-29T20:00:00Z", zone: "Asia/Kolkata", expected: { date: "2024-03-01", monthDay: "03-01", weekday: 5, minutes: 90 } },
  { what: "a leap day in UTC", at: "2024-02-29T20:00:00Z", zone: "UTC", expected: { date: "2024-02-29", monthDay: "02-29", weekday: 4, minutes: 1200 } },
  { what: "the end of a 30-day month rolls into the next month", at: "2026-04-30T19:00:00Z", zone: "Asia/Kolkata", expected: { date: "2026-05-01", monthDay: "05-01", weekday: 5, minutes: 30 } },
  { what: "a zone behind UTC is still on the previous day", at: "2026-07-01T02:00:00Z", zone: "America/New_York", expected: { date: "2026-06-30", monthDay: "06-30", weekday: 2, minutes: 1320 } },
  { what: "a quarter-hour offset zone (Kathmandu, UTC+5:45)", at: "2026-01-01T18:15:00Z", zone: "Asia/Kathmandu", expected: { date: "2026-01-02", monthDay: "01-02", weekday: 5, minutes: 0 } },
  { what: "a zone 13 hours ahead reaches the new year at 11:00 UTC", at: "2026-12-31T11:00:00Z", zone: "Pacific/Auckland", expected: { date: "2027-01-01", monthDay: "01-01", weekday: 5, minutes: 0 } },
  { what: "the last minute of standard time before daylight saving starts", at: "2026-03-08T06:59:00Z", zone: "America/New_York", expected: { date: "2026-03-08", monthDay: "03-08", weekday: 0, minutes: 119 } },
  { what: "the first minute of daylight saving time skips 02:00-02:59", at: "2026-03-08T07:00:00Z", zone: "America/New_York", expected: { date: "2026-03-08", monthDay: "03-08", weekday: 0, minutes: 180 } },
];

for (const c of localCases) {
  test(`local time: ${c.what}`, (t) => {
    t.deepEqual(localTime(Date.parse(c.at), c.zone), c.expected);
  });
}

test("the same instant asked for in two zones gets each zone's own answer", (t) => {
  const at = Date.parse("2027-01-02T20:00:00Z");
  t.is(localTime(at, "Asia/Kolkata").date, "2027-01-03");
  t.is(localTime(at, "UTC").date, "2027-01-02");
  t.is(localTime(at, "Asia/Kolkata").date, "2027-01-03");
});

test("local midnight is minute 0 of the new day, never minute 1440 of the old one", (t) => {
  for (const zone of ["UTC", "Asia/Kolkata", "America/New_York", "Europe/Berlin"]) {
    for (let day = 1; day <= 28; day += 9) {
      const noonUtc = Date.UTC(2026, 5, day, 12);
      for (let h = -36; h <= 36; h++) {
        const local = localTime(noonUtc + h * 3_600_000, zone);
        t.true(local.minutes >= 0 && local.minutes < 1440, `${zone} ${local.date} ${local.minutes}`);
        t.true(local.weekday >= 0 && local.weekday <= 6);
      }
    }
  }
});

// ---------- inDateRange ----------

const dateCases: [date: string, from: string, to: string, inside: boolean][] = [
  ["2026-11-06", "2026-11-06", "2026-11-10", true],
  ["2026-11-10", "2026-11-06", "2026-11-10", true],
  ["2026-11-08", "2026-11-06", "2026-11-10", true],
  ["2026-11-05", "2026-11-06", "2026-11-10", false],
  ["2026-11-11", "2026-11-06", "2026-11-10", false],
  ["2026-12-31", "2026-12-31", "2027-01-01", true],
  ["2027-01-01", "2026-12-31", "2027-01-01", true],
  ["2027-01-02", "2026-12-31", "2027-01-01", false],
  ["2026-12-30", "2026-12-31", "2027-01-01", false],
  ["2026-02-28", "2026-02-28", "2026-03-01", true],
  ["2026-03-01", "2026-02-28", "2026-03-01", true],
  ["2026-03-02", "2026-02-28", "2026-03-01", false],
  ["2024-02-29", "2024-02-29", "2024-02-29", true],
  ["2028-02-29", "2024-02-29", "2024-02-29", false],
  ["2027-11-08", "2026-11-06", "2026-11-10", false],
];

for (const [date, from, to, inside] of dateCases) {
  test(`a festival from ${from} to ${to} ${inside ? "includes" : "excludes"} ${date}`, (t) => {
    t.is(inDateRange(date, from, to), inside);
  });
}

// ---------- inYearlyRange ----------

const yearlyCases: [monthDay: string, from: string, to: string, inside: boolean][] = [
  // an ordinary range inside one year
  ["03-01", "03-01", "03-31", true],
  ["03-31", "03-01", "03-31", true],
  ["02-28", "03-01", "03-31", false],
  ["04-01", "03-01", "03-31", false],
  // a range across the year end
  ["12-19", "12-20", "01-05", false],
  ["12-20", "12-20", "01-05", true],
  ["12-31", "12-20", "01-05", true],
  ["01-01", "12-20", "01-05", true],
  ["01-05", "12-20", "01-05", true],
  ["01-06", "12-20", "01-05", false],
  ["06-15", "12-20", "01-05", false],
  // month ends
  ["02-29", "02-01", "02-29", true],
  ["02-29", "02-01", "02-28", false],
  ["03-01", "02-01", "02-29", false],
  ["02-29", "02-29", "02-29", true],
  ["04-30", "04-15", "04-30", true],
  ["05-01", "04-15", "04-30", false],
  // a one-day range at the very year end, and one wrapping by a single day
  ["12-31", "12-31", "12-31", true],
  ["01-01", "12-31", "01-01", true],
  ["12-30", "12-31", "01-01", false],
  ["01-02", "12-31", "01-01", false],
];

for (const [monthDay, from, to, inside] of yearlyCases) {
  test(`a season from ${from} to ${to} ${inside ? "includes" : "excludes"} ${monthDay}`, (t) => {
    t.is(inYearlyRange(monthDay, from, to), inside);
  });
}

test("a year-end season applies to a Mumbai show on 3 January although UTC still says 2 January", (t) => {
  const local = localTime(Date.parse("2027-01-02T20:00:00Z"), "Asia/Kolkata");
  t.true(inYearlyRange(local.monthDay, "01-03", "01-10"));
  t.false(inYearlyRange(localTime(Date.parse("2027-01-02T20:00:00Z"), "UTC").monthDay, "01-03", "01-10"));
});

// ---------- parseClock ----------

const clocks: [string, number][] = [["00:00", 0], ["00:01", 1], ["09:05", 545], ["12:30", 750], ["18:00", 1080], ["23:59", 1439]];

for (const [hhmm, minutes] of clocks) {
  test(`the clock time ${hhmm} is ${minutes} minutes after midnight`, (t) => {
    t.is(parseClock(hhmm), minutes);
  });
}

for (const bad of ["24:00", "23:60", "9:00", "09:5", "0900", "", " 09:00", "09:00 ", "09:00:00", "ab:cd", "-1:00", "99:99"]) {
  test(`"${bad}" is refused as a clock time with a message naming it`, (t) => {
    t.throws(() => parseClock(bad), { message: `not a HH:MM time: ${bad}` });
  });
}

// ---------- inClockBand ----------

const bandCases: [at: string, from: string, to: string, inside: boolean][] = [
  // a band within one day: [from, to)
  ["17:59", "18:00", "22:00", false],
  ["18:00", "18:00", "22:00", true],
  ["21:59", "18:00", "22:00", true],
  ["22:00", "18:00", "22:00", false],
  // a band crossing midnight
  ["21:59", "22:00", "02:00", false],
  ["22:00", "22:00", "02:00", true],
  ["23:59", "22:00", "02:00", true],
  ["00:00", "22:00", "02:00", true],
  ["01:59", "22:00", "02:00", true],
  ["02:00", "22:00", "02:00", false],
  ["12:00", "22:00", "02:00", false],
  // a band ending exactly at midnight, and one starting at midnight
  ["23:59", "18:00", "00:00", true],
  ["00:00", "18:00", "00:00", false],
  ["17:59", "18:00", "00:00", false],
  ["00:00", "00:00", "06:00", true],
  ["05:59", "00:00", "06:00", true],
  ["06:00", "00:00", "06:00", false],
];

for (const [at, from, to, inside] of bandCases) {
  test(`a ${from}-${to} band ${inside ? "includes" : "excludes"} a ${at} show`, (t) => {
    t.is(inClockBand(parseClock(at), from, to), inside);
  });
}

test("a 01:00 Mumbai show is in a late-night band crossing midnight, by the cinema's clock", (t) => {
  const at = Date.parse("2026-03-05T19:30:00Z");
  t.true(inClockBand(localTime(at, "Asia/Kolkata").minutes, "22:30", "03:00"));
  t.false(inClockBand(localTime(at, "UTC").minutes, "22:30", "03:00"));
});

test("a band with a malformed end is refused rather than silently matching nothing", (t) => {
  t.throws(() => inClockBand(600, "10:00", "25:00"), { message: /not a HH:MM time: 25:00/ });
  t.throws(() => inClockBand(600, "1000", "12:00"), { message: /not a HH:MM time: 1000/ });
});
