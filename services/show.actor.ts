// One actor per show. This file wires the show host (infra/show-host.ts: which actors live on
// this node, activation under the shard's lease, passivation, hand-over), the ShowActor runtime
// (infra/show-actor.ts) and the pure decider (domain/show) into Moleculer actions, and settles
// the money of the shows it serves; every rule lives in the decider.
//
// In a cluster a show is served only by the node that holds its shard's lease (infra/
// shard-leases.ts); every write is fenced by the lease's epoch, so a node that lost its lease,
// however paused or cut off, cannot write a single event.
import { Context, type ServiceBroker, type ServiceSchema } from "moleculer";
import type { AttemptRef, RefundOutcome, RefundRef } from "../domain/payment/gateway.ts";
import type { BestSeats, PaymentOutcome, RefundPolicy, RefundRequested, Rejection, ShowCommand, ShowEvent, ShowState } from "../domain/show/types.ts";
import {
  bookingHistory, bookingOf, bookingsOf, type BookingView, demand, hasUnsettledMoney, holdView, ledger, moneyDue, occupancy, seatsBookedBy, seatsNow, seatStatuses,
  seatsTouched, stats,
} from "../domain/show/views.ts";
import type { Quote } from "../domain/pricing/quote.ts";
import { preferredNode, shardOf } from "../infra/placement.ts";
import { SeatChangeOutbox } from "../infra/seat-changes.ts";
import { NotOwnerError, ShardLeases } from "../infra/shard-leases.ts";
import { ShowHost, type Accepted } from "../infra/show-host.ts";
import { journalKey, ShowActor, type Reply } from "../infra/show-actor.ts";
import type { Fence } from "../infra/store.ts";
import type { ServiceDeps } from "./deps.ts";
import { newId } from "./ids.ts";
import { bookingIdParam, holdIdParam, idParam as id } from "./params.ts";
import { showNodes } from "./show.routing.ts";
import { MarqueeError, NotFoundError, rejectionError, ServiceUnavailableError } from "./errors.ts";
import { bookingCode } from "../domain/ticket/ticket.ts";
import { count, gauge, observe } from "./metrics.ts";

interface CatalogShow {
  id: string;
  startsAt: string;
  seats: { id: string; forSale: boolean }[];
}

const showParams = { showId: id };

/** Shows with money not yet settled (the reconciler's work list), and every show that ever took a payment (the ledger's). */
export const UNSETTLED = "unsettledShows";
export const PAID_SHOWS = "paidShows";

type DueRefund = ReturnType<typeof moneyDue>["refunds"][number];

/** A shard is moved to its preferred node only after it has sat still this long (no ping-pong). */
const REBALANCE_AFTER_MS = 10_000;
const HANDOVERS_PER_TICK = 8;
const ONE_PROCESS_LEASE_MS = 24 * 3_600_000;

/** The retryable answer of a node that does not serve a show; callers retry at the owner. */
export function notOwner(showId: string, shard: number, owner: string | undefined, remainingMs = 0): MarqueeError {
  return new ServiceUnavailableError(
    owner ? `Show ${showId} is served by node ${owner}` : `Show ${showId} is moving between nodes; retry in a moment`,
    Math.max(1, Math.ceil(remainingMs / 1000)), "NOT_OWNER", { showId, shard, ...(owner ? { owner } : {}) },
  );
}

/** Counts what a committed batch sold: holds placed, bookings confirmed (and their amount) or cancelled. */
function countSales(broker: ServiceBroker, events: ShowEvent[], state: ShowState): void {
  for (const event of events) {
    if (event.type === "SeatsHeld") count(broker, "marquee.holds.total");
    else if (event.type === "BookingCancelled") count(broker, "marquee.bookings.cancelled.total");
    else if (event.type === "BookingConfirmed") {
      count(broker, "marquee.bookings.total");
      const booking = state.bookings[event.bookingId];
      if (booking) count(broker, "marquee.revenue.total", { currency: booking.currency }, booking.amount);
    }
  }
}

function countConflicts(broker: ServiceBroker, rejection: Rejection): void {
  if (rejection.code !== "SEAT_UNAVAILABLE") return;
  for (const reason of new Set(rejection.seats.map((s) => s.reason))) count(broker, "marquee.hold.conflicts.total", { reason });
}

