// The catalog held in memory, indexed the way people look for a show: by city, cinema and day,
// or by film and day. A listing touches only the buckets its filters name; only a query with
// no filter at all walks every show. Each query reports how many shows it looked at (`visited`)
// so tests can hold it to that promise.
//
//   city -> cinemaId -> localDate -> shows      (a cinema's shows of one local day)
//   movieId -> localDate -> shows               (a film's shows of one local day, all cinemas)
//   screenId -> shows                           (for the one-show-at-a-time rule of a screen)
//   id -> movie | cinema | screen | show
//
// Buckets are kept sorted by start time (then id) as shows are inserted, so a day's listing
// needs no sort and a screen's neighbours are found by binary search.
import { expandLayout } from "./layout.ts";
import type { Cinema, Movie, Screen, Show, ShowDetails, ShowQuery, ShowSummary } from "./types.ts";
import { localDate } from "../zone.ts";

interface Entry {
  show: Show;
  start: number;
  end: number;
  /** Cinema-local date of the start: the bucket the show lives in. */
  date: string;
  cityKey: string;
}

type Days = Map<string, Entry[]>;

export interface QueryResult {
  shows: Show[];
  /** How many indexed shows the query looked at: the size of the slice it chose. */
  visited: number;
}

/** Cities match whatever the case or stray spaces a visitor types. */
export const cityKey = (city: string): string => city.trim().toLowerCase();

const before = (a: Entry, b: Entry): boolean => a.start < b.start || (a.start === b.start && a.show.id < b.show.id);

function insertSorted(list: Entry[], entry: Entry): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!, entry)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, entry);
}

function removeFrom(list: Entry[] | undefined, entry: Entry): void {
  if (!list) return;
  const i = list.indexOf(entry);
  if (i >= 0) list.splice(i, 1);
}

function bucket(days: Days, date: string): Entry[] {
  let list = days.get(date);
  if (!list) days.set(date, (list = []));
  return list;
}

const total = (slices: Entry[][]): number => slices.reduce((n, s) => n + s.length, 0);

export class CatalogIndex {
  #movies = new Map<string, Movie>();
  #cinemas = new Map<string, Cinema>();
  #screens = new Map<string, { cinemaId: string; screen: Screen }>();
  #shows = new Map<string, Entry>();
  #byCity = new Map<string, Map<string, Days>>();
  #byCinema = new Map<string, Days>();
  #byMovie = new Map<string, Days>();
  #byScreen = new Map<string, { entries: Entry[]; longest: number }>();

