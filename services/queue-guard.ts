// The hold path's check during an on-sale: while one is in force for a show, a customer holds
// its seats only with a valid queue pass, and only up to the on-sale's tickets per account
// (which the show's actor enforces). Shows without an on-sale pay one cache lookup per hold.
import { LRUCache } from "lru-cache";
import { inForce, queueUrl, type OnSale } from "../domain/onsale/onsale.ts";
import { queuePasses, type PassRefusal } from "../infra/auth/queue-pass.ts";
import type { Store } from "../infra/store.ts";
import type { Caller } from "./deps.ts";
import { ForbiddenError } from "./errors.ts";

/**
 * How long a node trusts what it read about a show's on-sale. On-sales are scheduled ahead of
 * their opening, and nobody has a pass before it, so a second's delay on a new one lets nobody
 * skip the queue once it opens.
 */
const CACHE_MS = 1_000;

const WHY: Record<PassRefusal, string> = {
  missing: "This show is selling through a waiting room: join the queue, and hold with the pass you get when it is your turn",
  invalid: "That queue pass is not valid: join the queue for a new one",
  expired: "Your queue pass has expired: join the queue again",
  other_account: "That queue pass belongs to another account",
  other_onsale: "That queue pass is for another on-sale",
};

/** Customers of an on-sale who have tried to hold with their pass: no longer picking (see admit()). */
export const holdersOf = (onsaleId: string) => `holders:${onsaleId}`;

export const onsaleOfShow = (store: Store) => async (showId: string): Promise<OnSale | undefined> => {
  const onsaleId = await store.get<string>("onsaleByShow", showId);
  return onsaleId ? store.get<OnSale>("onsales", onsaleId) : undefined;
};

export function queueGuard({ store, tokenSecret }: { store: Store; tokenSecret: string }) {
  const passes = queuePasses(tokenSecret);
  const lookup = onsaleOfShow(store);
  const known = new LRUCache<string, { onsale: OnSale | undefined }>({ max: 50_000, ttl: CACHE_MS });
  const onsaleOf = async (showId: string) => {
    let hit = known.get(showId);
    if (!hit) known.set(showId, (hit = { onsale: await lookup(showId) }));
    return hit.onsale;
  };

  /**
   * The most tickets the caller may have on the show, or undefined when no on-sale is in force
   * for it (or the caller is box-office staff); throws 403 QUEUE_PASS_REQUIRED, with the queue's
   * URL, when the pass is missing or not valid for this caller and on-sale.
   */
  return async function admittedFor(showId: string, caller: Caller, pass: string | undefined, now = Date.now()): Promise<number | undefined> {
    const onsale = await onsaleOf(showId);
    if (!onsale || !inForce(onsale, now) || caller.role === "admin") return undefined;
    const refusal = await passes.refusal(pass, caller.id, onsale.id, now);
    if (refusal) throw new ForbiddenError(WHY[refusal], "QUEUE_PASS_REQUIRED", { onsaleId: onsale.id, queueUrl: queueUrl(onsale.id), reason: refusal });
    await store.addRanked(holdersOf(onsale.id), caller.id, now);
    return onsale.maxPerAccount;
  };
}
