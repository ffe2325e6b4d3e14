// One actor per show. This file wires the show host (infra/show-host.ts: which actors live on
// this node, activation under the shard's lease, passivation, hand-over), the ShowActor runtime
// (infra/show-actor.ts) and the pure decider (domain/show) into Moleculer actions, and settles
// the money of the shows it serves; every rule lives in the decider.
//
// The actor prices its own seats: the pure pricing engine (domain/pricing) runs here, on the
// show's demand and last published price as the actor holds them, with the price book
// pricing.service publishes (kept per node, replaced whole on `pricing.changed`). A hold is one
// visit to the actor, and a price it publishes is recorded in the same step as the hold.
//
// In a cluster a show is served only by the node that holds its shard's lease (infra/
// shard-leases.ts); every write is fenced by the lease's epoch, so a node that lost its lease,
// however paused or cut off, cannot write a single event.
import { Context, type ServiceBroker, type ServiceSchema } from "moleculer";
import type { RefundOutcome, RefundRef } from "../domain/payment/gateway.ts";
import type { PaymentOutcome, RefundRequested, Rejection, ShowCommand, ShowEvent, ShowState } from "../domain/show/types.ts";
import {
  bookingHistory, bookingOf, bookingsOf, type BookingView, demand, hasUnsettledMoney, holdView, ledger, moneyDue, occupancy, seatsBookedBy, seatsNow, seatStatuses,
  seatsTouched, stats,
} from "../domain/show/views.ts";
import { LRUCache } from "lru-cache";
import type { ShowDetails } from "../domain/catalog/types.ts";
import { newer, pricingInput, type PriceBook } from "../domain/pricing/book.ts";
import { priceShow, quoteDynamic, type PricingInput, type ShowPricing } from "../domain/pricing/engine.ts";
import type { CustomerLocation } from "../domain/pricing/factors.ts";
import { layoutRows, pickBest, type LayoutRow } from "../domain/show/best-available.ts";
import { freeFor } from "../domain/show/state.ts";
import { loadPriceBook } from "../infra/price-book.ts";
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
import { ConflictError, MarqueeError, NotFoundError, rejectionError, ServiceUnavailableError } from "./errors.ts";
import { bookingCode } from "../domain/ticket/ticket.ts";
import { count, gauge, observe } from "./metrics.ts";
import { call, type Params } from "./contracts.ts";

const showParams = { showId: id };
const seatsParam = { type: "array", items: { type: "string", min: 1, max: 20 }, min: 1, max: 1000 } as const;

/** A show's price is recomputed at most once a second per node: demand a second old prices it just as fairly. */
const PRICE_FRESH_MS = 1_000;
/** Best available: how often the pick is made again when others took the seats meanwhile. */
const BEST_TRIES = 3;

interface Priced { input: PricingInput; pricing: ShowPricing }

