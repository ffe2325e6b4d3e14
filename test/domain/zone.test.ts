import test from "ava";
import { addDays, isCalendarDate, isTimeZone, localClock, localDate, zonedInstant } from "../../domain/zone.ts";

test("a 01:00 show in Mumbai is on that local day although UTC still says the day before", (t) => {
  const at = Date.parse("2025-03-05T19:30:00Z");
  t.is(localDate(at, "Asia/Kolkata"), "2025-03-06");
  t.is(localClock(at, "Asia/Kolkata"), "01:00");
  t.is(new Date(at).toISOString().slice(0, 10), "2025-03-05");
});

test("a cinema's wall-clock time converts to the instant its clock shows it", (t) => {
  t.is(new Date(zonedInstant("2025-03-06", "01:00", "Asia/Kolkata")).toISOString(), "2025-03-05T19:30:00.000Z");
  t.is(new Date(zonedInstant("2025-03-10", "20:30", "Asia/Kolkata")).toISOString(), "2025-03-10T15:00:00.000Z");
});

test("wall-clock times follow daylight saving on both sides of the change", (t) => {
  // New York moved to EDT (UTC-4) at 02:00 on 2025-03-09.
  t.is(new Date(zonedInstant("2025-03-08", "10:00", "America/New_York")).toISOString(), "2025-03-08T15:00:00.000Z");
  t.is(new Date(zonedInstant("2025-03-09", "10:00", "America/New_York")).toISOString(), "2025-03-09T14:00:00.000Z");
});

test("only IANA zone names are accepted as a cinema's time zone", (t) => {
  t.true(isTimeZone("Asia/Kolkata"));
  t.true(isTimeZone("UTC"));
  t.false(isTimeZone("+05:30"));
  t.false(isTimeZone("Mars/Olympus_Mons"));
  t.false(isTimeZone(""));
});

test("dates are checked against the calendar and step across month ends", (t) => {
  t.true(isCalendarDate("2024-02-29"));
  t.false(isCalendarDate("2025-02-29"));
  t.false(isCalendarDate("2025-3-1"));
  t.is(addDays("2025-02-27", 2), "2025-03-01");
  t.is(addDays("2025-01-01", -1), "2024-12-31");
});
