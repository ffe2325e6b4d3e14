// Idempotency-Key as Stripe honours it: the first request under a key runs and its response
// is kept 24 hours; the same key with the same request replays that response verbatim (with
// Idempotent-Replayed: true); the same key with another request is refused (400
// idempotency_error); a request still running under the key is refused (409) rather than run
// twice. Claims are putIfAbsent in the store, so two processors sharing Redis agree too.
import { createHmac } from "node:crypto";
import type { Store } from "../infra/store.ts";
import { COLLECTIONS } from "./ledger.ts";

export const KEPT_MS = 24 * 3_600_000;
/**
 * A claim whose request died (its process, or the store mid-request, so it could not be freed)
 * stops blocking the key after this long: far longer than any request runs here, whose every
 * store call gives up within seconds, and short enough for a client's reconciler to get on.
 */
const ABANDONED_MS = 15_000;

export interface Kept { status: number; body: string }

type IdempotencyRecord =
  | { state: "running"; fingerprint: string; since: number }
  | { state: "done"; fingerprint: string; response: Kept; expiresAt: number };

export type Claim = { run: true } | { replay: Kept } | { conflict: "mismatch" | "running" };

/**
 * Keyed with the secret key: a body may hold a card number, and a plain hash of so few digits
 * could be reversed by trying them all (PCI DSS accepts only keyed hashes of a card number).
 */
export const fingerprintOf = (key: string, method: string, path: string, body: string): string =>
  createHmac("sha256", key).update(`${method} ${path}\n${body}`).digest("hex");

export class IdempotencyKeys {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  async claim(key: string, fingerprint: string, now: number): Promise<Claim> {
    const running: IdempotencyRecord = { state: "running", fingerprint, since: now };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.#store.putIfAbsent(COLLECTIONS.idempotency, key, running)) return { run: true };
      const existing = await this.#store.get<IdempotencyRecord>(COLLECTIONS.idempotency, key);
      if (!existing) continue;
      const lapsed = existing.state === "done" ? existing.expiresAt <= now : existing.since + ABANDONED_MS <= now;
      if (lapsed) {
        await this.#store.remove(COLLECTIONS.idempotency, key);
        continue;
      }
      if (existing.fingerprint !== fingerprint) return { conflict: "mismatch" };
      return existing.state === "done" ? { replay: existing.response } : { conflict: "running" };
    }
    return { conflict: "running" };
  }

  async keep(key: string, fingerprint: string, response: Kept, now: number): Promise<void> {
    await this.#store.put<IdempotencyRecord>(COLLECTIONS.idempotency, key, { state: "done", fingerprint, response, expiresAt: now + KEPT_MS });
  }

  /** Frees a key whose request failed in a way worth retrying (a 5xx): nothing was decided. */
  async release(key: string): Promise<void> {
    await this.#store.remove(COLLECTIONS.idempotency, key);
  }
}

/** Give this to the store the processor runs on, so kept responses lapse by themselves too. */
export const PROCESSOR_RETENTION = { [COLLECTIONS.idempotency]: KEPT_MS } as const;
