// The catalog's vocabulary: what is showing, where, on which screen, when and at what base price.
// All plain JSON-safe data, stored as it is through the store port.

/** India's CBFC certificates, including the 2024 age bands of UA: the ratings a movie can have. */
export const RATINGS = ["U", "UA", "UA 7+", "UA 13+", "UA 16+", "A", "S"];

export interface Movie {
  id: string;
  title: string;
  durationMinutes: number;
  /** Certificate, one of RATINGS. */
  rating: string;
  languages: string[];
  genres: string[];
  synopsis?: string;
  posterUrl?: string;
}

/** One row of a seat layout; `seats` uses the compact format documented in layout.ts. */
export interface LayoutRow {
  row: string;
  category: string;
  seats: string;
}

export interface SeatLayout {
  rows: LayoutRow[];
}

export interface Screen {
  id: string;
  name: string;
  layout: SeatLayout;
}

export interface Cinema {
  id: string;
  name: string;
  city: string;
  address?: string;
  /** IANA zone: the cinema's wall clock decides which day a show is on. */
  timezone: string;
  screens: Screen[];
  /** What a cancellation keeps back; without one, cancelled bookings are refunded in full. */
  refundPolicy?: RefundPolicy;
}

/** A cinema's cancellation fee: the larger of a share of the price and a fixed amount (minor units). */
export interface RefundPolicy { feeShare?: number; feeFixed?: number }

/** A seat as the rest of the platform sees it, expanded from a layout. */
export interface SeatDef {
  /** Row + number, e.g. "A1". */
  id: string;
  row: string;
  /** 1..n left to right, gaps not counted. */
  number: number;
  /** 0-based position in the row including gaps, for drawing the seat map. */
  column: number;
  category: string;
  forSale: boolean;
}

export interface Show {
  id: string;
  movieId: string;
  cinemaId: string;
  screenId: string;
  /** ISO-8601 UTC. */
  startsAt: string;
  /** ISO-8601 UTC: start + running time + cleanup, so the next show on the screen can follow. */
  endsAt: string;
  currency: string;
  /** Base price per seat category, integer minor units (paise for INR). */
  prices: Record<string, number>;
}

/** A show as listings present it: enough to choose one without another call. */
export interface ShowSummary {
  id: string;
  movieId: string;
  movieTitle: string;
  cinemaId: string;
  cinemaName: string;
  city: string;
  /** The cinema's IANA time zone, for showing times as the cinema's clock reads them. */
  timezone: string;
  screenId: string;
  screenName: string;
  startsAt: string;
  endsAt: string;
  /** The cinema-local date of the start, YYYY-MM-DD. */
  localDate: string;
  currency: string;
  prices: Record<string, number>;
}

/** Everything a seat map page needs about a show (live seat status comes from the show actor). */
export interface ShowDetails extends Show {
  movie: Movie;
  cinema: { id: string; name: string; city: string; timezone: string; refundPolicy?: RefundPolicy };
  screen: { id: string; name: string };
  localDate: string;
  seats: SeatDef[];
}

/** Filters of catalog.listShows; every one is optional and they combine with AND. */
export interface ShowQuery {
  movieId?: string;
  cinemaId?: string;
  city?: string;
  /** Cinema-local date, YYYY-MM-DD. */
  date?: string;
}
