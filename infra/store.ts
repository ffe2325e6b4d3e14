// The persistence port. Services and actors depend on this interface only; this issue ships
// the memory implementation and the cluster issue adds Redis behind the same methods.
// Values cross the port as JSON-safe plain data, so both implementations behave alike.

export interface CounterHit {
  /** Hits in the current window, including this one. */
  count: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/**
 * A fencing token: the lease a write is made under and the epoch it was granted with. Epochs
 * only grow, so a write naming an old epoch comes from an owner that has been replaced.
 */
export interface Fence {
  lease: string;
  epoch: number;
}

export type LeaseGrant =
  | { granted: true; epoch: number }
  | { granted: false; owner: string; epoch: number; remainingMs: number };

export interface LeaseHolder {
  owner: string;
  epoch: number;
  remainingMs: number;
}

/** An append under an epoch that is no longer current: the writer lost its lease. */
export class StaleEpochError extends Error {
  readonly lease: string;
  constructor(lease: string, epoch: number) {
    super(`lease ${lease}: epoch ${epoch} is no longer current; this node no longer owns it`);
    this.name = "StaleEpochError";
    this.lease = lease;
  }
}

/**
 * The store could not be reached or did not answer in time. Whatever was asked may or may not
 * have happened, so a caller must not assume either: it fails the request (the gateway answers
 * 503 STORE_UNAVAILABLE) and rereads what it keeps from the store before it writes again.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the store is unreachable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "StoreUnavailableError";
  }
}

/**
 * How long the documents of some collections live after each write, in milliseconds (say,
 * idempotency records). A deployment's choice, so it is given to a store when it is built;
 * such documents are read like any other until they lapse, but all() does not list them.
 */
export type Retention = Readonly<Record<string, number>>;

export interface Store {
  /** A document, or undefined. */
  get<T>(collection: string, id: string): Promise<T | undefined>;
  getMany<T>(collection: string, ids: string[]): Promise<(T | undefined)[]>;
  /**
   * With a fence, the write happens only while that epoch is the lease's current one (else
   * StaleEpochError), checked in the same atomic step: a replaced owner cannot overwrite its successor.
   */
  put<T>(collection: string, id: string, value: T, fence?: Fence): Promise<void>;
  /** Writes only when no document has this id; true when it wrote. */
  putIfAbsent<T>(collection: string, id: string, value: T): Promise<boolean>;
  remove(collection: string, id: string): Promise<void>;
  /** Every document of a collection (catalog-sized collections only). */
  all<T>(collection: string): Promise<T[]>;

  /** Secondary indexes: unordered sets of ids. */
  addToSet(set: string, member: string): Promise<void>;
  members(set: string): Promise<string[]>;
  removeFromSet(set: string, member: string): Promise<void>;

  /**
   * Ranked sets (waiting-room queues): members ordered by score, then by member. A member is
   * added only if absent (true when added), so a second add can never move it.
   */
  addRanked(set: string, member: string, score: number): Promise<boolean>;
  /** A member's 0-based rank and score, or undefined when it is not in the set. */
  rankOf(set: string, member: string): Promise<{ rank: number; score: number } | undefined>;
  countRanked(set: string): Promise<number>;
  removeRanked(set: string, member: string): Promise<void>;

  /**
   * Append-only journals: returns the journal length after the append, in one write. With a
   * fence, the write happens only while that epoch is the lease's current one (else
   * StaleEpochError), checked in the same atomic step as the write.
   */
  append(journal: string, events: readonly unknown[], fence?: Fence): Promise<number>;
  read<T>(journal: string, from?: number): Promise<T[]>;

  /** Fixed-window counters for rate limits; `by` -1 gives back a hit counted in advance. */
  hit(counter: string, windowMs: number, by?: number): Promise<CounterHit>;
  /** Starts a counter afresh (a success that forgives earlier failures). */
  clearCounter(counter: string): Promise<void>;

  /**
   * Leases with fencing epochs. Acquiring a free (or lapsed) lease takes a new, larger epoch;
   * acquiring one the owner already holds renews it and keeps its epoch.
   */
  acquireLease(lease: string, owner: string, ttlMs: number): Promise<LeaseGrant>;
  /** Renews many leases in one round trip; false where the owner no longer holds that epoch. */
  renewLeases(leases: readonly Fence[], owner: string, ttlMs: number): Promise<boolean[]>;
  /** Gives a lease up at once (a graceful hand-over), if the owner still holds that epoch. */
  releaseLease(fence: Fence, owner: string): Promise<void>;
  leaseHolder(lease: string): Promise<LeaseHolder | undefined>;

  /** Resolves when the store answers (readiness), else throws StoreUnavailableError. */
  ping(): Promise<void>;

  close(): Promise<void>;
}
