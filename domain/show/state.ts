// Lookups into a show's state, shared by the hold rules (decider.ts), the booking lifecycle
// (booking.ts) and the read models (views.ts).
import { fnv1a } from "../hash.ts";
import type { Decision, EndedHold, Hold, Rejection, ScheduledShow, ShowEvent, ShowState } from "./types.ts";

export function initialState(showId: string): ShowState {
  return { showId, schedule: { status: "unscheduled" }, seats: {}, claims: {}, holds: [], endedHolds: [], bookings: {}, version: 0 };
}

// Ids and seat names come from clients: a name like "constructor" must not find Object's own
// properties, so lookups only see what the state really holds.
export const own = <V>(record: Record<string, V>, key: string): V | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

// Ended holds live in a two-level table keyed by a hash of the hold id (16 chunks of 16
// buckets, each a short list of [hold id, how it ended]). Ending a hold copies three short
// arrays, so evolve stays cheap on a show that has ended tens of thousands of holds, a show
// with few costs little memory, and the table is still plain JSON.
const FANOUT = 16;
const slotOf = (holdId: string): [chunk: number, bucket: number] => {
  const hash = fnv1a(holdId);
  return [(hash >>> 4) % FANOUT, hash % FANOUT];
};

/** An active hold by id. */
export const activeHold = (state: ShowState, holdId: string): Hold | undefined => state.holds.find((h) => h.id === holdId);

/** The user's active hold on this show: there is at most one. */
export const holdOfUser = (state: ShowState, userId: string): Hold | undefined => state.holds.find((h) => h.userId === userId);

/** Seats a user may hold now: for sale and unclaimed, or in their own hold, which a new one replaces. */
export function freeFor(state: ShowState, userId: string): (seat: string) => boolean {
  const previous = holdOfUser(state, userId);
  return (seat) => {
    const claim = own(state.claims, seat);
    return own(state.seats, seat) === true && (!claim || (claim.kind === "hold" && claim.id === previous?.id));
  };
}

/** How a hold ended, or undefined when it is active or unknown. */
export function endedHold(state: ShowState, holdId: string): EndedHold | undefined {
  const [chunk, bucket] = slotOf(holdId);
  return state.endedHolds[chunk]?.[bucket]?.find(([id]) => id === holdId)?.[1];
}

export function withEnded(table: ShowState["endedHolds"], holdId: string, ended: EndedHold): ShowState["endedHolds"] {
  const [c, b] = slotOf(holdId);
  // Dense arrays of nulls, never holes: a snapshot read back from JSON must equal the original.
  const chunk = table[c]?.slice() ?? new Array(FANOUT).fill(null);
  chunk[b] = [...(chunk[b] ?? []), [holdId, ended]];
  // A show that has never ended a hold keeps an empty table: a KiB less per active actor.
  const next = table.length ? table.slice() : new Array(FANOUT).fill(null);
  next[c] = chunk;
  return next;
}


export const accept = (...events: ShowEvent[]): Decision => ({ ok: true, events });
export const reject = (rejection: Rejection): Decision => ({ ok: false, rejection });

/** The active hold a user may act on, or the reason they may not. Another user's hold is "not found". */
export function ownHold(state: ShowState, holdId: string, userId: string, now: number): Hold | Rejection {
  const hold = activeHold(state, holdId);
  if (hold && hold.userId === userId) {
    if (now >= hold.expiresAt) return { code: "HOLD_EXPIRED", message: `Hold ${holdId} expired; hold the seats again` };
    return hold;
  }
  const ended = endedHold(state, holdId);
  if (ended && ended.userId === userId) {
    if (ended.end === "expired") return { code: "HOLD_EXPIRED", message: `Hold ${holdId} expired; hold the seats again` };
    return { code: "HOLD_ENDED", message: `Hold ${holdId} was ${ended.end}`, end: ended.end };
  }
  return { code: "HOLD_NOT_FOUND", message: `Hold ${holdId} was not found` };
}

export const isRejection = <T extends object>(x: T | Rejection): x is Rejection => "code" in x;

// Copied key by key rather than spread-then-delete: deleting turns an object into a slow
// dictionary in V8, and every later copy of it pays for that.
export function without<V>(record: Record<string, V>, keys: readonly string[]): Record<string, V> {
  const next: Record<string, V> = {};
  for (const k in record) if (!keys.includes(k)) next[k] = record[k]!;
  return next;
}

/** The state with an active hold replaced by its new version. */
export const withHold = (state: ShowState, hold: Hold): ShowState => ({ ...state, holds: state.holds.map((h) => (h.id === hold.id ? hold : h)) });

export const isScheduled = (state: ShowState): state is ScheduledShow => state.schedule.status === "scheduled";

/** When the show starts; undefined while it is not scheduled. */
export const startOf = (state: ShowState): number | undefined => (isScheduled(state) ? state.schedule.startsAt : undefined);