  get size(): { movies: number; cinemas: number; shows: number } {
    return { movies: this.#movies.size, cinemas: this.#cinemas.size, shows: this.#shows.size };
  }

  // ---------- movies and cinemas ----------

  addMovie(movie: Movie): void {
    // Summaries read the title at query time, so replacing a movie needs no re-bucketing.
    this.#movies.set(movie.id, movie);
  }

  addCinema(cinema: Cinema): void {
    const previous = this.#cinemas.get(cinema.id);
    if (previous && previous.timezone !== cinema.timezone && this.#byCinema.get(cinema.id)?.size) {
      // Local dates were computed in the old zone; moving a cinema across zones is not a catalog edit.
      throw new Error(`cinema ${cinema.id} already has shows bucketed in ${previous.timezone}`);
    }
    if (previous) {
      this.#byCity.get(cityKey(previous.city))?.delete(cinema.id);
      for (const s of previous.screens) this.#screens.delete(s.id);
    }
    this.#cinemas.set(cinema.id, cinema);
    for (const screen of cinema.screens) this.#screens.set(screen.id, { cinemaId: cinema.id, screen });
    let days = this.#byCinema.get(cinema.id);
    if (!days) this.#byCinema.set(cinema.id, (days = new Map()));
    let city = this.#byCity.get(cityKey(cinema.city));
    if (!city) this.#byCity.set(cityKey(cinema.city), (city = new Map()));
    city.set(cinema.id, days);
    if (previous) for (const entry of this.#shows.values()) if (entry.show.cinemaId === cinema.id) entry.cityKey = cityKey(cinema.city);
  }

  movie(id: string): Movie | undefined {
    return this.#movies.get(id);
  }

  cinema(id: string): Cinema | undefined {
    return this.#cinemas.get(id);
  }

  /** A screen and the cinema it belongs to. */
  screen(id: string): { cinemaId: string; screen: Screen } | undefined {
    return this.#screens.get(id);
  }

  /** Every movie, by title. */
  movies(): Movie[] {
    return [...this.#movies.values()].sort((a, b) => a.title.localeCompare(b.title, "en", { sensitivity: "base" }) || (a.id < b.id ? -1 : 1));
  }

  /** Cinemas, optionally of one city, by city then name. */
  cinemas(city?: string): Cinema[] {
    const ids = city === undefined ? [...this.#cinemas.keys()] : [...(this.#byCity.get(cityKey(city))?.keys() ?? [])];
    return ids
      .map((id) => this.#cinemas.get(id)!)
      .sort((a, b) => a.city.localeCompare(b.city, "en") || a.name.localeCompare(b.name, "en") || (a.id < b.id ? -1 : 1));
  }

  // ---------- shows ----------

  /**
   * Indexes a show; replaces an indexed show with the same id. False (and nothing indexed) when
   * its movie, cinema or screen is unknown, since a listing could not name them.
   */
  addShow(show: Show): boolean {
    const cinema = this.#cinemas.get(show.cinemaId);
    const screen = this.#screens.get(show.screenId);
    if (!cinema || !screen || screen.cinemaId !== cinema.id || !this.#movies.has(show.movieId)) return false;
    this.removeShow(show.id);
    const start = Date.parse(show.startsAt);
    const entry: Entry = { show, start, end: Date.parse(show.endsAt), date: localDate(start, cinema.timezone), cityKey: cityKey(cinema.city) };
    this.#shows.set(show.id, entry);
    insertSorted(bucket(this.#byCinema.get(cinema.id)!, entry.date), entry);
    let movieDays = this.#byMovie.get(show.movieId);
    if (!movieDays) this.#byMovie.set(show.movieId, (movieDays = new Map()));
    insertSorted(bucket(movieDays, entry.date), entry);
    let onScreen = this.#byScreen.get(show.screenId);
    if (!onScreen) this.#byScreen.set(show.screenId, (onScreen = { entries: [], longest: 0 }));
    insertSorted(onScreen.entries, entry);
    onScreen.longest = Math.max(onScreen.longest, entry.end - entry.start);
    return true;
  }

  removeShow(id: string): void {
    const entry = this.#shows.get(id);
    if (!entry) return;
    this.#shows.delete(id);
    removeFrom(this.#byCinema.get(entry.show.cinemaId)?.get(entry.date), entry);
    removeFrom(this.#byMovie.get(entry.show.movieId)?.get(entry.date), entry);
    removeFrom(this.#byScreen.get(entry.show.screenId)?.entries, entry);
  }

  show(id: string): Show | undefined {
    return this.#shows.get(id)?.show;
  }

  /** The cinema-local date a show is listed under. */
  localDateOf(id: string): string | undefined {
    return this.#shows.get(id)?.date;
  }

  /**
   * Shows on a screen whose [start, end) overlaps [start, end) (epoch ms). Walks back from the
   * first show starting at or after `end` only as far as the longest show on that screen reaches.
   */
  clashes(screenId: string, start: number, end: number): Show[] {
    const onScreen = this.#byScreen.get(screenId);
    if (!onScreen) return [];
    const list = onScreen.entries;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.start < end) lo = mid + 1;
      else hi = mid;
    }
    const found: Show[] = [];
    for (let i = lo - 1; i >= 0 && list[i]!.start > start - onScreen.longest; i--) {
      if (list[i]!.end > start) found.push(list[i]!.show);
    }
    return found.reverse();
  }

  /**
   * Shows matching every given filter, by start time. Each filter names a slice of the index
   * (a cinema's days, a film's days, a city's cinemas' days; narrowed to one day by `date`);
   * the query walks the smallest slice and checks the other filters on what it finds there.
   */
  query(q: ShowQuery): QueryResult {
    const slices = this.#smallestSlice(q);
    const key = q.city === undefined ? undefined : cityKey(q.city);
    const found: Entry[] = [];
    for (const slice of slices) {
      for (const e of slice) {
        if (q.movieId !== undefined && e.show.movieId !== q.movieId) continue;
        if (q.cinemaId !== undefined && e.show.cinemaId !== q.cinemaId) continue;
        if (key !== undefined && e.cityKey !== key) continue;
        if (q.date !== undefined && e.date !== q.date) continue;
        found.push(e);
      }
    }
    // One slice is one sorted bucket already; several (days, cinemas) need merging.
    if (slices.length > 1) found.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return { shows: found.map((e) => e.show), visited: total(slices) };
  }

  #smallestSlice(q: ShowQuery): Entry[][] {
    const daysOf = (days: Days | undefined): Entry[][] => {
      if (!days) return [];
      if (q.date !== undefined) return [days.get(q.date) ?? []];
      return [...days.keys()].sort().map((d) => days.get(d)!);
    };
    const candidates: Entry[][][] = [];
    if (q.cinemaId !== undefined) candidates.push(daysOf(this.#byCinema.get(q.cinemaId)));
    if (q.movieId !== undefined) candidates.push(daysOf(this.#byMovie.get(q.movieId)));
    if (q.city !== undefined) candidates.push([...(this.#byCity.get(cityKey(q.city))?.values() ?? [])].flatMap(daysOf));
    // A date alone still narrows to one bucket per cinema rather than every show.
    if (candidates.length === 0 && q.date !== undefined) candidates.push([...this.#byCinema.values()].flatMap(daysOf));
    if (candidates.length === 0) return [[...this.#shows.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))];
    return candidates.reduce((best, c) => (total(c) < total(best) ? c : best));
  }

  // ---------- views ----------

  summary(show: Show): ShowSummary {
    const entry = this.#shows.get(show.id);
    const cinema = this.#cinemas.get(show.cinemaId)!;
    const screen = this.#screens.get(show.screenId)!.screen;
    return {
      id: show.id,
      movieId: show.movieId,
      movieTitle: this.#movies.get(show.movieId)!.title,
      cinemaId: cinema.id,
      cinemaName: cinema.name,
      city: cinema.city,
      timezone: cinema.timezone,
      screenId: screen.id,
      screenName: screen.name,
      startsAt: show.startsAt,
      endsAt: show.endsAt,
      localDate: entry?.date ?? localDate(Date.parse(show.startsAt), cinema.timezone),
      currency: show.currency,
      prices: show.prices,
    };
  }

  /** A show with its movie, cinema, screen and every seat of the screen; undefined when unknown. */
  details(showId: string): ShowDetails | undefined {
    const entry = this.#shows.get(showId);
    if (!entry) return undefined;
    const { show } = entry;
    const cinema = this.#cinemas.get(show.cinemaId)!;
    const screen = this.#screens.get(show.screenId)!.screen;
    return {
      ...show,
      movie: this.#movies.get(show.movieId)!,
      cinema: { id: cinema.id, name: cinema.name, city: cinema.city, timezone: cinema.timezone, ...(cinema.refundPolicy ? { refundPolicy: cinema.refundPolicy } : {}) },
      screen: { id: screen.id, name: screen.name },
      localDate: entry.date,
      seats: expandLayout(screen.layout),
    };
  }
}
