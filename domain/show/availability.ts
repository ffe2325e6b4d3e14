// How a showtime chip describes a show's seats: words a customer decides by, from counts alone.

export type Availability = "available" | "filling_fast" | "sold_out";

/** At this share of seats taken a show is "filling fast". */
export const FILLING_FAST_SHARE = 0.7;

export function availabilityOf(forSale: number, claimed: number): Availability {
  if (forSale <= 0 || claimed >= forSale) return "sold_out";
  return claimed / forSale >= FILLING_FAST_SHARE ? "filling_fast" : "available";
}
