// Opaque ids for the records the services create: a prefix that says what it names (bkg_, pay_,
// usr_...) and 128 random bits, so nothing about an id can be guessed from another.
import { randomUUID } from "node:crypto";

export const newId = (prefix: string): string => `${prefix}_${randomUUID().replaceAll("-", "")}`;

// Catalog records (movies, cinemas, screens) are public and few, so 48 random bits keep them
// apart; their ids are short because a screen's id is part of every show id on it, and a show's
// id part of every hold id.
export const newCatalogId = (prefix: string): string => `${prefix}-${randomUUID().replaceAll("-", "").slice(0, 12)}`;

// A hold's id also names its show ("hold_<random>.<showId>"), so a request about a hold goes
// straight to the show's actor, which knows whose hold it is. No index from hold to show is
// needed, nor can one be missing: an index written after the hold was lost when its node died
// in between, leaving a hold nobody could reach.
const HOLD_ID = /^hold_[0-9a-f]{32}\.(.+)$/s;

export const newHoldId = (showId: string): string => `${newId("hold")}.${showId}`;

/** The show a hold id names, or undefined when it is not a hold id. */
export const showOfHold = (holdId: string): string | undefined => HOLD_ID.exec(holdId)?.[1];

// A booking lives in its show's actor too, and its id names the show the same way.
const BOOKING_ID = /^bkg_[0-9a-f]{32}\.(.+)$/s;

export const newBookingId = (showId: string): string => `${newId("bkg")}.${showId}`;

/** The show a booking id names, or undefined when it is not a booking id. */
export const showOfBooking = (bookingId: string): string | undefined => BOOKING_ID.exec(bookingId)?.[1];
