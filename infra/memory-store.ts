// The embedded default store: one process, nothing on disk. Values are kept as JSON text, as in
// Redis: a caller can never mutate stored state by accident, and whatever JSON cannot carry
// (undefined, class instances) is lost here exactly as it would be there.
//
// Journal entries are the exception: they are events, written on every accepted command and
// read back only when a show is activated, and encoding each one cost more than deciding it.
// The journal keeps the event objects themselves. That is safe because an event is a value
// nobody changes once it exists: the decider only ever builds new ones, and evolve() builds
// new state rather than changing the old (the decider's property tests replay journals and
// compare).
import { StaleEpochError, type CounterHit, type Fence, type LeaseGrant, type LeaseHolder, type Retention, type Store } from "./store.ts";

const encode = (value: unknown): string => JSON.stringify(value) ?? "null";
const decode = <T>(text: string | undefined): T | undefined => (text === undefined ? undefined : (JSON.parse(text) as T));

/**
 * A ranked set: scores by member, and the members in order (score, then member, as Redis orders
 * a sorted set). Ranks are found by binary search; an insert shifts the tail of one array, which
 * at a hundred thousand members is still a memmove of well under a millisecond.
 */
interface Ranked { scores: Map<string, number>; order: string[] }

/** Where (member, score) sits in the order: its rank when present, its insertion point when not. */
function rankIn({ scores, order }: Ranked, member: string, score: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const other = order[mid]!;
    const s = scores.get(other)!;
    if (s < score || (s === score && other < member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemoryStore implements Store {
  #docs = new Map<string, Map<string, string>>();
  #sets = new Map<string, Set<string>>();
  #journals = new Map<string, unknown[]>();
  #counters = new Map<string, { count: number; resetAt: number }>();
  #leases = new Map<string, { owner: string; epoch: number; expiresAt: number }>();
  #epochs = new Map<string, number>();
  /** When each document of a collection with a retention lapses. */
  #lapses = new Map<string, Map<string, number>>();
  #ranked = new Map<string, Ranked>();
  readonly #clock: () => number;
  readonly #retention: Retention;

  constructor(clock: () => number = Date.now, { retention = {} }: { retention?: Retention } = {}) {
    this.#clock = clock;
    this.#retention = retention;
  }

  #collection(name: string): Map<string, string> {
    let c = this.#docs.get(name);
    if (!c) this.#docs.set(name, (c = new Map()));
    return c;
  }

  /** A document, unless it has outlived its collection's retention (then it is dropped). */
  #document(collection: string, id: string): string | undefined {
    const lapsesAt = this.#lapses.get(collection)?.get(id);
    if (lapsesAt !== undefined && lapsesAt <= this.#clock()) {
      this.#collection(collection).delete(id);
      this.#lapses.get(collection)!.delete(id);
    }
    return this.#collection(collection).get(id);
  }

  #write(collection: string, id: string, value: unknown): void {
    this.#collection(collection).set(id, encode(value));
    const retention = this.#retention[collection];
    if (retention === undefined) return;
    let lapses = this.#lapses.get(collection);
    if (!lapses) this.#lapses.set(collection, (lapses = new Map()));
    lapses.set(id, this.#clock() + retention);
  }

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    return decode<T>(this.#document(collection, id));
  }

  async getMany<T>(collection: string, ids: string[]): Promise<(T | undefined)[]> {
    return ids.map((id) => decode<T>(this.#document(collection, id)));
  }

  async put<T>(collection: string, id: string, value: T, fence?: Fence): Promise<void> {
    this.#checkFence(fence);
    this.#write(collection, id, value);
  }

  #checkFence(fence: Fence | undefined): void {
    if (fence && (this.#epochs.get(fence.lease) ?? 0) !== fence.epoch) throw new StaleEpochError(fence.lease, fence.epoch);
  }

  async putIfAbsent<T>(collection: string, id: string, value: T): Promise<boolean> {
    if (this.#document(collection, id) !== undefined) return false;
    this.#write(collection, id, value);
    return true;
  }

  async remove(collection: string, id: string): Promise<void> {
    this.#collection(collection).delete(id);
    this.#lapses.get(collection)?.delete(id);
  }

  async all<T>(collection: string): Promise<T[]> {
    if (this.#retention[collection] !== undefined) return [];
    return [...this.#collection(collection).values()].map((v) => JSON.parse(v) as T);
  }

  async addToSet(set: string, member: string): Promise<void> {
    let s = this.#sets.get(set);
    if (!s) this.#sets.set(set, (s = new Set()));
    s.add(member);
  }

  async members(set: string): Promise<string[]> {
    return [...(this.#sets.get(set) ?? [])];
  }
  async removeFromSet(set: string, member: string): Promise<void> {
    this.#sets.get(set)?.delete(member);
  }


  async addRanked(set: string, member: string, score: number): Promise<boolean> {
    let ranked = this.#ranked.get(set);
    if (!ranked) this.#ranked.set(set, (ranked = { scores: new Map(), order: [] }));
    if (ranked.scores.has(member)) return false;
    ranked.scores.set(member, score);
    ranked.order.splice(rankIn(ranked, member, score), 0, member);
    return true;
  }

  async rankOf(set: string, member: string): Promise<{ rank: number; score: number } | undefined> {
    const ranked = this.#ranked.get(set);
    const score = ranked?.scores.get(member);
    return ranked && score !== undefined ? { rank: rankIn(ranked, member, score), score } : undefined;
  }

  async countRanked(set: string): Promise<number> {
    return this.#ranked.get(set)?.order.length ?? 0;
  }

  async removeRanked(set: string, member: string): Promise<void> {
    const ranked = this.#ranked.get(set);
    const score = ranked?.scores.get(member);
    if (!ranked || score === undefined) return;
    ranked.order.splice(rankIn(ranked, member, score), 1);
    ranked.scores.delete(member);
  }

  async append(journal: string, events: readonly unknown[], fence?: Fence): Promise<number> {
    this.#checkFence(fence);
    let j = this.#journals.get(journal);
    if (!j) this.#journals.set(journal, (j = []));
    for (const e of events) j.push(e);
    return j.length;
  }

  async read<T>(journal: string, from = 0): Promise<T[]> {
    return (this.#journals.get(journal) ?? []).slice(from) as T[];
  }

  async hit(counter: string, windowMs: number, by = 1): Promise<CounterHit> {
    const now = this.#clock();
    let c = this.#counters.get(counter);
    if (!c || c.resetAt <= now) this.#counters.set(counter, (c = { count: 0, resetAt: now + windowMs }));
    c.count += by;
    return { count: c.count, resetInMs: c.resetAt - now };
  }

  async clearCounter(counter: string): Promise<void> {
    this.#counters.delete(counter);
  }

  #live(lease: string) {
    const held = this.#leases.get(lease);
    return held && held.expiresAt > this.#clock() ? held : undefined;
  }

  async acquireLease(lease: string, owner: string, ttlMs: number): Promise<LeaseGrant> {
    const held = this.#live(lease);
    if (held && held.owner !== owner) return { granted: false, owner: held.owner, epoch: held.epoch, remainingMs: held.expiresAt - this.#clock() };
    const epoch = held ? held.epoch : (this.#epochs.get(lease) ?? 0) + 1;
    this.#epochs.set(lease, epoch);
    this.#leases.set(lease, { owner, epoch, expiresAt: this.#clock() + ttlMs });
    return { granted: true, epoch };
  }

  async renewLeases(leases: readonly Fence[], owner: string, ttlMs: number): Promise<boolean[]> {
    return leases.map(({ lease, epoch }) => {
      const held = this.#live(lease);
      if (!held || held.owner !== owner || held.epoch !== epoch) return false;
      held.expiresAt = this.#clock() + ttlMs;
      return true;
    });
  }

  async releaseLease({ lease, epoch }: Fence, owner: string): Promise<void> {
    const held = this.#leases.get(lease);
    if (held && held.owner === owner && held.epoch === epoch) this.#leases.delete(lease);
  }

  async leaseHolder(lease: string): Promise<LeaseHolder | undefined> {
    const held = this.#live(lease);
    return held && { owner: held.owner, epoch: held.epoch, remainingMs: held.expiresAt - this.#clock() };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
