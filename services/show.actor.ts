// One actor per show. This file only wires the ShowActor runtime (infra/show-actor.ts) and the
// pure decider (domain/show) into Moleculer actions; every rule lives in the decider.
import type { Context, ServiceSchema } from "moleculer";
import type { ShowCommand } from "../domain/show/types.ts";
import { bookingHistory, bookingOf, demand, holdView, occupancy, seatStatuses } from "../domain/show/views.ts";
import type { Quote } from "../domain/pricing/quote.ts";
import { ShowActor, type Reply } from "../infra/show-actor.ts";
import type { ServiceDeps } from "./deps.ts";
import { MarqueeError, NotFoundError, rejectionError } from "./errors.ts";

interface CatalogShow {
  id: string;
  startsAt: string;
  seats: { id: string; forSale: boolean }[];
}

const id = { type: "string", min: 1, max: 100 } as const;
const showParams = { showId: id };

export default function showActor({ config, store }: ServiceDeps): ServiceSchema {
  const actors = new Map<string, Promise<ShowActor>>();

  return {
    name: "show",

    methods: {
      /** The live actor of a show, activated from its journal (and scheduled from the catalog) on first use. */
      actor(ctx: Context, showId: string): Promise<ShowActor> {
        const live = actors.get(showId);
        if (live) return live;
        const activating: Promise<ShowActor> = this.activate(ctx, showId);
        actors.set(showId, activating);
        // A failed activation must not stick: the next request tries again.
        activating.catch(() => actors.delete(showId));
        return activating;
      },

      async activate(ctx: Context, showId: string): Promise<ShowActor> {
        const actor = await ShowActor.activate(showId, {
          store,
          onCommitted: (sid, events, state) => {
            this.broker.emit("show.changed", { showId: sid, version: state.version, events: events.map((e) => e.type) });
          },
          onError: (error) => this.logger.warn(`show ${showId}: expiring holds failed, will retry`, error),
        });
        if (!actor.scheduled) {
          const show = await ctx.call<CatalogShow | null, { showId: string }>("catalog.getShow", { showId }).catch((error: unknown) => {
            if (error instanceof Error && (error as MarqueeError).code === 404) return null;
            throw error;
          });
          if (!show) {
            actor.stop();
            throw new NotFoundError("Show", showId);
          }
          await actor.execute({ type: "ScheduleShow", showId, startsAt: Date.parse(show.startsAt), seats: show.seats.map((s) => ({ id: s.id, forSale: s.forSale })) });
        }
        return actor;
      },

      async command(ctx: Context, showId: string, command: ShowCommand): Promise<Extract<Reply, { ok: true }>> {
        const actor: ShowActor = await this.actor(ctx, showId);
        const reply = await actor.execute(command);
        if (!reply.ok) throw rejectionError(reply.rejection, showId);
        return reply;
      },
    },

    actions: {
      hold: {
        params: { ...showParams, holdId: id, userId: id, seats: { type: "array", items: "string", max: 1000 }, quote: { type: "object" } },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string; seats: string[]; quote: Quote }>) {
          const { showId, holdId, userId, seats, quote } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "HoldSeats", holdId, userId, seats, quote, ttlMs: config.holdTtlMs, maxSeats: config.maxSeatsPerHold });
          return holdView(reply.state, holdId, userId);
        },
      },

      release: {
        params: { ...showParams, holdId: id, userId: id },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string }>) {
          const { showId, holdId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "ReleaseHold", holdId, userId });
          return holdView(reply.state, holdId, userId);
        },
      },

      startPayment: {
        params: { ...showParams, holdId: id, userId: id },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string }>) {
          const { showId, holdId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "StartPayment", holdId, userId, graceMs: config.paymentGraceMs });
          return holdView(reply.state, holdId, userId);
        },
      },

      abortPayment: {
        params: { ...showParams, holdId: id, userId: id },
        async handler(ctx: Context<{ showId: string; holdId: string; userId: string }>) {
          const { showId, holdId, userId } = ctx.params;
          const reply = await this.command(ctx, showId, { type: "AbortPayment", holdId, userId });
          return holdView(reply.state, holdId, userId);
        },
      },

      confirm: {
        params: { ...showParams, holdId: id, userId: id, bookingId: id, paymentId: id },
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
        params: { ...showParams, holdId: id, userId: { ...id, optional: true } },
        async handler(ctx: Context<{ showId: string; holdId: string; userId?: string }>) {
          const { showId, holdId, userId } = ctx.params;
          const actor: ShowActor = await this.actor(ctx, showId);
          const view = holdView(actor.state, holdId, userId);
          if (!view) throw new NotFoundError("Hold", holdId, "HOLD_NOT_FOUND");
          return view;
        },
      },

      seats: {
        params: showParams,
        async handler(ctx: Context<{ showId: string }>) {
          const actor: ShowActor = await this.actor(ctx, ctx.params.showId);
          return { showId: actor.showId, version: actor.state.version, seats: seatStatuses(actor.state), occupancy: occupancy(actor.state) };
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

      journal: {
        params: showParams,
        async handler(ctx: Context<{ showId: string }>) {
          return store.read(`show:${ctx.params.showId}`);
        },
      },
    },

    async stopped() {
      for (const actor of actors.values()) actor.then((a) => a.stop(), () => undefined);
      actors.clear();
    },
  };
}
