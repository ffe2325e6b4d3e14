// What a show's snapshot stores, apart from how its state is laid out in memory: tuning the
// in-memory shape for V8 (claims as a record, ended holds in a two-level hash table) never changes
// what is on disk, and a snapshot of another format is simply ignored (the journal rebuilds it).
// Claims are not stored at all: they follow from the active holds and the confirmed bookings.
import { withEnded } from "./state.ts";
import type { Booking, EndedHold, Hold, SeatClaim, ShowSchedule, ShowState } from "./types.ts";

export const SNAPSHOT_FORMAT = 3;

export interface ShowSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  showId: string;
  /** Events applied: the snapshot stands for the journal up to and including this one. */
  version: number;
  schedule: ShowSchedule;
  /** Every seat of the screen; those not for sale are listed again apart. */
  seats: string[];
  notForSale: string[];
  holds: Hold[];
  endedHolds: [holdId: string, ended: EndedHold][];
  bookings: Booking[];
  published?: ShowState["published"];
}

export function toSnapshot(state: ShowState): ShowSnapshot {
  const seats = Object.keys(state.seats);
  return {
    format: SNAPSHOT_FORMAT, showId: state.showId, version: state.version, schedule: state.schedule,
    seats, notForSale: seats.filter((seat) => !state.seats[seat]),
    holds: state.holds,
    endedHolds: state.endedHolds.flatMap((chunk) => (chunk ?? []).flatMap((bucket) => bucket ?? [])),
    bookings: Object.values(state.bookings),
    ...(state.published ? { published: state.published } : {}),
  };
}

/** The state a snapshot stands for, or undefined when it is of another format. */
export function ofSnapshot(snapshot: { format?: unknown } | undefined): ShowState | undefined {
  if (!snapshot || snapshot.format !== SNAPSHOT_FORMAT) return undefined;
  const s = snapshot as ShowSnapshot;
  const notForSale = new Set(s.notForSale);
  const claims: Record<string, SeatClaim> = {};
  for (const hold of s.holds) for (const seat of hold.seats) claims[seat] = { kind: "hold", id: hold.id };
  for (const b of s.bookings) if (b.stage === "confirmed") for (const seat of b.seats) claims[seat] = { kind: "booking", id: b.id };
  let endedHolds: ShowState["endedHolds"] = [];
  for (const [holdId, ended] of s.endedHolds) endedHolds = withEnded(endedHolds, holdId, ended);
  return {
    showId: s.showId, schedule: s.schedule,
    seats: Object.fromEntries(s.seats.map((seat) => [seat, !notForSale.has(seat)])),
    claims, holds: s.holds, endedHolds, bookings: Object.fromEntries(s.bookings.map((b) => [b.id, b])), version: s.version,
    ...(s.published ? { published: s.published } : {}),
  };
}
