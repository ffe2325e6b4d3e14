// The persistence port. Services and actors depend on this interface only; this issue ships
// the memory implementation and the cluster issue adds Redis behind the same methods.
// Values cross the port as JSON-safe plain data, so both implementations behave alike.

export interface CounterHit {
  /** Hits in the current window, including this one. */
  count: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

export interface Store {
  /** A document, or undefined. */
  get<T>(collection: string, id: string): Promise<T | undefined>;
  getMany<T>(collection: string, ids: string[]): Promise<(T | undefined)[]>;
  put<T>(collection: string, id: string, value: T): Promise<void>;
  /** Writes only when no document has this id; true when it wrote. */
  putIfAbsent<T>(collection: string, id: string, value: T): Promise<boolean>;
  remove(collection: string, id: string): Promise<void>;
  /** Every document of a collection (catalog-sized collections only). */
  all<T>(collection: string): Promise<T[]>;

  /** Secondary indexes: unordered sets of ids. */
  addToSet(set: string, member: string): Promise<void>;
  members(set: string): Promise<string[]>;

  /** Append-only journals: returns the journal length after the append, in one write. */
  append(journal: string, events: readonly unknown[]): Promise<number>;
  read<T>(journal: string, from?: number): Promise<T[]>;

  /** Fixed-window counters for rate limits. */
  hit(counter: string, windowMs: number): Promise<CounterHit>;

  close(): Promise<void>;
}
