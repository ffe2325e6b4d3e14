import test from "ava";
import { deepStrictEqual, strictEqual } from "node:assert";
import fc from "fast-check";
import { CatalogIndex, cityKey } from "../../../domain/catalog/index.ts";
import type { Cinema, Movie, Show, ShowQuery } from "../../../domain/catalog/types.ts";
import { localDate } from "../../../domain/zone.ts";

const layout = { rows: [{ row: "A", category: "standard", seats: "ss_ss" }] };
const movie = (id: string, title = id, durationMinutes = 120): Movie => ({ id, title, durationMinutes, rating: "UA", languages: ["Hindi"], genres: [] });
const cinema = (id: string, city: string, timezone = "Asia/Kolkata", screens = [`${id}-1`]): Cinema => ({
  id, name: `Cinema ${id}`, city, timezone, screens: screens.map((s) => ({ id: s, name: s, layout })),
});
const show = (id: string, movieId: string, c: Cinema, startsAt: string, minutes = 135, screen = 0): Show => ({
  id, movieId, cinemaId: c.id, screenId: c.screens[screen]!.id, startsAt, endsAt: new Date(Date.parse(startsAt) + minutes * 60_000).toISOString(), currency: "INR", prices: { standard: 25000 },
});

function indexOf(movies: Movie[], cinemas: Cinema[], shows: Show[]): CatalogIndex {
  const index = new CatalogIndex();
  movies.forEach((m) => index.addMovie(m));
  cinemas.forEach((c) => index.addCinema(c));
  shows.forEach((s) => index.addShow(s));
  return index;
}

// ---------- random catalogs, checked against a brute-force filter ----------

const CITIES = ["Mumbai", "Bengaluru", "Pune"];
const ZONES = ["Asia/Kolkata", "UTC", "America/New_York", "Pacific/Auckland"];
const BASE = Date.parse("2025-03-01T00:00:00Z");
const DATES = Array.from({ length: 8 }, (_, i) => new Date(BASE + (i - 1) * 86_400_000).toISOString().slice(0, 10));

interface World { movies: Movie[]; cinemas: Cinema[]; shows: Show[] }

const world: fc.Arbitrary<World> = fc
  .record({
    movieCount: fc.integer({ min: 1, max: 4 }),
    cinemas: fc.array(fc.record({ city: fc.constantFrom(...CITIES), zone: fc.constantFrom(...ZONES), screens: fc.integer({ min: 1, max: 2 }) }), { minLength: 1, maxLength: 5, size: "max" }),
    shows: fc.array(
      fc.record({ movie: fc.nat(3), cinema: fc.nat(4), screen: fc.nat(1), minute: fc.nat(6 * 1440), length: fc.integer({ min: 60, max: 240 }) }),
      { maxLength: 80, size: "max" },
    ),
  })
  .map(({ movieCount, cinemas: cs, shows: ss }) => {
    const movies = Array.from({ length: movieCount }, (_, i) => movie(`m${i}`, `Title ${i}`));
    const cinemas = cs.map((c, i) => cinema(`c${i}`, c.city, c.zone, Array.from({ length: c.screens }, (_, k) => `c${i}-${k}`)));
    const shows = ss.map((s, i) => {
      const c = cinemas[s.cinema % cinemas.length]!;
      return show(`s${i}`, movies[s.movie % movies.length]!.id, c, new Date(BASE + s.minute * 60_000).toISOString(), s.length, s.screen % c.screens.length);
    });
    return { movies, cinemas, shows };
  });

const query: fc.Arbitrary<ShowQuery> = fc.record(
  {
    movieId: fc.constantFrom("m0", "m1", "m2", "m3", "unknown"),
    cinemaId: fc.constantFrom("c0", "c1", "c2", "c3", "c4", "unknown"),
    city: fc.constantFrom(...CITIES, " mumbai ", "Nowhere"),
    date: fc.constantFrom(...DATES),
  },
  { requiredKeys: [] },
);