// Every seat of a show's layout in rows, worked out once per catalog show held in the cache.
const rowsOf = new WeakMap<ShowDetails, LayoutRow[]>();
function layoutOf(show: ShowDetails): LayoutRow[] {
  let rows = rowsOf.get(show);
  if (!rows) rowsOf.set(show, (rows = layoutRows(show.seats)));
  return rows;
}

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
  // What pricing needs, per node: the latest price book, the catalog's shows (seats, categories,
  // base prices, cinema) and each show's price for a second.
  let book: PriceBook | undefined;
  let loading: Promise<PriceBook> | undefined;
  // Read once, when first needed (a node starts even while the store is slow); a failed read is
  // tried again by the next request.
  const priceBook = (): Promise<PriceBook> => (loading ??= loadPriceBook(store).then(
    (loaded) => (book = book ? newer(book, loaded) : loaded),
    (error: unknown) => { loading = undefined; throw error; },
  ));
  const catalogShows = new LRUCache<string, ShowDetails>({ max: Math.max(1_000, config.maxActiveShows), ttl: 5 * 60_000 });
  const fresh = new LRUCache<string, Priced>({ max: Math.max(1_000, config.maxActiveShows), ttl: PRICE_FRESH_MS });

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

      /** The catalog's show (cached on this node); a 404 when it does not exist. */
      async catalogShow(showId: string): Promise<ShowDetails> {
        const cached = catalogShows.get(showId);
        if (cached) return cached;
        const show = await call(this.broker, "catalog.getShow", { showId });
        catalogShows.set(showId, show);
        return show;
      },

      /**
       * The show's price now, from its demand and last published price as this actor holds them.
       * `customer`: a quote from inside a pricing zone (never cached); `uncapped`: an operator's
       * reprice, outside the hourly cap.
       */
      price(prices: PriceBook, actor: ShowActor, show: ShowDetails, customer?: CustomerLocation, uncapped = false): Priced {
        const now = Date.now();
        const cached = customer || uncapped ? undefined : fresh.get(show.id);
        if (cached) return { input: { ...cached.input, now }, pricing: cached.pricing };
        const { published, ...facts } = demand(actor.state, now, prices.rules.velocityWindowMinutes * 60_000);
        const input = pricingInput(prices, show, facts, now, { ...(customer ? { customer } : {}), ...(published && !uncapped ? { published } : {}) });
        const priced = { input, pricing: priceShow(input) };
        if (!customer) fresh.set(show.id, priced);
        return priced;
      },

      /**
       * The price for a reader (a quote, the seat map, a showtime chip): recorded by the actor
       * before anyone hears of it when it moved, so every later price caps from it.
       */
      async priceFor(ctx: Context, showId: string, customer?: CustomerLocation, uncapped = false): Promise<Priced> {
        const [actor, show, prices] = await Promise.all([this.actor(ctx, showId), this.catalogShow(showId), book ?? priceBook()]);
        const priced: Priced = this.price(prices, actor, show, customer, uncapped);
        if (actor.state.published?.multiplier !== priced.pricing.published) {
          const reply = await this.command(ctx, showId, { type: "PublishPrice", multiplier: priced.pricing.published });
          this.announcePrice(showId, reply, priced);
        }
        return priced;
      },

      /** Live seat maps refetch their prices when a show's price moved from one it had published. */
      announcePrice(showId: string, reply: Accepted, priced: Priced): void {
        const published = reply.events.find((e) => e.type === "PricePublished");
        if (published && priced.input.previous) void this.broker.broadcast("pricing.show.changed", { showId, multiplier: published.multiplier });
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
          const show: ShowDetails | null = await this.catalogShow(showId).catch((error: unknown) => {
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
          answer = await (known === "requested" ? call(ctx, "payment.refund", ref) : call(ctx, "payment.refundStatus", ref));
        } catch (error) {
          this.logger.warn(`show ${showId}: refund ${refund.refundId} not issued yet, will retry`, (error as Error).message);
          return undefined;
        }
        // The decider decides whether this changes anything (a refund only moves forward).
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
            const { bookingId, attemptId, customerTimeUp, ...rest } = attempt;
            let outcome: PaymentOutcome | null;
            try {
              outcome = await call(ctx, "payment.settle", { ...rest, bookingId, attemptId, showId, customerTimeUp });
            } catch (error) {
              this.logger.warn(`show ${showId}: attempt ${attemptId} could not be looked up yet, will retry`, (error as Error).message);
              continue;
            }
            if (!outcome) continue; // still being decided at the processor
            // A challenge already on record changes nothing: the decider keeps the attempt waiting.
            if (outcome.status !== "requires_action") this.logger.info(`show ${showId}: attempt ${attemptId} had no outcome; the processor says ${outcome.status}`);
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
      /**
       * Holds seats at the price the actor quotes them now: the given seats, or the best `count`
       * of a category picked from the seat map as it is (and picked again in the same step as the
       * hold, so many customers asking at once get different seats).
       */
      hold: {
        params: {
          ...showParams, holdId: holdIdParam, userId: id, seats: { ...seatsParam, optional: true },
          best: { type: "object", optional: true, strict: "remove", props: { category: { type: "string", min: 1, max: 40 }, count: { type: "number", integer: true, min: 1, max: 100 } } },
          maxPerAccount: { type: "number", integer: true, positive: true, optional: true },
        },
        async handler(ctx: Context<Params<"show.hold">>) {
          const { showId, holdId, userId, best, maxPerAccount } = ctx.params;
          const show: ShowDetails = await this.catalogShow(showId);
          const prices = book ?? await priceBook();
          const rows = best ? layoutOf(show) : undefined;
          let seats = ctx.params.seats;
          for (let attempt = 1; ; attempt++) {
            const actor: ShowActor = await this.actor(ctx, showId);
            if (best) {
              seats = pickBest(rows!, freeFor(actor.state, userId), best.category, best.count) ?? undefined;
              if (!seats) throw new ConflictError(`No ${best.count} ${best.category} seats are free side by side; try fewer seats or another category`, "NO_BEST_SEATS", { showId });
            }
            if (!seats) throw new ConflictError("Choose at least one seat", "NO_SEATS", { showId });
            const priced: Priced = this.price(prices, actor, show);
            try {
              const reply: Accepted = await this.command(ctx, showId, {
                type: "HoldSeats", holdId, userId, seats, quote: quoteDynamic(priced.input, seats, priced.pricing), published: priced.pricing.published,
                ttlMs: config.holdTtlMs, maxSeats: config.maxSeatsPerHold, ...(best ? { best: { ...best, rows: rows! } } : {}), ...(maxPerAccount !== undefined ? { maxPerAccount } : {}),
              });
              this.announcePrice(showId, reply, priced);
              return holdView(reply.state, holdId, userId);
            } catch (error) {
              // Someone took the best seats at another price meanwhile: quote the best now and try again.
              if ((error as MarqueeError).type !== "BEST_SEATS_MOVED" || attempt >= BEST_TRIES) throw error;
            }
          }
        },
      },

      /** The price of these seats now, explained; nothing is held. */
      quote: {
        params: {
          ...showParams, seats: { type: "array", items: { type: "string", max: 20 }, max: 1000 },
          lat: { type: "number", min: -90, max: 90, optional: true }, lon: { type: "number", min: -180, max: 180, optional: true },
        },
        async handler(ctx: Context<Params<"show.quote">>) {
          const { showId, seats, lat, lon } = ctx.params;
          const customer = lat !== undefined && lon !== undefined ? { lat, lon } : undefined;
          const { input, pricing }: Priced = await this.priceFor(ctx, showId, customer);
          return quoteDynamic(input, seats, pricing);
        },
      },

      /** Every seat's price now, with the show's demand: for the seat map and showtime chips. */
      prices: {
        params: showParams,
        async handler(ctx: Context<Params<"show.prices">>) {
          const { input, pricing }: Priced = await this.priceFor(ctx, ctx.params.showId);
          const prices: Record<string, number> = {};
          for (const seat of input.show.seats) {
            const price = pricing.categoryPrices[seat.category];
            if (seat.forSale && price !== undefined) prices[seat.id] = price;
          }
          const { forSale, claimed } = input.demand;
          return { currency: input.show.currency, multiplier: pricing.multiplier, factors: pricing.factors, categoryPrices: pricing.categoryPrices, prices, forSale, claimed };
        },
      },

      /** An operator reprices the show now, outside the hourly cap; pricing.reprice audits it. */
      reprice: {
        params: showParams,
        async handler(ctx: Context<Params<"show.reprice">>) {
          const { showId } = ctx.params;
          const before = (await this.actor(ctx, showId)).state.published?.multiplier ?? null;
          const { pricing }: Priced = await this.priceFor(ctx, showId, undefined, true);
          void this.broker.broadcast("pricing.show.changed", { showId, multiplier: pricing.published });
          return { showId, previous: before, published: pricing.published, multiplier: pricing.multiplier, factors: pricing.factors, categoryPrices: pricing.categoryPrices };
        },
      },

      release: {
        params: { ...showParams, holdId: holdIdParam, userId: id },
        async handler(ctx: Context<Params<"show.release">>) {
          const { showId, holdId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "ReleaseHold", holdId, userId });
          return holdView(reply.state, holdId, userId);
        },
      },

      openBooking: {
        params: { ...showParams, bookingId: bookingIdParam, holdId: holdIdParam, userId: id },
        async handler(ctx: Context<Params<"show.openBooking">>) {
          const { showId, bookingId, holdId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "OpenBooking", bookingId, holdId, userId });
          return bookingOf(reply.state, bookingId, userId);
        },
      },

      /** Records the attempt before the caller charges the card (the attempt id is the processor's key). */
      startPayment: {
        params: { ...showParams, bookingId: bookingIdParam, userId: id, attemptId: id },
        async handler(ctx: Context<Params<"show.startPayment">>) {
          const { showId, bookingId, userId, attemptId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "StartPayment", bookingId, userId, attemptId, graceMs: config.paymentGraceMs });
          return bookingOf(reply.state, bookingId, userId);
        },
      },

      /** What the processor said of an attempt: confirms the seats, or refunds money that came too late. */
      recordPayment: {
        params: { ...showParams, bookingId: bookingIdParam, attemptId: id, outcome: { type: "object" } },
        async handler(ctx: Context<Params<"show.recordPayment">>) {
          const { showId, bookingId, attemptId, outcome } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "RecordPayment", bookingId, attemptId, outcome, refundId: newId("re") });
          return this.settled(ctx, showId, bookingId, reply);
        },
      },

      /** Where a refund stands at the processor (its webhook, or the reconciler's lookup). */
      recordRefund: {
        params: { ...showParams, bookingId: bookingIdParam, refundId: id, status: { type: "enum", values: ["pending", "succeeded", "failed"] }, processorId: { ...id, optional: true } },
        async handler(ctx: Context<Params<"show.recordRefund">>) {
          const { showId, ...refund } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "RecordRefund", ...refund });
          return bookingOf(reply.state, refund.bookingId);
        },
      },

      cancel: {
        params: { ...showParams, bookingId: bookingIdParam, userId: { ...id, optional: true }, policy: { type: "object", optional: true } },
        async handler(ctx: Context<Params<"show.cancel">>) {
          const { showId, bookingId, userId, policy } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "CancelBooking", bookingId, userId, cutoffMs: config.cancelCutoffMs, refundId: newId("re"), ...(policy ? { policy } : {}) });
          return this.settled(ctx, showId, bookingId, reply);
        },
      },

      /** An admin's refund of a paid booking, in full or in part; the seats stay booked. */
      refund: {
        params: { ...showParams, bookingId: bookingIdParam, amount: { type: "number", integer: true, positive: true, optional: true }, by: id, note: { type: "string", max: 500, optional: true } },
        async handler(ctx: Context<Params<"show.refund">>) {
          const { showId, bookingId, amount, by, note } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "RefundBooking", bookingId, refundId: newId("re"), by, ...(amount ? { amount } : {}), ...(note ? { note } : {}) });
          return this.settled(ctx, showId, bookingId, reply);
        },
      },

      getBooking: {
        params: { ...showParams, bookingId: bookingIdParam, userId: { ...id, optional: true } },
        async handler(ctx: Context<Params<"show.getBooking">>) {
          const { showId, bookingId, userId } = ctx.params;
          const actor: ShowActor = await this.actor(ctx, showId);
          const view = bookingOf(actor.state, bookingId, userId);
          if (!view) throw new NotFoundError("Booking", bookingId, "BOOKING_NOT_FOUND");
          return view;
        },
      },

      bookingsOf: {
        params: { ...showParams, userId: id },
        async handler(ctx: Context<Params<"show.bookingsOf">>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return bookingsOf(actor.state, ctx.params.userId);
        },
      },

      /** Every charge and refund of the show (since an ISO time), for operators reconciling money against seats. */
      ledger: {
        params: { ...showParams, since: { type: "number", integer: true, min: 0, optional: true } },
        async handler(ctx: Context<Params<"show.ledger">>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return ledger(actor.state, ctx.params.since ?? 0);
        },
      },

      /** Lets a ticket in, found by booking id (a scanned QR code) or by its code (typed at the door). */
      admit: {
        params: { ...showParams, bookingId: { ...id, optional: true }, code: { type: "string", optional: true, pattern: /^MQ-[0-9A-Z]{6}$/ }, door: { type: "string", min: 1, max: 40 }, usherId: id },
        async handler(ctx: Context<Params<"show.admit">>) {
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
        async handler(ctx: Context<Params<"show.getHold">>) {
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
        async handler(ctx: Context<Params<"show.seats">>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          const { state } = actor;
          return {
            showId: actor.showId, version: state.version, seats: seatStatuses(state), occupancy: occupancy(state),
            ...(ctx.params.userId ? { bookedBy: seatsBookedBy(state, ctx.params.userId) } : {}),
          };
        },
      },

      history: {
        params: showParams,
        async handler(ctx: Context<Params<"show.history">>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return bookingHistory(actor.state);
        },
      },

      // ---------- operators (the admin component and the REPL check the role) ----------
      expireHold: {
        params: { ...showParams, holdId: holdIdParam },
        async handler(ctx: Context<Params<"show.expireHold">>) {
          const { showId, holdId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "ForceExpireHold", holdId });
          return holdView(reply.state, holdId);
        },
      },

      stats: {
        params: showParams,
        async handler(ctx: Context<Params<"show.stats">>) {
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

    events: {
      "catalog.show.*"(ctx: Context<{ showId?: string }>) {
        if (ctx.params.showId) {
          catalogShows.delete(ctx.params.showId);
          fresh.delete(ctx.params.showId);
        }
      },
      // A new price book applies at once: no price computed from the old one is served again.
      "pricing.changed"(ctx: Context<{ book: PriceBook }>) {
        const next = book ? newer(book, ctx.params.book) : ctx.params.book;
        if (next === book) return;
        book = next;
        fresh.clear();
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
      priceBook().catch((error: unknown) => this.logger.warn("show: reading the price book failed; the first quote tries again", (error as Error).message));
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
