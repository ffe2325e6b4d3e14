// The live seat map of each show, fanned out to the browsers watching it through this gateway
// node. The show actor broadcasts one message per committed batch; here bursts are coalesced
// (one write per watcher per show every `flushMs`), a short history per show lets a client that
// reconnects with Last-Event-ID resume without loss, and shows nobody watches cost nothing.
import { LRUCache } from "lru-cache";

export type SeatStatuses = Record<string, string>;

/** One server-sent event, already framed. */
export type Send = (frame: string) => void;

interface Change { from: number; version: number; seats: SeatStatuses }

interface Channel {
  watchers: Set<Send>;
  history: Change[];
  pending: Change | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Highest version delivered or buffered: older broadcasts (a failover's stragglers) are dropped. */
  version: number;
}

export const frame = (event: string, data: unknown, id?: number): string =>
  `${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export interface LiveFeedOptions { flushMs?: number; historyPerShow?: number; maxShows?: number }

export class LiveFeed {
  readonly #channels: LRUCache<string, Channel>;
  readonly #flushMs: number;
  readonly #historyPerShow: number;

  constructor(options: LiveFeedOptions = {}) {
    this.#flushMs = options.flushMs ?? 100;
    this.#historyPerShow = options.historyPerShow ?? 256;
    this.#channels = new LRUCache<string, Channel>({
      max: options.maxShows ?? 10_000,
      // A show with watchers is never dropped; one without is forgotten when space is needed.
      dispose: (channel) => clearTimeout(channel.timer),
    });
  }

  #channel(showId: string): Channel {
    let channel = this.#channels.get(showId);
    if (!channel) this.#channels.set(showId, (channel = { watchers: new Set(), history: [], pending: undefined, timer: undefined, version: 0 }));
    return channel;
  }

  /** A committed batch of a show: `count` events ending at `version`, and the seats it changed. */
  publish(showId: string, version: number, count: number, seats: SeatStatuses): void {
    const channel = this.#channels.get(showId);
    if (!channel || version <= channel.version) return;
    channel.version = version;
    const change: Change = { from: version - count + 1, version, seats };
    channel.history.push(change);
    if (channel.history.length > this.#historyPerShow) channel.history.shift();
    if (channel.watchers.size === 0) return;
    channel.pending = channel.pending
      ? { from: channel.pending.from, version, seats: { ...channel.pending.seats, ...seats } }
      : change;
    channel.timer ??= setTimeout(() => this.#flush(showId, channel), this.#flushMs);
  }

  /** Prices moved: watchers refetch them. Sent at once, without an id (it is not a seat change). */
  publishPrices(showId: string, multiplier: number): void {
    this.broadcast(showId, "prices", { showId, multiplier });
  }

  /**
   * One event to every watcher of a key at once, without an id or history: for streams whose
   * every event is a whole state (an on-sale's queue), where a reconnecting client needs the
   * latest, not what it missed.
   */
  broadcast(key: string, event: string, data: unknown): void {
    const channel = this.#channels.get(key);
    if (!channel || channel.watchers.size === 0) return;
    const message = frame(event, data);
    for (const send of channel.watchers) send(message);
  }

  /** Watches a key's broadcasts; the function returned stops watching. */
  subscribe(key: string, send: Send): () => void {
    const channel = this.#channel(key);
    channel.watchers.add(send);
    return () => channel.watchers.delete(send);
  }

  #flush(showId: string, channel: Channel): void {
    channel.timer = undefined;
    const change = channel.pending;
    channel.pending = undefined;
    if (!change) return;
    const message = frame("seats", { showId, version: change.version, seats: change.seats }, change.version);
    for (const send of channel.watchers) send(message);
  }

  /**
   * Starts watching before the snapshot is read, so nothing committed in between is missed.
   * Then either `resume(lastVersion)` (true when the history covers everything after it) or
   * `start(snapshotVersion, seats)`.
   */
  watch(showId: string, send: Send) {
    const channel = this.#channel(showId);
    // Until the stream starts, the channel's history keeps what is committed meanwhile.
    const replayAfter = (after: number) => {
      for (const c of channel.history) if (c.version > after) send(frame("seats", { showId, version: c.version, seats: c.seats }, c.version));
      channel.watchers.add(send);
    };
    return {
      resume(lastVersion: number): boolean {
        const first = channel.history.find((c) => c.version > lastVersion);
        // The history must reach back to the event right after the client's last one.
        const covered = first ? first.from <= lastVersion + 1 : channel.version === lastVersion && lastVersion > 0;
        if (covered) replayAfter(lastVersion);
        return covered;
      },
      start(version: number, seats: SeatStatuses): void {
        send(frame("snapshot", { showId, version, seats }, version));
        channel.version = Math.max(channel.version, version);
        replayAfter(version);
      },
      close(): void {
        channel.watchers.delete(send);
      },
    };
  }

  watchers(showId: string): number {
    return this.#channels.get(showId)?.watchers.size ?? 0;
  }
}