function bruteForce({ cinemas, shows }: World, q: ShowQuery) {
  const cinemaOf = (s: Show) => cinemas.find((c) => c.id === s.cinemaId)!;
  const dateOf = (s: Show) => localDate(Date.parse(s.startsAt), cinemaOf(s).timezone);
  const onDate = (s: Show) => q.date === undefined || dateOf(s) === q.date;
  const matches = shows
    .filter((s) => (q.movieId === undefined || s.movieId === q.movieId)
      && (q.cinemaId === undefined || s.cinemaId === q.cinemaId)
      && (q.city === undefined || cityKey(cinemaOf(s).city) === cityKey(q.city))
      && onDate(s))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : 1));
  // The slices an index may walk for this query: each named filter's, narrowed by the date.
  const slices: number[] = [];
  if (q.cinemaId !== undefined) slices.push(shows.filter((s) => s.cinemaId === q.cinemaId && onDate(s)).length);
  if (q.movieId !== undefined) slices.push(shows.filter((s) => s.movieId === q.movieId && onDate(s)).length);
  if (q.city !== undefined) slices.push(shows.filter((s) => cityKey(cinemaOf(s).city) === cityKey(q.city!) && onDate(s)).length);
  if (slices.length === 0) slices.push(shows.filter(onDate).length);
  return { ids: matches.map((s) => s.id), smallestSlice: Math.min(...slices) };
}

test("listings from the index equal a brute-force filter of every show, in start order", (t) => {
  t.notThrows(() => fc.assert(fc.property(world, query, (w, q) => {
    const index = indexOf(w.movies, w.cinemas, w.shows);
    deepStrictEqual(index.query(q).shows.map((s) => s.id), bruteForce(w, q).ids);
  }), { numRuns: 1000 }));
});

test("a listing looks only at the smallest slice its filters name, and at everything only without filters", (t) => {
  t.notThrows(() => fc.assert(fc.property(world, query, (w, q) => {
    const index = indexOf(w.movies, w.cinemas, w.shows);
    const expected = Object.keys(q).length === 0 ? w.shows.length : bruteForce(w, q).smallestSlice;
    strictEqual(index.query(q).visited, expected);
  }), { numRuns: 1000 }));
});

// ---------- concrete cases ----------

const mumbai = cinema("c-mum", "Mumbai", "Asia/Kolkata", ["mum-1", "mum-2"]);
const pune = cinema("c-pune", "Pune");
const films = [movie("m-a", "Zebra Crossing"), movie("m-b", "apple of my eye"), movie("m-c", "Mango Season")];

test("a city's listing for a day visits only that city's shows of that day", (t) => {
  const shows = [
    show("s1", "m-a", mumbai, "2025-03-05T04:30:00Z"),
    show("s2", "m-b", mumbai, "2025-03-05T12:00:00Z", 135, 1),
    show("s3", "m-a", mumbai, "2025-03-06T04:30:00Z"),
    show("s4", "m-a", pune, "2025-03-05T04:30:00Z"),
    show("s5", "m-c", pune, "2025-03-05T08:30:00Z"),
  ];
  const index = indexOf(films, [mumbai, pune], shows);
  const result = index.query({ city: "Mumbai", date: "2025-03-05" });
  t.deepEqual(result.shows.map((s) => s.id), ["s1", "s2"]);
  t.is(result.visited, 2);
  t.is(index.query({ movieId: "m-a", date: "2025-03-05" }).visited, 2);
  t.is(index.query({ movieId: "m-c", city: "Mumbai" }).visited, 1);
});

test("a city's listing over several cinemas and days comes out in start order", (t) => {
  const auckland = cinema("c-akl", "Mumbai", "Pacific/Auckland");
  const shows = [
    show("late-day-1", "m-a", mumbai, "2025-03-05T15:00:00Z"),
    show("day-2", "m-a", mumbai, "2025-03-06T04:30:00Z"),
    // 03:00 on the 6th in Auckland, but before both Mumbai shows in time.
    show("auckland", "m-a", auckland, "2025-03-05T14:00:00Z"),
  ];
  const index = indexOf(films, [mumbai, auckland], shows);
  t.deepEqual(index.query({ city: "Mumbai" }).shows.map((s) => s.id), ["auckland", "late-day-1", "day-2"]);
  t.deepEqual(index.query({ movieId: "m-a" }).shows.map((s) => s.id), ["auckland", "late-day-1", "day-2"]);
});

test("a show after midnight in the cinema's zone is listed on the local day, not the UTC day", (t) => {
  // 01:00 IST on the 6th is 19:30 UTC on the 5th.
  const index = indexOf(films, [mumbai], [show("late", "m-a", mumbai, "2025-03-05T19:30:00Z")]);
  t.deepEqual(index.query({ city: "Mumbai", date: "2025-03-06" }).shows.map((s) => s.id), ["late"]);
  t.deepEqual(index.query({ city: "Mumbai", date: "2025-03-05" }).shows, []);
  t.is(index.localDateOf("late"), "2025-03-06");
  t.is(index.summary(index.show("late")!).localDate, "2025-03-06");
});

