// Seat changes on their way from the show actors of this node to every gateway's live feed. A
// busy node commits many batches in one turn of the event loop; broadcasting each one cost
// more than deciding it. Here they are gathered per show and sent as one message per turn:
// each show's entry spans every version it moved through, with the latest status of every
// seat any of them touched, so a watcher's resume (Last-Event-ID) stays exact.
import type { SeatStatuses } from "./live-feed.ts";

export interface SeatChange {
  showId: string;
  /** The version this change brings the show to, and how many events it spans. */
  version: number;
  count: number;
  seats: SeatStatuses;
}

interface Pending<S> { from: number; version: number; state: S; seats: Set<string> }

export class SeatChangeOutbox<S> {
  readonly #pending = new Map<string, Pending<S>>();
  readonly #statusesOf: (state: S, seats: Iterable<string>) => SeatStatuses;
  readonly #send: (changes: SeatChange[]) => void;
  #scheduled: NodeJS.Immediate | undefined;

  /** `statusesOf` reads seat statuses from a committed state; `send` delivers one turn's changes. */
  constructor(statusesOf: (state: S, seats: Iterable<string>) => SeatStatuses, send: (changes: SeatChange[]) => void) {
    this.#statusesOf = statusesOf;
    this.#send = send;
  }

  /** A committed batch of `count` events that left the show at `version` in `state`. */
  add(showId: string, version: number, count: number, state: S, seats: Iterable<string>): void {
    const pending = this.#pending.get(showId);
    if (pending) {
      pending.version = version;
      pending.state = state;
      for (const seat of seats) pending.seats.add(seat);
    } else {
      this.#pending.set(showId, { from: version - count + 1, version, state, seats: new Set(seats) });
    }
    this.#scheduled ??= setImmediate(() => this.flush());
  }

  /** Sends what has gathered now (also on stop, so the last changes are not lost). */
  flush(): void {
    clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#pending.size === 0) return;
    const changes: SeatChange[] = [];
    for (const [showId, p] of this.#pending) {
      // Statuses are read from the latest state, which is the one `version` names.
      changes.push({ showId, version: p.version, count: p.version - p.from + 1, seats: this.#statusesOf(p.state, p.seats) });
    }
    this.#pending.clear();
    this.#send(changes);
  }
}
