// The demo catalog: two cities, three cinemas, six screens and a week of shows from `now`.
// Everything is derived from `now` and fixed tables, and every id is deterministic, so seeding
// again (after a restart, or days later) writes only what is missing: the new days' shows.
import { expandLayout } from "../domain/catalog/layout.ts";
import type { Cinema, Movie, SeatLayout, Show } from "../domain/catalog/types.ts";
import { showEnd, showSlotId } from "../domain/catalog/validate.ts";
import { addDays, localDate, zonedInstant } from "../domain/zone.ts";

export interface DemoCatalog {
  movies: Movie[];
  cinemas: Cinema[];
  shows: Show[];
}

export const DEMO_DAYS = 7;

const rows = (names: string, category: string, seats: string): SeatLayout["rows"] =>
  names.split("").map((row) => ({ row, category, seats }));

// Real halls skip row I (it reads as 1) and put the recliners at the back.
const GRAND: SeatLayout = {
  rows: [
    ...rows("ABCDEF", "standard", "sssss_ssssssssss_sssss"),
    ...rows("G", "premium", "sssss_ssssssssss_sssss"),
    // Two house seats kept for the projectionist's checks.
    { row: "H", category: "premium", seats: "sssss_ssssxxssss_sssss" },
    { row: "J", category: "recliner", seats: "_ss_ss_ss_ss_ss_" },
  ],
};

const STUDIO: SeatLayout = {
  rows: [
    // Gaps at the ends of the front row leave room for wheelchairs.
    { row: "A", category: "standard", seats: "__ss_ssssssss_ss__" },
    ...rows("BCDE", "standard", "ssss_ssssssss_ssss"),
    ...rows("FG", "premium", "ssss_ssssssss_ssss"),
  ],
};

const LOUNGE: SeatLayout = {
  rows: [
    ...rows("ABCD", "standard", "sss_ssssssss_sss"),
    ...rows("EF", "premium", "sss_ssssssss_sss"),
    ...rows("GH", "recliner", "ss_ss_ss_ss"),
  ],
};

const PALACE: SeatLayout = {
  rows: [
    ...rows("ABCDE", "standard", "ssssss_ssssssssssss_ssssss"),
    ...rows("FGH", "premium", "ssssss_ssssssssssss_ssssss"),
    { row: "K", category: "recliner", seats: "ss__ss__ss__ss" },
  ],
};

const MOVIES: Movie[] = [
  {
    id: "movie-monsoon-letters", title: "The Monsoon Letters", durationMinutes: 142, rating: "UA", languages: ["Hindi", "English"], genres: ["Drama", "Romance"],
    synopsis: "A postman in 1970s Konkan delivers a bundle of letters twenty years late, and a village remembers a love it tried to forget.",
  },
  {
    id: "movie-rocket-chai", title: "Rocket Chai", durationMinutes: 118, rating: "U", languages: ["Hindi"], genres: ["Comedy", "Family"],
    synopsis: "A tea-stall owner near the Sriharikota launch pad bets his savings that he can get a cup of chai into orbit.",
  },
  {
    id: "movie-shadows-over-hampi", title: "Shadows over Hampi", durationMinutes: 151, rating: "UA", languages: ["Kannada", "Hindi", "English"], genres: ["Thriller", "Mystery"],
    synopsis: "An archaeologist finds a fresh fingerprint on a five-hundred-year-old stone chariot.",
  },
  {
    id: "movie-kingdom-of-tides", title: "Kingdom of Tides", durationMinutes: 168, rating: "UA", languages: ["Telugu", "Hindi", "Tamil"], genres: ["Action", "Fantasy"],
    synopsis: "Twin heirs to a drowned coastal kingdom race the monsoon to raise its lost fleet.",
  },
  {
    id: "movie-midnight-at-marine-drive", title: "Midnight at Marine Drive", durationMinutes: 126, rating: "U", languages: ["Hindi", "Marathi"], genres: ["Romance", "Comedy"],
    synopsis: "Two night-shift workers share one bench on the Queen's Necklace and never the same hour.",
  },
  {
    id: "movie-circuit-breaker", title: "Circuit Breaker", durationMinutes: 133, rating: "A", languages: ["English"], genres: ["Science Fiction", "Thriller"],
    synopsis: "A Bengaluru grid engineer discovers the city's power is being rationed by something that is not human.",
  },
];

