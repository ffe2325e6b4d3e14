// The runtime around the pure show decider: a mailbox so one show's commands apply strictly one
// at a time in arrival order, a timer so holds expire on time without any request, and the
// journal so every accepted event is stored before anyone hears it was accepted.
import { decide, evolve, replay } from "../domain/show/decider.ts";
import { ofSnapshot, toSnapshot, type ShowSnapshot } from "../domain/show/snapshot.ts";
import { isScheduled } from "../domain/show/state.ts";
import type { Rejection, ShowCommand, ShowEvent, ShowState } from "../domain/show/types.ts";
import { Mailbox, type Outcome } from "./mailbox.ts";
import type { Fence, Store } from "./store.ts";

export type Reply = { ok: true; state: ShowState; events: ShowEvent[] } | { ok: false; rejection: Rejection; state: ShowState };

export interface ShowActorOptions {
  store: Store;
  clock?: () => number;
  /** Called after each committed batch, in order; for notifications, never for correctness. */
  onCommitted?: (showId: string, events: ShowEvent[], state: ShowState) => void;
  /** Called with the size of every batch the mailbox hands over (for metrics). */
  onBatch?: (size: number) => void;
  /** Called when an expiry could not be processed (the store is down); it will be retried. */
  onError?: (error: unknown) => void;
  /**
   * The fence every write is made under, asked for at write time; it throws when this node no
   * longer owns the show. Without it (one process, no cluster) writes are unfenced.
   */
  fence?: () => Fence;
  /**
   * Awaited before a batch is stored, in mailbox order: for an index that must list the show
   * before the events it is about exist (the reconciler's list of shows with money in flight).
   */
  beforeAppend?: (showId: string, events: readonly ShowEvent[]) => Promise<unknown> | undefined;
  /** Write a snapshot every so many events, so activation replays only the journal's tail. */
  snapshotEvery?: number;
}

/** The actor was stopped (passivated or its shard moved): activate it again to continue. */
export class ActorStoppedError extends Error {
  constructor(showId: string) {
    super(`show actor ${showId} is stopped`);
    this.name = "ActorStoppedError";
  }
}

// setTimeout cannot wait longer than this; a later deadline simply re-arms the timer.
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_EXPIRY_MS = 1_000;

export const journalKey = (showId: string) => `show:${showId}`;

export class ShowActor {
  readonly showId: string;
  #state: ShowState;
  #timer: NodeJS.Timeout | undefined;
  /** The deadline the expiry timer is set for. */
  #armedFor: number | undefined;
  #stopped = false;
  readonly #mailbox: Mailbox<ShowCommand, Reply>;
  readonly #store: Store;
  readonly #clock: () => number;
  readonly #onCommitted: ShowActorOptions["onCommitted"];
  readonly #onError: ShowActorOptions["onError"];
  readonly #onBatch: ShowActorOptions["onBatch"];
  readonly #fence: ShowActorOptions["fence"];
  readonly #beforeAppend: ShowActorOptions["beforeAppend"];
  readonly #snapshotEvery: number;
  #snapshotVersion: number;

  private constructor(showId: string, state: ShowState, options: ShowActorOptions, snapshotVersion: number) {
    this.showId = showId;
    this.#state = state;
    this.#store = options.store;
    this.#clock = options.clock ?? Date.now;
    this.#onCommitted = options.onCommitted;
    this.#onError = options.onError;
    this.#onBatch = options.onBatch;
    this.#fence = options.fence;
    this.#beforeAppend = options.beforeAppend;
    this.#snapshotEvery = options.snapshotEvery ?? 500;
    this.#snapshotVersion = snapshotVersion;
    this.#mailbox = new Mailbox((batch) => this.#run(batch));
  }

  /**
   * Loads the latest snapshot and replays the journal after it; holds that lapsed while nobody
   * owned the show expire with its first command or timer tick.
   */
  static async activate(showId: string, options: ShowActorOptions): Promise<ShowActor> {
    const snapshot = ofSnapshot(await options.store.get<ShowSnapshot>("snapshots", showId));
    const events = await options.store.read<ShowEvent>(journalKey(showId), snapshot?.version ?? 0);
    const actor = new ShowActor(showId, replay(showId, events, snapshot), options, snapshot?.version ?? 0);
    actor.#armExpiry();
    return actor;
  }

  /** The committed state: reads never wait behind the mailbox. */
  get state(): ShowState {
    return this.#state;
  }

  get scheduled(): boolean {
    return isScheduled(this.#state);
  }

  /** No command is being decided or stored, and none waits. */
  get idle(): boolean {
    return !this.#mailbox.busy;
  }

  get queued(): number {
    return this.#mailbox.pending;
  }

  execute(command: ShowCommand): Promise<Reply> {
    if (this.#stopped) return Promise.reject(new ActorStoppedError(this.showId));
    return this.#mailbox.post(command);
  }

  /** Takes no new commands; resolves when those already accepted into the mailbox are done. */
  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    return this.#mailbox.idle();
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  async #run(batch: ShowCommand[]): Promise<Outcome<Reply>[]> {
    this.#onBatch?.(batch.length);
    const now = this.#clock();
    let state = this.#state;
    const events: ShowEvent[] = [];
    const apply = (e: ShowEvent) => { state = evolve(state, e); events.push(e); };

    // Lapsed holds are expired before anything else, so a late timer can never let a stale
    // hold block a seat or be booked.
    if (isScheduled(state)) {
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
      const listed = this.#beforeAppend?.(this.showId, events);
      if (listed) await listed;
      await this.#store.append(journalKey(this.showId), events, this.#fence?.());
      this.#state = state;
      this.#onCommitted?.(this.showId, events, state);
      if (state.version - this.#snapshotVersion >= this.#snapshotEvery) this.#snapshot(state);
    }
    // Re-armed after every batch, including an early timer tick that found nothing due yet.
    this.#armExpiry();
    return replies.map((value) => ({ ok: true, value }));
  }

  // A snapshot is only ever taken of committed state, so it is always a prefix of the journal;
  // losing one costs a longer replay, never correctness.
  #snapshot(state: ShowState): void {
    this.#snapshotVersion = state.version;
    this.#store.put<ShowSnapshot>("snapshots", this.showId, toSnapshot(state)).catch((error) => this.#onError?.(error));
  }

  #armExpiry(): void {
    if (this.#stopped) {
      clearTimeout(this.#timer);
      return;
    }
    let next = Infinity;
    for (const hold of this.#state.holds) next = Math.min(next, hold.expiresAt);
    // A timer already set for this deadline or an earlier one stays: when it fires early (the
    // hold it was set for has ended) the sweep finds nothing and sets the next one. Only an
    // earlier deadline needs a new timer, so a show whose holds come and go does not set and
    // clear a timer for every one of them.
    if (this.#armedFor !== undefined && this.#armedFor <= next) return;
    clearTimeout(this.#timer);
    this.#armedFor = undefined;
    if (next === Infinity) return;
    const delay = Math.min(Math.max(0, next - this.#clock()), MAX_TIMER_MS);
    this.#armedFor = next;
    this.#timer = setTimeout(() => {
      this.#armedFor = undefined;
      this.execute({ type: "ExpireHolds" }).catch((error) => {
        this.#onError?.(error);
        if (!this.#stopped) this.#timer = setTimeout(() => this.#armExpiry(), RETRY_EXPIRY_MS);
      });
    }, delay);
    this.#timer.unref?.();
  }
}

