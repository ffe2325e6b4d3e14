import test from "ava";
import { CatalogIndex } from "../../domain/catalog/index.ts";
import { expandLayout, layoutCategories, parseLayout } from "../../domain/catalog/layout.ts";
import { CLEANUP_MINUTES } from "../../domain/catalog/validate.ts";
import { localClock, localDate } from "../../domain/zone.ts";
import { demoCatalog } from "../../seed/demo.ts";

// 08:30 in Mumbai, before the day's first show.
const NOW = Date.parse("2025-03-10T03:00:00Z");
const DAY = 86_400_000;

test("the demo has two cities, three cinemas of two screens each, and six movies", (t) => {
  const demo = demoCatalog(NOW);
  t.deepEqual([...new Set(demo.cinemas.map((c) => c.city))].sort(), ["Bengaluru", "Mumbai"]);
  t.is(demo.cinemas.length, 3);
  t.true(demo.cinemas.every((c) => c.screens.length === 2 && c.timezone === "Asia/Kolkata"));
  t.is(demo.movies.length, 6);
  t.is(new Set(demo.movies.map((m) => m.title)).size, 6);
});

test("every demo screen has a valid layout of 80 to 200 seats with aisles and at least two categories", (t) => {
  const screens = demoCatalog(NOW).cinemas.flatMap((c) => c.screens);
  for (const screen of screens) {
    t.true(parseLayout(screen.layout).ok, screen.id);
    const seats = expandLayout(screen.layout);
    t.true(seats.length >= 80 && seats.length <= 200, `${screen.id} has ${seats.length} seats`);
    t.true(screen.layout.rows.some((r) => r.seats.includes("_")), `${screen.id} has aisles`);
    t.true(layoutCategories(screen.layout).length >= 2, screen.id);
  }
  t.true(screens.some((s) => layoutCategories(s.layout).includes("recliner")));
  t.is(new Set(screens.map((s) => s.id)).size, screens.length);
});

test("the demo runs four shows per screen on each of the next seven local days", (t) => {
  const demo = demoCatalog(NOW);
  t.is(demo.shows.length, 6 * 4 * 7);
  const dates = new Set(demo.shows.map((s) => localDate(Date.parse(s.startsAt), "Asia/Kolkata")));
  t.deepEqual([...dates].sort(), ["2025-03-10", "2025-03-11", "2025-03-12", "2025-03-13", "2025-03-14", "2025-03-15", "2025-03-16"]);
  t.is(new Set(demo.shows.map((s) => s.id)).size, demo.shows.length);
  t.deepEqual([...new Set(demo.shows.map((s) => s.movieId))].sort(), demo.movies.map((m) => m.id).sort());
});

test("no two demo shows overlap on a screen, counting the cleanup after each", (t) => {
  const demo = demoCatalog(NOW);
  const index = new CatalogIndex();
  demo.movies.forEach((m) => index.addMovie(m));
  demo.cinemas.forEach((c) => index.addCinema(c));
  for (const show of demo.shows) {
    t.deepEqual(index.clashes(show.screenId, Date.parse(show.startsAt), Date.parse(show.endsAt)).map((s) => s.id), [], show.id);
    t.true(index.addShow(show));
  }
});

test("each demo show ends after its film plus cleanup and prices every seat category of its screen in paise", (t) => {
  const demo = demoCatalog(NOW);
  const movies = new Map(demo.movies.map((m) => [m.id, m]));
  const screens = new Map(demo.cinemas.flatMap((c) => c.screens).map((s) => [s.id, s]));
  for (const show of demo.shows) {
    const minutes = (Date.parse(show.endsAt) - Date.parse(show.startsAt)) / 60_000;
    t.is(minutes, movies.get(show.movieId)!.durationMinutes + CLEANUP_MINUTES);
    t.is(show.currency, "INR");
    t.deepEqual(Object.keys(show.prices).sort(), layoutCategories(screens.get(show.screenId)!.layout).sort());
    t.true(Object.values(show.prices).every((p) => Number.isInteger(p) && p >= 10_000));
  }
});

test("demo show ids name the screen and the cinema-local date and time", (t) => {
  for (const show of demoCatalog(NOW).shows) {
    const at = Date.parse(show.startsAt);
    t.is(show.id, `show-${show.screenId}-${localDate(at, "Asia/Kolkata").replaceAll("-", "")}-${localClock(at, "Asia/Kolkata").replace(":", "")}`);
  }
});

test("the demo for the same moment is the same catalog every time", (t) => {
  t.deepEqual(demoCatalog(NOW), demoCatalog(NOW));
});

test("a day later the demo adds only the new day's shows and leaves the others as they were", (t) => {
  const first = new Map(demoCatalog(NOW).shows.map((s) => [s.id, s]));
  const later = demoCatalog(NOW + DAY).shows;
  const added = later.filter((s) => !first.has(s.id));
  t.is(added.length, 6 * 4);
  t.true(added.every((s) => localDate(Date.parse(s.startsAt), "Asia/Kolkata") === "2025-03-17"));
  for (const s of later.filter((x) => first.has(x.id))) t.deepEqual(s, first.get(s.id));
});

test("shows that have already started today are left out of the demo", (t) => {
  // 12:00 in Mumbai: the 10:00 and 11:15 shows have begun.
  const noon = Date.parse("2025-03-10T06:30:00Z");
  const today = demoCatalog(noon).shows.filter((s) => localDate(Date.parse(s.startsAt), "Asia/Kolkata") === "2025-03-10");
  t.is(today.length, 6 * 3);
  t.true(today.every((s) => Date.parse(s.startsAt) >= noon));
});
