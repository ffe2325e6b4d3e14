// One actor per show. This file only wires the ShowActor runtime (infra/show-actor.ts) and the
// pure decider (domain/show) into Moleculer actions; every rule lives in the decider.
//
// In a cluster a show is served only by the node that holds its shard's lease (infra/
// shard-leases.ts); every write is fenced by the lease's epoch, so a node that lost its lease,
// however paused or cut off, cannot write a single event. Idle actors are passivated (an LRU
// bounded by count and idle time) and come back from the store on demand.
import type { Context, ServiceSchema } from "moleculer";
import { LRUCache } from "lru-cache";
import type { ShowCommand, ShowState } from "../domain/show/types.ts";
import { bookingHistory, bookingOf, demand, holdView, occupancy, seatsBookedBy, seatsNow, seatStatuses, seatsTouched, stats } from "../domain/show/views.ts";
import type { Quote } from "../domain/pricing/quote.ts";
import { preferredNode, shardOf } from "../infra/placement.ts";
import { SeatChangeOutbox } from "../infra/seat-changes.ts";
import { NotOwnerError, ShardLeases } from "../infra/shard-leases.ts";
import { ActorStoppedError, journalKey, ShowActor, type Reply } from "../infra/show-actor.ts";
import { StaleEpochError } from "../infra/store.ts";
import type { ServiceDeps } from "./deps.ts";
import { holdIdParam, idParam as id } from "./params.ts";
import { showNodes } from "./show.routing.ts";
import { MarqueeError, NotFoundError, rejectionError, ServiceUnavailableError } from "./errors.ts";

interface CatalogShow {
  id: string;
  startsAt: string;
  seats: { id: string; forSale: boolean }[];
}

const showParams = { showId: id };

/** A shard is moved to its preferred node only after it has sat still this long (no ping-pong). */
const REBALANCE_AFTER_MS = 10_000;
const HANDOVERS_PER_TICK = 8;

/** The retryable answer of a node that does not serve a show; callers retry at the owner. */
export function notOwner(showId: string, shard: number, owner: string | undefined, remainingMs = 0): MarqueeError {
  return new ServiceUnavailableError(
    owner ? `Show ${showId} is served by node ${owner}` : `Show ${showId} is moving between nodes; retry in a moment`,
    Math.max(1, Math.ceil(remainingMs / 1000)), "NOT_OWNER", { showId, shard, ...(owner ? { owner } : {}) },
  );
}