test("a day's shows stay in start order whatever order they were added in", (t) => {
  const shows = [
    show("b", "m-a", mumbai, "2025-03-05T12:00:00Z"),
    show("c", "m-a", mumbai, "2025-03-05T15:00:00Z", 135, 1),
    show("a", "m-a", mumbai, "2025-03-05T04:30:00Z"),
  ];
  const index = indexOf(films, [mumbai], shows);
  t.deepEqual(index.query({ cinemaId: "c-mum", date: "2025-03-05" }).shows.map((s) => s.id), ["a", "b", "c"]);
});

test("city filters ignore case and stray spaces", (t) => {
  const index = indexOf(films, [mumbai, pune], [show("s1", "m-a", mumbai, "2025-03-05T04:30:00Z")]);
  t.deepEqual(index.query({ city: "  mUMBAI " }).shows.map((s) => s.id), ["s1"]);
  t.deepEqual(index.cinemas("pune").map((c) => c.id), ["c-pune"]);
});

test("a screen is busy from a show's start until the end of its cleanup, and free right after", (t) => {
  const index = indexOf(films, [mumbai], [show("s1", "m-a", mumbai, "2025-03-05T10:00:00Z", 135)]);
  const at = (iso: string) => Date.parse(iso);
  t.deepEqual(index.clashes("mum-1", at("2025-03-05T12:00:00Z"), at("2025-03-05T14:00:00Z")).map((s) => s.id), ["s1"]);
  t.deepEqual(index.clashes("mum-1", at("2025-03-05T08:00:00Z"), at("2025-03-05T10:01:00Z")).map((s) => s.id), ["s1"]);
  t.deepEqual(index.clashes("mum-1", at("2025-03-05T12:15:00Z"), at("2025-03-05T14:00:00Z")), []);
  t.deepEqual(index.clashes("mum-1", at("2025-03-05T08:00:00Z"), at("2025-03-05T10:00:00Z")), []);
  t.deepEqual(index.clashes("mum-2", at("2025-03-05T10:00:00Z"), at("2025-03-05T12:00:00Z")), []);
});

test("a show naming an unknown movie, cinema or screen is not indexed", (t) => {
  const index = indexOf(films, [mumbai], []);
  t.false(index.addShow(show("s1", "m-unknown", mumbai, "2025-03-05T04:30:00Z")));
  t.false(index.addShow({ ...show("s2", "m-a", mumbai, "2025-03-05T04:30:00Z"), screenId: "elsewhere" }));
  t.false(index.addShow(show("s3", "m-a", pune, "2025-03-05T04:30:00Z")));
  t.is(index.size.shows, 0);
});

test("re-adding a show replaces it rather than listing it twice", (t) => {
  const index = indexOf(films, [mumbai], [show("s1", "m-a", mumbai, "2025-03-05T04:30:00Z")]);
  index.addShow(show("s1", "m-b", mumbai, "2025-03-06T04:30:00Z"));
  t.deepEqual(index.query({}).shows.map((s) => [s.id, s.movieId]), [["s1", "m-b"]]);
  t.deepEqual(index.query({ movieId: "m-a" }).shows, []);
});

test("movies are listed by title regardless of case", (t) => {
  const index = indexOf(films, [], []);
  t.deepEqual(index.movies().map((m) => m.title), ["apple of my eye", "Mango Season", "Zebra Crossing"]);
});

test("show details carry the movie, cinema, screen, local date and every seat", (t) => {
  const index = indexOf(films, [mumbai], [show("s1", "m-a", mumbai, "2025-03-05T19:30:00Z")]);
  const details = index.details("s1")!;
  t.is(details.movie.title, "Zebra Crossing");
  t.deepEqual(details.cinema, { id: "c-mum", name: "Cinema c-mum", city: "Mumbai", timezone: "Asia/Kolkata" });
  t.deepEqual(details.screen, { id: "mum-1", name: "mum-1" });
  t.is(details.localDate, "2025-03-06");
  t.deepEqual(details.seats.map((s) => s.id), ["A1", "A2", "A3", "A4"]);
  t.is(index.details("nope"), undefined);
});
