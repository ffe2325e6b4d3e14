// The shards this node owns, through leases with fencing epochs in the store. A node serves a
// shard only while its lease is certainly still its own: validity is counted from the moment a
// grant or renewal was *requested*, minus a safety margin, so a node paused or cut off stops
// serving before anyone else can be granted the lease. Fencing catches whatever slips through.
import { shardLease } from "./placement.ts";
import type { Fence, Store } from "./store.ts";

export class NotOwnerError extends Error {
  readonly shard: number;
  readonly owner: string | undefined;
  readonly remainingMs: number;
  constructor(shard: number, owner: string | undefined, remainingMs: number) {
    super(owner ? `shard ${shard} is owned by ${owner}` : `shard ${shard} has no owner right now`);
    this.name = "NotOwnerError";
    this.shard = shard;
    this.owner = owner;
    this.remainingMs = remainingMs;
  }
}

interface Held { epoch: number; validUntil: number; since: number }

export interface ShardLeasesOptions {
  store: Store;
  nodeID: string;
  ttlMs: number;
  /** A shard was lost (renewal refused or too late): stop serving its shows at once. */
  onLost: (shard: number) => void;
  /** A shard's lease was granted to this node (for metrics). */
  onAcquired?: (shard: number) => void;
  clock?: () => number;
}

export class ShardLeases {
  readonly #held = new Map<number, Held>();
  readonly #claiming = new Map<number, Promise<Fence>>();
  readonly #o: Required<ShardLeasesOptions>;

  constructor(options: ShardLeasesOptions) {
    this.#o = { clock: Date.now, onAcquired: () => undefined, ...options };
  }

  /** Serving stops this long before the lease could lapse in the store. */
  get #margin(): number {
    return Math.max(200, Math.floor(this.#o.ttlMs / 4));
  }

  /** The fence to write under, while this node certainly holds the shard. */
  fence(shard: number): Fence | undefined {
    const held = this.#held.get(shard);
    if (!held) return undefined;
    if (held.validUntil <= this.#o.clock()) {
      this.#lose(shard);
      return undefined;
    }
    return { lease: shardLease(shard), epoch: held.epoch };
  }

  /** The shard's fence, acquiring the lease if it is free; NotOwnerError when another node has it. */
  claim(shard: number): Promise<Fence> {
    const fence = this.fence(shard);
    if (fence) return Promise.resolve(fence);
    let claiming = this.#claiming.get(shard);
    if (!claiming) {
      claiming = this.#acquire(shard).finally(() => this.#claiming.delete(shard));
      this.#claiming.set(shard, claiming);
    }
    return claiming;
  }

  async #acquire(shard: number): Promise<Fence> {
    const asked = this.#o.clock();
    const grant = await this.#o.store.acquireLease(shardLease(shard), this.#o.nodeID, this.#o.ttlMs);
    if (!grant.granted) throw new NotOwnerError(shard, grant.owner, grant.remainingMs);
    this.#held.set(shard, { epoch: grant.epoch, validUntil: asked + this.#o.ttlMs - this.#margin, since: asked });
    this.#o.onAcquired(shard);
    return { lease: shardLease(shard), epoch: grant.epoch };
  }

  /** Renews every held shard in one round trip; shards that could not be renewed are lost. */
  async renew(): Promise<void> {
    const shards = [...this.#held.keys()];
    if (shards.length === 0) return;
    const asked = this.#o.clock();
    const fences = shards.map((s) => ({ lease: shardLease(s), epoch: this.#held.get(s)!.epoch }));
    let renewed: boolean[];
    try {
      renewed = await this.#o.store.renewLeases(fences, this.#o.nodeID, this.#o.ttlMs);
    } catch {
      // The store is unreachable: keep serving until validity runs out, then stop.
      for (const s of shards) this.fence(s);
      return;
    }
    shards.forEach((shard, i) => {
      const held = this.#held.get(shard);
      if (!held || held.epoch !== fences[i]!.epoch) return;
      if (renewed[i]) held.validUntil = asked + this.#o.ttlMs - this.#margin;
      else this.#lose(shard);
    });
  }

  /** Hands a shard over at once (graceful stop or rebalancing). Stop its shows first. */
  async release(shard: number): Promise<void> {
    const held = this.#held.get(shard);
    if (!held) return;
    this.#held.delete(shard);
    await this.#o.store.releaseLease({ lease: shardLease(shard), epoch: held.epoch }, this.#o.nodeID);
  }

  /** Shards held, with how long each has been held (for rebalancing hysteresis). */
  held(): { shard: number; epoch: number; heldForMs: number }[] {
    const now = this.#o.clock();
    return [...this.#held].map(([shard, h]) => ({ shard, epoch: h.epoch, heldForMs: now - h.since }));
  }

  /** The shard turned out to be someone else's (a write was fenced off): stop serving it. */
  forget(shard: number): void {
    this.#lose(shard);
  }

  #lose(shard: number): void {
    if (!this.#held.delete(shard)) return;
    this.#o.onLost(shard);
  }
}
