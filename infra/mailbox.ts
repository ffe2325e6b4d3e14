// A mailbox runs one batch at a time, in arrival order. Messages that arrive while a batch is
// being processed wait and form the next batch together, which is what lets an actor persist a
// burst of commands in one write instead of one write each.

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export class Mailbox<M, R> {
  #queue: { message: M; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  #running = false;
  #idle: (() => void)[] = [];
  readonly #process: (batch: M[]) => Promise<Outcome<R>[]>;
  readonly #maxBatch: number;

  constructor(process: (batch: M[]) => Promise<Outcome<R>[]>, maxBatch = 256) {
    this.#process = process;
    this.#maxBatch = maxBatch;
  }

  get pending(): number {
    return this.#queue.length;
  }

  /** Whether a batch is being processed or messages wait. */
  get busy(): boolean {
    return this.#running || this.#queue.length > 0;
  }

  /** Resolves once every message posted so far has been processed. */
  idle(): Promise<void> {
    if (!this.#running && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  post(message: M): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ message, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        let outcomes: Outcome<R>[];
        try {
          outcomes = await this.#process(batch.map((b) => b.message));
        } catch (error) {
          outcomes = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((b, i) => {
          const o = outcomes[i];
          if (o?.ok) b.resolve(o.value);
          else b.reject(o ? o.error : new Error("mailbox: no outcome for message"));
        });
      }
    } finally {
      this.#running = false;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