export default function showActor({ config, store }: ServiceDeps): ServiceSchema {
  let leases: ShardLeases;
  let host: ShowHost;
  let seatChanges: SeatChangeOutbox<ShowState>;
  let ticker: NodeJS.Timeout | undefined;
  let reconciler: NodeJS.Timeout | undefined;
  const shard = (showId: string) => shardOf(showId, config.showShards);

  // Listed before the events are stored (in mailbox order), so the reconciler finds every show
  // with money in flight even if this node dies the moment after.
  // A batch with no money in it (almost every hold and release) returns nothing to wait for.
  const listMoney = (showId: string, events: readonly ShowEvent[]): Promise<unknown> | undefined => {
    if (events.some((e) => e.type === "PaymentStarted")) return Promise.all([store.addToSet(UNSETTLED, showId), store.addToSet(PAID_SHOWS, showId)]);
    if (events.some((e) => e.type === "RefundRequested")) return store.addToSet(UNSETTLED, showId);
    return undefined;
  };

  return {
    name: "show",

    methods: {
      /** The live actor of a show on this node, which must own the show's shard. */
      async actor(_ctx: Context, showId: string): Promise<ShowActor> {
        try {
          return await host.actor(showId);
        } catch (error) {
          if (error instanceof NotOwnerError) throw notOwner(showId, error.shard, error.owner, error.remainingMs);
          throw error;
        }
      },

      /** Loads a show's actor and, the first time, schedules it from the catalog. */
      async activate(showId: string, fence: () => Fence): Promise<ShowActor> {
        const actor = await ShowActor.activate(showId, {
          store, fence,
          beforeAppend: listMoney,
          onCommitted: (sid, events, state) => {
            seatChanges.add(sid, state.version, events.length, state, seatsTouched(state, events));
            countSales(this.broker, events, state);
          },
          onBatch: (size) => observe(this.broker, "marquee.show.batch.size", size),
          onError: (error) => this.logger.warn(`show ${showId}: expiring holds failed, will retry`, error),
        });
        if (!actor.scheduled) {
          const show = await this.broker.call<CatalogShow | null, { showId: string }>("catalog.getShow", { showId }).catch((error: unknown) => {
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

      /** A command on the show's actor: its reply when accepted, its rejection as an error. */
      async command(_ctx: Context, showId: string, command: ShowCommand): Promise<Accepted> {
        let reply: Reply;
        try {
          reply = await host.execute(showId, command);
        } catch (error) {
          if (error instanceof NotOwnerError) throw notOwner(showId, error.shard, error.owner, error.remainingMs);
          throw error;
        }
        if (!reply.ok) {
          countConflicts(this.broker, reply.rejection);
          throw rejectionError(reply.rejection, showId);
        }
        return reply;
      },

      /**
       * Issues the refunds a command just requested and records what the processor said, then
       * answers with the booking as it stands. A refund the processor cannot be reached for stays
       * requested: the reconciler issues it again (refund ids make that safe).
       */
      async settled(ctx: Context, showId: string, bookingId: string, reply: Accepted): Promise<BookingView> {
        const requested = reply.events.filter((e): e is RefundRequested => e.type === "RefundRequested");
        let state = reply.state;
        for (const r of requested) {
          const currency = state.bookings[r.bookingId]?.currency ?? "";
          const next = await this.settleRefund(ctx, showId, { bookingId: r.bookingId, refundId: r.refundId, paymentId: r.paymentId, amount: r.amount, currency, reason: r.reason, status: "requested" as const });
          if (next) state = next;
        }
        return bookingOf(state, bookingId)!;
      },

      async settleRefund(ctx: Context, showId: string, refund: DueRefund): Promise<ShowState | undefined> {
        const { status: known, ...rest } = refund;
        const ref: RefundRef = { ...rest, showId };
        let answer: RefundOutcome;
        try {
          answer = await ctx.call<RefundOutcome, RefundRef>(known === "requested" ? "payment.refund" : "payment.refundStatus", ref);
        } catch (error) {
          this.logger.warn(`show ${showId}: refund ${refund.refundId} not issued yet, will retry`, (error as Error).message);
          return undefined;
        }
        const learnsId = answer.processorId !== undefined && refund.processorId === undefined;
        if (answer.status === known && !learnsId) return undefined;
        const reply = await this.command(ctx, showId, {
          type: "RecordRefund", bookingId: refund.bookingId, refundId: refund.refundId, status: answer.status,
          ...(answer.processorId ? { processorId: answer.processorId } : {}),
        });
        return reply.state;
      },

      /**
       * Settles the money of the shows this node serves: attempts with no outcome past
       * PAYMENT_SETTLE_AFTER_MS are looked up at the processor by attempt id (which voids one it
       * never charged) and recorded, so a charge that went through is confirmed or refunded;
       * refunds not yet settled are issued or checked again. Runs on the show's owner, so it
       * follows shard moves and failover.
       */
      async reconcile(): Promise<void> {
        const shows = await store.members(UNSETTLED);
        const ctx = Context.create(this.broker, null as never, {}, {});
        for (const showId of shows) {
          let actor: ShowActor;
          try {
            actor = await this.actor(ctx, showId);
          } catch {
            continue; // another node serves it (and settles it), or it is moving
          }
          const due = moneyDue(actor.state, Date.now(), config.settleAfterMs, config.settleAfterMs);
          for (const attempt of due.attempts) {
            const { bookingId, attemptId, customerTimeUp, awaitingCustomer, ...rest } = attempt;
            let outcome: PaymentOutcome | null;
            try {
              outcome = await ctx.call<PaymentOutcome | null, AttemptRef & { customerTimeUp: boolean }>("payment.settle", { ...rest, bookingId, attemptId, showId, customerTimeUp });
            } catch (error) {
              this.logger.warn(`show ${showId}: attempt ${attemptId} could not be looked up yet, will retry`, (error as Error).message);
              continue;
            }
            // Still being decided, or the customer is still at the challenge we already know of.
            if (!outcome || (outcome.status === "requires_action" && awaitingCustomer)) continue;
            this.logger.info(`show ${showId}: attempt ${attemptId} had no outcome; the processor says ${outcome.status}`);
            const reply = await this.command(ctx, showId, { type: "RecordPayment", bookingId, attemptId, outcome, refundId: newId("re") });
            await this.settled(ctx, showId, bookingId, reply);
          }
          for (const refund of due.refunds) await this.settleRefund(ctx, showId, refund);
          // Nothing left to settle and no batch being stored (it could be recording new money):
          // the show leaves the list. A batch that added it meanwhile finds it gone and the
          // check below puts it back.
          if (!hasUnsettledMoney(actor.state) && actor.idle) {
            await store.removeFromSet(UNSETTLED, showId);
            if (hasUnsettledMoney(actor.state) || !actor.idle) await store.addToSet(UNSETTLED, showId);
          }
        }
      },

      /** Finishes the shard's shows and gives its lease up, so the next caller finds a new owner at once. */
      async handOver(s: number): Promise<void> {
        await host.handOver(s);
        count(this.broker, "marquee.lease.moves.total", { change: "handed_over" });
      },

      /** Actors in memory, what waits in their mailboxes and the shards owned, for /metrics. */
      async sample(): Promise<void> {
        gauge(this.broker, "marquee.show.actors.active", host.size);
        gauge(this.broker, "marquee.shards.owned", leases.held().length);
        gauge(this.broker, "marquee.show.mailbox.depth", await host.queued());
      },

      /** Renews leases; in a cluster, moves shards that have a better home to it. */
      async tick(): Promise<void> {
        await leases.renew();
        if (this.broker.isMetricsEnabled()) void this.sample();
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
        params: {
          ...showParams, holdId: holdIdParam, userId: id, seats: { type: "array", items: "string", max: 1000 }, quote: { type: "object" }, best: { type: "object", optional: true },
          maxPerAccount: { type: "number", integer: true, positive: true, optional: true },
        },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string; seats: string[]; quote: Quote; best?: BestSeats; maxPerAccount?: number }>) {
          const { showId, holdId, userId, seats, quote, best, maxPerAccount } = ctx.params;
          const reply = await this.command(ctx, showId, {
            type: "HoldSeats", holdId, userId, seats, quote, ttlMs: config.holdTtlMs, maxSeats: config.maxSeatsPerHold,
            ...(best ? { best } : {}), ...(maxPerAccount !== undefined ? { maxPerAccount } : {}),
          });
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

      openBooking: {
        params: { ...showParams, bookingId: bookingIdParam, holdId: holdIdParam, userId: id },
        async handler(ctx: Context<{ showId: string; bookingId: string; holdId: string; userId: string }>) {
          const { showId, bookingId, holdId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "OpenBooking", bookingId, holdId, userId });
          return bookingOf(reply.state, bookingId, userId);
        },
      },

      /** Records the attempt before the caller charges the card (the attempt id is the processor's key). */
      startPayment: {
        params: { ...showParams, bookingId: bookingIdParam, userId: id, attemptId: id },
        async handler(ctx: Context<{ showId: string; bookingId: string; userId: string; attemptId: string }>) {
          const { showId, bookingId, userId, attemptId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "StartPayment", bookingId, userId, attemptId, graceMs: config.paymentGraceMs });
          return bookingOf(reply.state, bookingId, userId);
        },
      },

      /** What the processor said of an attempt: confirms the seats, or refunds money that came too late. */
      recordPayment: {
        params: { ...showParams, bookingId: bookingIdParam, attemptId: id, outcome: { type: "object" } },
        async handler(ctx: Context<{ showId: string; bookingId: string; attemptId: string; outcome: PaymentOutcome }>) {
          const { showId, bookingId, attemptId, outcome } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "RecordPayment", bookingId, attemptId, outcome, refundId: newId("re") });
          return this.settled(ctx, showId, bookingId, reply);
        },
      },

      /** Where a refund stands at the processor (its webhook, or the reconciler's lookup). */
      recordRefund: {
        params: { ...showParams, bookingId: bookingIdParam, refundId: id, status: { type: "enum", values: ["pending", "succeeded", "failed"] }, processorId: { ...id, optional: true } },
        async handler(ctx: Context<{ showId: string; bookingId: string; refundId: string; status: "pending" | "succeeded" | "failed"; processorId?: string }>) {
          const { showId, ...refund } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "RecordRefund", ...refund });
          return bookingOf(reply.state, refund.bookingId);
        },
      },

      cancel: {
        params: { ...showParams, bookingId: bookingIdParam, userId: { ...id, optional: true }, policy: { type: "object", optional: true } },
        async handler(ctx: Context<{ showId: string; bookingId: string; userId?: string; policy?: RefundPolicy }>) {
          const { showId, bookingId, userId, policy } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "CancelBooking", bookingId, userId, cutoffMs: config.cancelCutoffMs, refundId: newId("re"), ...(policy ? { policy } : {}) });
          return this.settled(ctx, showId, bookingId, reply);
        },
      },

      /** An admin's refund of a paid booking, in full or in part; the seats stay booked. */
      refund: {
        params: { ...showParams, bookingId: bookingIdParam, amount: { type: "number", integer: true, positive: true, optional: true }, by: id, note: { type: "string", max: 500, optional: true } },
        async handler(ctx: Context<{ showId: string; bookingId: string; amount?: number; by: string; note?: string }>) {
          const { showId, bookingId, amount, by, note } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "RefundBooking", bookingId, refundId: newId("re"), by, ...(amount ? { amount } : {}), ...(note ? { note } : {}) });
          return this.settled(ctx, showId, bookingId, reply);
        },
      },

      getBooking: {
        params: { ...showParams, bookingId: bookingIdParam, userId: { ...id, optional: true } },
        async handler(ctx: Context<{ showId: string; bookingId: string; userId?: string }>) {
          const { showId, bookingId, userId } = ctx.params;
          const actor: ShowActor = await this.actor(ctx, showId);
          const view = bookingOf(actor.state, bookingId, userId);
          if (!view) throw new NotFoundError("Booking", bookingId, "BOOKING_NOT_FOUND");
          return view;
        },
      },

      bookingsOf: {
        params: { ...showParams, userId: id },
        async handler(ctx: Context<{ showId: string; userId: string }>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return bookingsOf(actor.state, ctx.params.userId);
        },
      },

      /** Every charge and refund of the show (since an ISO time), for operators reconciling money against seats. */
      ledger: {
        params: { ...showParams, since: { type: "number", integer: true, min: 0, optional: true } },
        async handler(ctx: Context<{ showId: string; since?: number }>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return ledger(actor.state, ctx.params.since ?? 0);
        },
      },

      /** Lets a ticket in, found by booking id (a scanned QR code) or by its code (typed at the door). */
      admit: {
        params: { ...showParams, bookingId: { ...id, optional: true }, code: { type: "string", optional: true, pattern: /^MQ-[0-9A-Z]{6}$/ }, door: { type: "string", min: 1, max: 40 }, usherId: id },
        async handler(ctx: Context<{ showId: string; bookingId?: string; code?: string; door: string; usherId: string }>) {
          const { showId, code, door, usherId } = ctx.params;
          const actor: ShowActor = await this.actor(ctx, showId);
          const bookingId = ctx.params.bookingId ?? Object.keys(actor.state.bookings).find((b) => bookingCode(b) === code);
          if (!bookingId) throw new NotFoundError("Ticket", code ?? "", "TICKET_NOT_FOUND");
          const reply = await this.command(ctx, showId, { type: "AdmitTicket", bookingId, door, usherId });
          return bookingOf(reply.state, bookingId);
        },
      },

      /** A booking as the show's actor knows it (with its admission), for the caller's own rules. */
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

      /** Pricing moved the show's price: the actor records it, so every pricing node caps from it. */
      publishPrice: {
        params: { ...showParams, multiplier: { type: "number", positive: true, max: 100 } },
        async handler(ctx: Context<{ showId: string; multiplier: number }>) {
          const reply = await this.command(ctx, ctx.params.showId, { type: "PublishPrice", multiplier: ctx.params.multiplier });
          return reply.state.published;
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
          return { nodeID: this.broker.nodeID, shards: leases.held(), activeShows: host.size, shardCount: config.showShards };
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
        // A lease in a shared store (Redis, or any cluster) lasts LEASE_TTL_MS: a node restarted
        // after kill -9 comes back under a new id and must find its old leases lapsed within
        // seconds, not locked to a dead holder. The embedded memory store dies with its process,
        // so nobody else can ever hold its leases, and a long one spares a busy event loop from
        // losing them to a late renewal.
        store, nodeID: this.broker.nodeID, ttlMs: this.broker.transit || config.redisUrl ? config.leaseTtlMs : ONE_PROCESS_LEASE_MS,
        onAcquired: () => count(this.broker, "marquee.lease.moves.total", { change: "acquired" }),
        onLost: (s) => {
          count(this.broker, "marquee.lease.moves.total", { change: "lost" });
          this.logger.warn(`show: lost the lease of shard ${s}; its shows stop here`);
          void host.stopShard(s);
        },
      });
      host = new ShowHost({
        leases, shardOf: shard, maxActive: config.maxActiveShows, idleMs: config.showIdleMs,
        // In a cluster a free shard is taken by its preferred node only; anyone else points the
        // caller there, so a shard handed over for rebalancing does not bounce straight back.
        elsewhere: (s) => {
          if (!this.broker.transit) return undefined;
          const preferred = preferredNode(s, showNodes(this.broker));
          return preferred && preferred !== this.broker.nodeID ? preferred : undefined;
        },
        activate: (showId, fence) => this.activate(showId, fence),
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
      let reconciling = false;
      reconciler = setInterval(() => {
        if (reconciling) return;
        reconciling = true;
        this.reconcile().catch((error: unknown) => this.logger.warn("show: settling payments failed; retrying", (error as Error).message)).finally(() => { reconciling = false; });
      }, config.reconcileEveryMs);
    },

    async stopped() {
      clearInterval(ticker);
      clearInterval(reconciler);
      // A graceful stop hands every shard over at once instead of letting leases run out.
      await host.stop();
      seatChanges.flush();
    },
  };
}