export default function showActor({ config, store }: ServiceDeps): ServiceSchema {
  let leases: ShardLeases;
  let seatChanges: SeatChangeOutbox<ShowState>;
  let ticker: NodeJS.Timeout | undefined;
  const handingOver = new Set<number>();
  // Actors being passivated: a show is activated again only after its old actor has finished
  // what it accepted, so two actors of one show never exist on one node.
  const retiring = new Map<string, Promise<void>>();
  const retire = (showId: string, live: Promise<ShowActor>) => {
    const done: Promise<void> = live.then((a) => a.stop(), () => undefined).finally(() => {
      if (retiring.get(showId) === done) retiring.delete(showId);
    });
    retiring.set(showId, done);
  };
  const actors = new LRUCache<string, Promise<ShowActor>>({
    max: config.maxActiveShows,
    ttl: config.showIdleMs,
    ttlAutopurge: true,
    updateAgeOnGet: true,
    dispose: (live, showId, reason) => { if (reason !== "set") retire(showId, live); },
  });
  const shard = (showId: string) => shardOf(showId, config.showShards);

  /** Stops every actor of a shard and waits until they have finished what they accepted. */
  const stopShard = async (s: number) => {
    for (const showId of [...actors.keys()]) if (shard(showId) === s) actors.delete(showId);
    await Promise.all([...retiring].filter(([showId]) => shard(showId) === s).map(([, done]) => done));
  };

  return {
    name: "show",

    methods: {
      /** The live actor of a show on this node, which must own the show's shard. */
      async actor(ctx: Context, showId: string): Promise<ShowActor> {
        const s = shard(showId);
        if (handingOver.has(s)) throw notOwner(showId, s, undefined);
        if (!leases.fence(s) && this.broker.transit) {
          // A free shard is taken by its preferred node only; anyone else points the caller
          // there, so a shard handed over for rebalancing does not bounce straight back.
          const preferred = preferredNode(s, showNodes(this.broker));
          if (preferred && preferred !== this.broker.nodeID) throw notOwner(showId, s, preferred);
        }
        try {
          await leases.claim(s);
        } catch (error) {
          if (error instanceof NotOwnerError) throw notOwner(showId, s, error.owner, error.remainingMs);
          throw error;
        }
        for (;;) {
          const pending = retiring.get(showId);
          if (pending) await pending;
          let live = actors.get(showId);
          if (!live) {
            const activating: Promise<ShowActor> = this.activate(ctx, showId, s);
            live = activating;
            actors.set(showId, activating);
            // A failed activation must not stick: the next request tries again.
            activating.catch(() => { if (actors.peek(showId) === activating) actors.delete(showId); });
          }
          const actor = await live;
          if (!actor.stopped) return actor;
        }
      },

      async activate(ctx: Context, showId: string, s: number): Promise<ShowActor> {
        const actor = await ShowActor.activate(showId, {
          store,
          fence: () => {
            const fence = leases.fence(s);
            if (!fence) throw new NotOwnerError(s, undefined, 0);
            return fence;
          },
          onCommitted: (sid, events, state) => seatChanges.add(sid, state.version, events.length, state, seatsTouched(state, events)),
          onError: (error) => this.logger.warn(`show ${showId}: expiring holds failed, will retry`, error),
        });
        if (!actor.scheduled) {
          const show = await ctx.call<CatalogShow | null, { showId: string }>("catalog.getShow", { showId }).catch((error: unknown) => {
            if (error instanceof Error && (error as MarqueeError).code === 404) return null;
            throw error;
          });
          if (!show) {
            await actor.stop();
            throw new NotFoundError("Show", showId);
          }
          await actor.execute({ type: "ScheduleShow", showId, startsAt: Date.parse(show.startsAt), seats: show.seats.map((seat) => ({ id: seat.id, forSale: seat.forSale })) })
            .catch((error: unknown) => { void actor.stop(); throw error; });
        }
        return actor;
      },

      async command(ctx: Context, showId: string, command: ShowCommand): Promise<Extract<Reply, { ok: true }>> {
        for (let attempt = 0; ; attempt++) {
          const actor: ShowActor = await this.actor(ctx, showId);
          let reply: Reply;
          try {
            reply = await actor.execute(command);
          } catch (error) {
            // Passivated between lookup and post: activate again.
            if (error instanceof ActorStoppedError && attempt < 3) continue;
            if (error instanceof StaleEpochError || error instanceof NotOwnerError) {
              // Another node owns the shard now: drop everything this node had of it.
              leases.forget(shard(showId));
              throw notOwner(showId, shard(showId), undefined);
            }
            throw error;
          }
          if (!reply.ok) throw rejectionError(reply.rejection, showId);
          return reply;
        }
      },

      /** Finishes the shard's shows and gives its lease up, so the next caller finds a new owner at once. */
      async handOver(s: number): Promise<void> {
        handingOver.add(s);
        try {
          await stopShard(s);
          await leases.release(s);
        } finally {
          handingOver.delete(s);
        }
      },

      /** Renews leases; in a cluster, moves shards that have a better home to it. */
      async tick(): Promise<void> {
        await leases.renew();
        if (!this.broker.transit) return;
        const nodes: string[] = showNodes(this.broker);
        const moves = leases.held()
          .filter((h) => h.heldForMs >= REBALANCE_AFTER_MS && preferredNode(h.shard, nodes) !== this.broker.nodeID)
          .slice(0, HANDOVERS_PER_TICK);
        for (const { shard: s } of moves) {
          this.logger.info(`show: handing shard ${s} over to ${preferredNode(s, nodes)}`);
          await this.handOver(s);
        }
      },
    },

    actions: {
      hold: {
        params: { ...showParams, holdId: holdIdParam, userId: id, seats: { type: "array", items: "string", max: 1000 }, quote: { type: "object" }, maxPerAccount: { type: "number", integer: true, positive: true, optional: true } },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string; seats: string[]; quote: Quote; maxPerAccount?: number }>) {
          const { showId, holdId, userId, seats, quote, maxPerAccount } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "HoldSeats", holdId, userId, seats, quote, ttlMs: config.holdTtlMs, maxSeats: config.maxSeatsPerHold, ...(maxPerAccount !== undefined ? { maxPerAccount } : {}) });
          return holdView(reply.state, holdId, userId);
        },
      },

      release: {
        params: { ...showParams, holdId: holdIdParam, userId: id },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string }>) {
          const { showId, holdId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "ReleaseHold", holdId, userId });
          return holdView(reply.state, holdId, userId);
        },
      },

      startPayment: {
        params: { ...showParams, holdId: holdIdParam, userId: id, attemptId: { type: "string", min: 1, max: 300, optional: true } },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string; attemptId?: string }>) {
          const { showId, holdId, userId, attemptId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "StartPayment", holdId, userId, graceMs: config.paymentGraceMs, ...(attemptId ? { attemptId } : {}) });
          return holdView(reply.state, holdId, userId);
        },
      },

      abortPayment: {
        params: { ...showParams, holdId: holdIdParam, userId: id },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string }>) {
          const { showId, holdId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "AbortPayment", holdId, userId });
          return holdView(reply.state, holdId, userId);
        },
      },

      confirm: {
        params: { ...showParams, holdId: holdIdParam, userId: id, bookingId: id, paymentId: id },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string; bookingId: string; paymentId: string }>) {
          const { showId, holdId, userId, bookingId, paymentId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "ConfirmBooking", holdId, userId, bookingId, paymentId });
          return bookingOf(reply.state, bookingId, userId);
        },
      },

      cancel: {
        params: { ...showParams, bookingId: id, userId: { ...id, optional: true } },
        async handler(ctx: Context<{ showId: string; bookingId: string; userId?: string }>) {
          const { showId, bookingId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "CancelBooking", bookingId, userId, cutoffMs: config.cancelCutoffMs });
          return bookingOf(reply.state, bookingId);
        },
      },

      getHold: {
        params: { ...showParams, holdId: holdIdParam, userId: { ...id, optional: true } },
        async handler(ctx: Context<{ showId: string; holdId: string; userId?: string }>) {
          const { showId, holdId, userId } = ctx.params;
          const actor: ShowActor = await this.actor(ctx, showId);
          const view = holdView(actor.state, holdId, userId);
          if (!view) throw new NotFoundError("Hold", holdId, "HOLD_NOT_FOUND");
          return view;
        },
      },

      seats: {
        // With a userId, also the seats that user has booked here.
        params: { ...showParams, userId: { ...id, optional: true } },
        async handler(ctx: Context<{ showId: string; userId?: string }>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          const { state } = actor;
          return {
            showId: actor.showId, version: state.version, seats: seatStatuses(state), occupancy: occupancy(state),
            ...(ctx.params.userId ? { bookedBy: seatsBookedBy(state, ctx.params.userId) } : {}),
          };
        },
      },

      demand: {
        params: { ...showParams, windowMinutes: { type: "number", positive: true, max: 24 * 60, convert: true } },
        async handler(ctx: Context<{ showId: string; windowMinutes: number }>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return demand(actor.state, Date.now(), ctx.params.windowMinutes * 60_000);
        },
      },

      history: {
        params: showParams,
        async handler(ctx: Context<{ showId: string }>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return bookingHistory(actor.state);
        },
      },

      // ---------- operators (the admin component and the REPL check the role) ----------
      expireHold: {
        params: { ...showParams, holdId: holdIdParam },
        async handler(ctx: Context<{ showId: string; holdId: string }>) {
          const { showId, holdId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "ForceExpireHold", holdId });
          return holdView(reply.state, holdId);
        },
      },

      stats: {
        params: showParams,
        async handler(ctx: Context<{ showId: string }>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return { showId: actor.showId, version: actor.state.version, ...stats(actor.state) };
        },
      },

      /** What this node owns: its shards with their lease epochs, and its live actors. */
      owners: {
        handler() {
          return { nodeID: this.broker.nodeID, shards: leases.held(), activeShows: actors.size };
        },
      },

      journal: {
        params: showParams,
        async handler(ctx: Context<{ showId: string }>) {
          return store.read(journalKey(ctx.params.showId));
        },
      },
    },

    created() {
      // Broadcast, not emit: every gateway node relays seat changes to its own watchers.
      seatChanges = new SeatChangeOutbox(seatsNow, (changes) => { void this.broker.broadcast("show.changed", { changes }); });
      leases = new ShardLeases({
        // One process gets the same short lease as a cluster node: with Redis, a node restarted
        // after kill -9 comes back under a new id, and must find its old leases lapsed within
        // LEASE_TTL_MS, not locked to a dead holder. A lease lost to a slow renewal only costs a
        // replay of the show's journal on the next request.
        store, nodeID: this.broker.nodeID, ttlMs: config.leaseTtlMs,
        onLost: (s) => {
          this.logger.warn(`show: lost the lease of shard ${s}; its shows stop here`);
          void stopShard(s);
        },
      });
    },

    async started() {
      const every = Math.max(100, Math.floor(config.leaseTtlMs / 3));
      let running = false;
      ticker = setInterval(() => {
        if (running) return;
        running = true;
        this.tick().catch((error: unknown) => this.logger.warn("show: lease renewal failed; retrying", error)).finally(() => { running = false; });
      }, every);
    },

    async stopped() {
      clearInterval(ticker);
      // A graceful stop hands every shard over at once instead of letting leases run out.
      await Promise.all(leases.held().map(({ shard: s }) => this.handOver(s).catch(() => undefined)));
      actors.clear();
      seatChanges.flush();
    },
  };
}