interface DemoScreen { id: string; name: string; layout: SeatLayout; times: string[] }
interface DemoCinema extends Omit<Cinema, "screens"> { screens: DemoScreen[]; prices: Record<string, number> }

// Two staggered timetables so a cinema's screens do not empty into the foyer at once. Slots are
// 3h30 apart: room for the longest film (168 min) plus cleanup.
const EARLY = ["10:00", "13:30", "17:00", "20:30"];
const LATE = ["11:15", "14:45", "18:15", "21:45"];

const CINEMAS: DemoCinema[] = [
  {
    id: "cinema-marine-lights", name: "Marine Lights Cinema", city: "Mumbai", address: "Netaji Subhash Chandra Bose Road, Marine Drive, Mumbai 400020", timezone: "Asia/Kolkata",
    prices: { standard: 25000, premium: 40000, recliner: 65000 },
    screens: [
      { id: "mlc-audi-1", name: "Audi 1", layout: GRAND, times: EARLY },
      { id: "mlc-audi-2", name: "Audi 2", layout: STUDIO, times: LATE },
    ],
  },
  {
    id: "cinema-juhu-palace", name: "Juhu Palace Talkies", city: "Mumbai", address: "Juhu Tara Road, Juhu, Mumbai 400049", timezone: "Asia/Kolkata",
    prices: { standard: 22000, premium: 38000, recliner: 60000 },
    screens: [
      { id: "jpt-screen-1", name: "Screen 1", layout: PALACE, times: EARLY },
      { id: "jpt-screen-2", name: "Screen 2", layout: LOUNGE, times: LATE },
    ],
  },
  {
    id: "cinema-indiranagar-picture-house", name: "Indiranagar Picture House", city: "Bengaluru", address: "100 Feet Road, Indiranagar, Bengaluru 560038", timezone: "Asia/Kolkata",
    prices: { standard: 28000, premium: 42000, recliner: 70000 },
    screens: [
      { id: "iph-gold", name: "Gold", layout: LOUNGE, times: EARLY },
      { id: "iph-silver", name: "Silver", layout: GRAND, times: LATE },
    ],
  },
];

/** Days since 1970-01-01 of a YYYY-MM-DD date: the film rotation depends on the date alone. */
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/**
 * The demo catalog as of `now`: shows on the cinema-local days from today through `days - 1`
 * days ahead, leaving out those that have already started.
 */
export function demoCatalog(now: number, days = DEMO_DAYS): DemoCatalog {
  const cinemas: Cinema[] = CINEMAS.map(({ prices: _prices, screens, ...cinema }) => ({
    ...cinema,
    screens: screens.map(({ id, name, layout }) => ({ id, name, layout })),
  }));
  const shows: Show[] = [];
  CINEMAS.forEach((cinema, c) => {
    const today = localDate(now, cinema.timezone);
    for (let d = 0; d < days; d++) {
      const date = addDays(today, d);
      cinema.screens.forEach((screen, s) => {
        const categories = new Set(expandLayout(screen.layout).map((seat) => seat.category));
        screen.times.forEach((time, slot) => {
          const start = zonedInstant(date, time, cinema.timezone);
          if (start < now) return;
          const movie = MOVIES[(dayNumber(date) + slot + (c * 2 + s) * 2) % MOVIES.length]!;
          shows.push({
            // The same slot id an admin's show gets, so a demo show and an admin's collide.
            id: showSlotId(screen.id, start, cinema.timezone),
            movieId: movie.id,
            cinemaId: cinema.id,
            screenId: screen.id,
            startsAt: new Date(start).toISOString(),
            endsAt: new Date(showEnd(start, movie.durationMinutes)).toISOString(),
            currency: "INR",
            prices: Object.fromEntries([...categories].map((k) => [k, cinema.prices[k]!])),
          });
        });
      });
    }
  });
  // Copies, so a caller can never edit the tables (or one screen's layout through another).
  return structuredClone({ movies: MOVIES, cinemas, shows });
}
