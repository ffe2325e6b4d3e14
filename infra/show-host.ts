// Where a node keeps its live show actors, in the spirit of Orleans' Catalog and
// ActivationDirectory: which shows are active here (an LRU bounded by count and idle time),
// activating one on demand only while this node holds its shard's lease, passivating idle ones,
// never two actors of one show at once, and handing a shard over (graceful stop, rebalancing).
// It knows nothing of Moleculer: the service gives it how to activate a show and where a free
// shard belongs, and turns its errors into answers.
import { LRUCache } from "lru-cache";
import type { ShowCommand } from "../domain/show/types.ts";
import { NotOwnerError, type ShardLeases } from "./shard-leases.ts";
import { ActorStoppedError, type Reply, type ShowActor } from "./show-actor.ts";
import { StaleEpochError, StoreUnavailableError, type Fence } from "./store.ts";

export interface ShowHostOptions {
  leases: ShardLeases;
  shardOf: (showId: string) => number;
  maxActive: number;
  idleMs: number;
  /**
   * A free shard is taken by its preferred node only: the node to point a caller at instead of
   * this one, or undefined when this node may take it (always so on one node).
   */
  elsewhere: (shard: number) => string | undefined;
  /** Loads (and, the first time, schedules) a show's actor, writing under `fence`. */
  activate: (showId: string, fence: () => Fence) => Promise<ShowActor>;
}

/** The actor's reply to an accepted command. */
export type Accepted = Extract<Reply, { ok: true }>;

export class ShowHost {
  readonly #o: ShowHostOptions;
  readonly #actors: LRUCache<string, Promise<ShowActor>>;
  // Actors being passivated: a show is activated again only after its old actor has finished
  // what it accepted, so two actors of one show never exist on one node.
  readonly #retiring = new Map<string, Promise<void>>();
  readonly #handingOver = new Set<number>();

  constructor(options: ShowHostOptions) {
    this.#o = options;
    this.#actors = new LRUCache<string, Promise<ShowActor>>({
      max: options.maxActive,
      ttl: options.idleMs,
      ttlAutopurge: true,
      updateAgeOnGet: true,
      dispose: (live, showId, reason) => { if (reason !== "set") this.#retire(showId, live); },
    });
  }

  /** Live actors on this node. */
  get size(): number {
    return this.#actors.size;
  }

  /** What waits in every live actor's mailbox. */
  async queued(): Promise<number> {
    const queued = await Promise.all([...this.#actors.values()].map((live) => live.then((a) => a.queued, () => 0)));
    return queued.reduce((sum, n) => sum + n, 0);
  }

  /** The live actor of a show, which this node must own; NotOwnerError names who does. */
  async actor(showId: string): Promise<ShowActor> {
    const s = this.#o.shardOf(showId);
    if (this.#handingOver.has(s)) throw new NotOwnerError(s, undefined, 0);
    if (!this.#o.leases.fence(s)) {
      const preferred = this.#o.elsewhere(s);
      if (preferred) throw new NotOwnerError(s, preferred, 0);
    }
    await this.#o.leases.claim(s);
    for (;;) {
      const pending = this.#retiring.get(showId);
      if (pending) await pending;
      let live = this.#actors.get(showId);
      if (!live) {
        const activating = this.#o.activate(showId, () => {
          const fence = this.#o.leases.fence(s);
          if (!fence) throw new NotOwnerError(s, undefined, 0);
          return fence;
        });
        live = activating;
        this.#actors.set(showId, activating);
        // A failed activation must not stick: the next request tries again.
        activating.catch(() => { if (this.#actors.peek(showId) === activating) this.#actors.delete(showId); });
      }
      const actor = await live;
      if (!actor.stopped) return actor;
    }
  }

  /**
   * Runs a command on the show's actor. A reply is returned whether accepted or refused; a
   * command that could not be stored throws: NotOwnerError when another node owns the show now.
   */
  async execute(showId: string, command: ShowCommand): Promise<Reply> {
    const s = this.#o.shardOf(showId);
    for (let attempt = 0; ; attempt++) {
      const actor = await this.actor(showId);
      try {
        return await actor.execute(command);
      } catch (error) {
        // Passivated between lookup and post: activate again.
        if (error instanceof ActorStoppedError && attempt < 3) continue;
        if (error instanceof NotOwnerError && attempt < 2) {
          // This node's own lease ran out before the write (a renewal delayed by a busy event
          // loop), and nothing was written: claim it again, which finds it still ours or free,
          // or names the node that has it now.
          this.#o.leases.forget(s);
          continue;
        }
        if (error instanceof StaleEpochError || error instanceof NotOwnerError) {
          // Another node owns the shard now: drop everything this node had of it.
          this.#o.leases.forget(s);
          throw new NotOwnerError(s, undefined, 0);
        }
        // A write that timed out may still land in the journal: the actor's state can no
        // longer be trusted to match it, so the next command replays the journal instead.
        if (error instanceof StoreUnavailableError) this.#actors.delete(showId);
        throw error;
      }
    }
  }

  /** Stops every actor of a shard and waits until they have finished what they accepted. */
  async stopShard(s: number): Promise<void> {
    for (const showId of [...this.#actors.keys()]) if (this.#o.shardOf(showId) === s) this.#actors.delete(showId);
    await Promise.all([...this.#retiring].filter(([showId]) => this.#o.shardOf(showId) === s).map(([, done]) => done));
  }

  /** Finishes the shard's shows and gives its lease up, so the next caller finds a new owner at once. */
  async handOver(s: number): Promise<void> {
    this.#handingOver.add(s);
    try {
      await this.stopShard(s);
      await this.#o.leases.release(s);
    } finally {
      this.#handingOver.delete(s);
    }
  }

  /** Hands every shard over (a graceful stop) and forgets every actor. */
  async stop(): Promise<void> {
    await Promise.all(this.#o.leases.held().map(({ shard }) => this.handOver(shard).catch(() => undefined)));
    this.#actors.clear();
  }

  #retire(showId: string, live: Promise<ShowActor>): void {
    const done: Promise<void> = live.then((a) => a.stop(), () => undefined).finally(() => {
      if (this.#retiring.get(showId) === done) this.#retiring.delete(showId);
    });
    this.#retiring.set(showId, done);
  }
}
