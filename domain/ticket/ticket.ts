// A ticket is what gets a customer through the door: a short booking code to read out, and a
// QR payload signed with the venue key so a door can check it offline, with no call home.
//
// Payload: "MQ1.<base64url JSON {b: bookingId, s: showId, seats}>.<base64url HMAC-SHA256, 16 bytes>".
// The signature covers the whole claim, so changing a seat, the show or the booking breaks it;
// 128 bits of HMAC is beyond forging. A valid signature proves the ticket was issued, not that
// it is unused: admitting it once is the show actor's job (AdmitTicket).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface TicketClaim {
  bookingId: string;
  showId: string;
  seats: string[];
}

export type TicketProblem = "malformed" | "bad_signature" | "other_show";

const PREFIX = "MQ1";
const SIGNATURE_BYTES = 16;
// Crockford's base32: no I, L, O or U, so a code read aloud or typed is never ambiguous.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** "MQ-7K3F9Q": 30 bits of SHA-256 of the booking id, the same every time for the same booking. */
export function bookingCode(bookingId: string): string {
  const digest = createHash("sha256").update(bookingId).digest();
  let bits = digest.readUInt32BE(0) >>> 2;
  let code = "";
  for (let i = 0; i < 6; i++) {
    code = ALPHABET[bits & 31]! + code;
    bits >>>= 5;
  }
  return `MQ-${code}`;
}

/** A typed code in any case, with or without the dash, read-alike letters mapped: "mq 7k3f9q" -> "MQ-7K3F9Q". */
export function normaliseCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, "").replace(/^MQ/, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  return /^[0-9A-HJKMNP-TV-Z]{6}$/.test(raw) ? `MQ-${raw}` : null;
}

const sign = (body: string, key: string) => createHmac("sha256", key).update(`${PREFIX}.${body}`).digest().subarray(0, SIGNATURE_BYTES);

export function signTicket(claim: TicketClaim, key: string): string {
  const body = Buffer.from(JSON.stringify({ b: claim.bookingId, s: claim.showId, seats: claim.seats })).toString("base64url");
  return `${PREFIX}.${body}.${sign(body, key).toString("base64url")}`;
}

/**
 * The claim in a scanned payload, if it was signed with `key` (and is for `showId`, when the
 * door is checking one show); otherwise why not.
 */
export function verifyTicket(payload: string, key: string, showId?: string): { ok: true; claim: TicketClaim } | { ok: false; problem: TicketProblem } {
  const parts = payload.trim().split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX || !/^[\w-]+$/.test(parts[1]!) || !/^[\w-]+$/.test(parts[2]!)) return { ok: false, problem: "malformed" };
  const given = Buffer.from(parts[2]!, "base64url");
  if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, sign(parts[1]!, key))) return { ok: false, problem: "bad_signature" };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return { ok: false, problem: "malformed" };
  }
  const { b, s, seats } = (raw ?? {}) as { b?: unknown; s?: unknown; seats?: unknown };
  if (typeof b !== "string" || typeof s !== "string" || !Array.isArray(seats) || !seats.every((x) => typeof x === "string")) return { ok: false, problem: "malformed" };
  if (showId !== undefined && s !== showId) return { ok: false, problem: "other_show" };
  return { ok: true, claim: { bookingId: b, showId: s, seats: seats as string[] } };
}
