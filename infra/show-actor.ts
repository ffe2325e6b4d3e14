// The runtime around the pure show decider: a mailbox so one show's commands apply strictly one
// at a time in arrival order, a timer so holds expire on time without any request, and the
// journal so every accepted event is stored before anyone hears it was accepted.
import { decide, evolve, replay } from "../domain/show/decider.ts";
import type { Rejection, ShowCommand, ShowEvent, ShowState } from "../domain/show/types.ts";
import { Mailbox, type Outcome } from "./mailbox.ts";
import type { Store } from "./store.ts";

export type Reply = { ok: true; state: ShowState; events: ShowEvent[] } | { ok: false; rejection: Rejection; state: ShowState };

export interface ShowActorOptions {
  store: Store;
  clock?: () => number;
  /** Called after each committed batch, in order; for notifications, never for correctness. */
  onCommitted?: (showId: string, events: ShowEvent[], state: ShowState) => void;
  /** Called when an expiry could not be processed (the store is down); it will be retried. */
  onError?: (error: unknown) => void;
}

// setTimeout cannot wait longer than this; a later deadline simply re-arms the timer.
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_EXPIRY_MS = 1_000;

export const journalKey = (showId: string) => `show:${showId}`;

export class ShowActor {
  readonly showId: string;
  #state: ShowState;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #mailbox: Mailbox<ShowCommand, Reply>;
  readonly #store: Store;
  readonly #clock: () => number;
  readonly #onCommitted: ShowActorOptions["onCommitted"];
  readonly #onError: ShowActorOptions["onError"];

  private constructor(showId: string, state: ShowState, options: ShowActorOptions) {
    this.showId = showId;
    this.#state = state;
    this.#store = options.store;
    this.#clock = options.clock ?? Date.now;
    this.#onCommitted = options.onCommitted;
    this.#onError = options.onError;
    this.#mailbox = new Mailbox((batch) => this.#run(batch));
  }

  /** Loads the show's journal and replays it; holds that lapsed while nobody owned it expire now. */
  static async activate(showId: string, options: ShowActorOptions): Promise<ShowActor> {
    const events = await options.store.read<ShowEvent>(journalKey(showId));
    const actor = new ShowActor(showId, replay(showId, events), options);
    actor.#armExpiry();
    return actor;
  }

  /** The committed state: reads never wait behind the mailbox. */
  get state(): ShowState {
    return this.#state;
  }

  get scheduled(): boolean {
    return this.#state.startsAt !== 0;
  }

  get queued(): number {
    return this.#mailbox.pending;
  }

  execute(command: ShowCommand): Promise<Reply> {
    if (this.#stopped) return Promise.reject(new Error(`show actor ${this.showId} is stopped`));
    return this.#mailbox.post(command);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #run(batch: ShowCommand[]): Promise<Outcome<Reply>[]> {
    const now = this.#clock();
    let state = this.#state;
    const events: ShowEvent[] = [];
    const apply = (e: ShowEvent) => { state = evolve(state, e); events.push(e); };

    // Lapsed holds are expired before anything else, so a late timer can never let a stale
    // hold block a seat or be booked.
    if (state.startsAt !== 0) {
      const expiry = decide(state, { type: "ExpireHolds" }, now);
      if (expiry.ok) expiry.events.forEach(apply);
    }

    const replies: Reply[] = batch.map((command) => {
      const decision = decide(state, command, now);
      if (!decision.ok) return { ok: false, rejection: decision.rejection, state };
      decision.events.forEach(apply);
      return { ok: true, state, events: decision.events };
    });

    if (events.length) {
      // Nothing is acknowledged until the whole batch is stored in one write; if that fails,
      // every command of the batch fails and the committed state stays as it was.
      await this.#store.append(journalKey(this.showId), events);
      this.#state = state;
      this.#onCommitted?.(this.showId, events, state);
    }
    // Re-armed after every batch, including an early timer tick that found nothing due yet.
    this.#armExpiry();
    return replies.map((value) => ({ ok: true, value }));
  }

  #armExpiry(): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    let next = Infinity;
    for (const hold of Object.values(this.#state.holds)) next = Math.min(next, hold.expiresAt);
    if (next === Infinity) return;
    const delay = Math.min(Math.max(0, next - this.#clock()), MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.execute({ type: "ExpireHolds" }).catch((error) => {
        this.#onError?.(error);
        if (!this.#stopped) this.#timer = setTimeout(() => this.#armExpiry(), RETRY_EXPIRY_MS);
      });
    }, delay);
    this.#timer.unref?.();
  }
}

