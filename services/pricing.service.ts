// Owns the price book (infra/price-book.ts): the pricing rules, base-price and guard-rail
// overrides, GST and fee schedules, and the forecast's booking curves learned from finished
// shows. It validates and audits every change and publishes each new book whole as
// `pricing.changed`, which every show node applies at once; the show's actor prices its own seats
// from it (services/show.actor.ts), so no quote or hold ever calls this service.
import type { Context, ServiceSchema } from "moleculer";
import { LRUCache } from "lru-cache";
import { newer, nextBook, pricingInput, type PriceBook, type ShowToPrice } from "../domain/pricing/book.ts";
import { scheduleProblems, type FeeRules, type FeeSchedule } from "../domain/pricing/fees.ts";
import { priceShow, type PricingInput } from "../domain/pricing/engine.ts";
import { comparableKey, trainCurves, type ShowHistory } from "../domain/pricing/forecast.ts";
import type { Published } from "../domain/pricing/guard.ts";
import { unpricedCategories, type PriceOverrides } from "../domain/pricing/overrides.ts";
import { validateRules, type GuardRails, type PricingRules } from "../domain/pricing/rules.ts";
import { loadPriceBook, savePriceBook } from "../infra/price-book.ts";
import { adminOf } from "./caller.ts";
import { created } from "./replies.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { NotFoundError, UnprocessableError } from "./errors.ts";
import { call } from "./contracts.ts";

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

interface AuditEntry { at: string; by: string; change: string; target: string; old: unknown; new: unknown }

const COLLECTIONS = ["festivals", "seasons", "zones"] as const;
type Collection = (typeof COLLECTIONS)[number];
const TRAIN_EVERY_MS = 10 * 60_000;
const HOUR = 3_600_000;

const money = { type: "record", key: { type: "string", min: 1, max: 40 }, value: { type: "number", integer: true, positive: true } } as const;
const rails = {
  type: "object", strict: "remove",
  props: { floor: { type: "number", positive: true }, ceiling: { type: "number", positive: true }, maxChangePerHour: { type: "number", positive: true }, roundTo: { type: "number", integer: true, positive: true } },
} as const;
const multiplier = { type: "number", positive: true, max: 10 } as const;
const bps = { type: "number", integer: true, min: 0, max: 10_000 } as const;
const feeSchedule = {
  type: "object", strict: "remove",
  props: {
    feePerTicket: { type: "number", integer: true, min: 0, max: 1_000_000 },
    feeGstBps: bps,
    ticketGst: { type: "array", min: 1, max: 10, items: { type: "object", strict: "remove", props: { upTo: { type: "number", integer: true, positive: true, optional: true }, rateBps: bps } } },
  },
} as const;
const itemSchemas: Record<Collection, object> = {
  festivals: { id: { type: "string", min: 1, max: 60 }, name: { type: "string", min: 1, max: 100 }, from: { type: "string", pattern: /^\d{4}-\d{2}-\d{2}$/ }, to: { type: "string", pattern: /^\d{4}-\d{2}-\d{2}$/ }, cities: { type: "array", items: "string", optional: true, max: 100 }, multiplier },
  seasons: { id: { type: "string", min: 1, max: 60 }, name: { type: "string", min: 1, max: 100 }, from: { type: "string", pattern: /^\d{2}-\d{2}$/ }, to: { type: "string", pattern: /^\d{2}-\d{2}$/ }, multiplier },
  zones: { id: { type: "string", min: 1, max: 60 }, name: { type: "string", min: 1, max: 100 }, lat: { type: "number", min: -90, max: 90 }, lon: { type: "number", min: -180, max: 180 }, radiusKm: { type: "number", positive: true, max: 500 }, multiplier },
};

export default function pricingService({ store }: ServiceDeps): ServiceSchema {
  const shows = new LRUCache<string, ShowToPrice>({ max: 5_000, ttl: 5 * 60_000 });
  let book: PriceBook | undefined;
  let trainer: NodeJS.Timeout | undefined;

  const current = async (): Promise<PriceBook> => {
    if (book) return book;
    const loaded = await loadPriceBook(store);
    // A book another pricing node published while this one was reading is kept when newer.
    return (book = book ? newer(book, loaded) : loaded);
  };

  return {
    name: "pricing",

    methods: {
      async show(ctx: Ctx<unknown>, showId: string): Promise<ShowToPrice> {
        const cached = shows.get(showId);
        if (cached) return cached;
        const show = await call(ctx, "catalog.getShow", { showId });
        shows.set(showId, show);
        return show;
      },

      /**
       * Stores the next book and tells every node. Show nodes apply it the moment it arrives, so
       * a quote made anywhere after this returns prices by it. `ruleChange`: an admin's change,
       * which applies at once, uncapped (retraining the forecast is not one).
       */
      async publish(change: Partial<Omit<PriceBook, "version" | "changedAt">>, ruleChange: boolean): Promise<PriceBook> {
        const now = Date.now();
        const next = nextBook(await current(), { ...change, ...(ruleChange ? { changedAt: now } : {}) }, now);
        await savePriceBook(store, next);
        book = next;
        await this.broker.broadcast("pricing.changed", { book: next });
        return next;
      },

      async audit(ctx: Ctx<unknown>, change: string, target: string, before: unknown, after: unknown) {
        const entry: AuditEntry = { at: new Date().toISOString(), by: adminOf(ctx).email, change, target, old: before ?? null, new: after ?? null };
        await store.append("pricing:audit", [entry]);
      },

      async saveRules(ctx: Ctx<unknown>, next: PricingRules, change: string, target: string, before: unknown, after: unknown) {
        const problems = validateRules(next);
        if (problems.length) throw new UnprocessableError(`Pricing rules are invalid: ${problems.join("; ")}`, "INVALID_PRICING_RULES", { problems });
        await this.publish({ rules: next }, true);
        await this.audit(ctx, change, target, before, after);
        return next;
      },

      async saveOverrides(ctx: Ctx<unknown>, next: PriceOverrides, change: string, target: string, before: unknown, after: unknown) {
        await this.publish({ overrides: next }, true);
        await this.audit(ctx, change, target, before, after);
      },

      /** Learns booking curves from finished shows and publishes them; runs on a timer, never on a request. */
      async train() {
        const ended = await call(this.broker, "catalog.listShows", {}).catch(() => []);
        const now = Date.now();
        const history: ShowHistory[] = [];
        for (const s of ended.filter((x) => Date.parse(x.endsAt) < now)) {
          const facts = await call(this.broker, "show.history", { showId: s.id }).catch(() => null);
          const show = await call(this.broker, "catalog.getShow", { showId: s.id }).catch(() => null);
          if (!facts || !show) continue;
          history.push({ key: comparableKey(show.cinema.id, Date.parse(show.startsAt), show.cinema.timezone), ...facts });
        }
        const curves = Object.fromEntries(trainCurves(history));
        // Nothing learned anew: no book to publish (every show node would drop its prices for nothing).
        if (JSON.stringify(curves) !== JSON.stringify((await current()).curves)) await this.publish({ curves }, false);
        this.logger.debug(`pricing: trained ${Object.keys(curves).length} booking curves from ${history.length} finished shows`);
      },
    },

    actions: {
      // ---------- admin ----------
      rules: {
        async handler(ctx: Ctx) {
          adminOf(ctx);
          const { rules, overrides, fees } = await current();
          return { rules, overrides, fees };
        },
      },

      upsert: {
        params: { collection: { type: "enum", values: [...COLLECTIONS] }, id: { type: "string", min: 1, max: 60 } },
        async handler(ctx: Ctx<{ collection: Collection; id: string } & Record<string, unknown>>) {
          adminOf(ctx);
          const { collection, ...rest } = ctx.params;
          const check = this.broker.validator!.compile({ $$strict: "remove", ...itemSchemas[collection] } as never) as (v: unknown) => true | unknown[];
          const item = { ...rest };
          const valid = check(item);
          if (valid !== true) throw new UnprocessableError(`Invalid ${collection.slice(0, -1)}`, "VALIDATION_ERROR", valid);
          const { rules } = await current();
          const list = rules[collection] as { id: string }[];
          const before = list.find((x) => x.id === ctx.params.id);
          const next = { ...rules, [collection]: before ? list.map((x) => (x.id === ctx.params.id ? item : x)) : [...list, item] };
          await this.saveRules(ctx, next, `${collection}.${before ? "update" : "create"}`, ctx.params.id, before, item);
          return before ? item : created(ctx, `/api/admin/pricing/${collection}/${ctx.params.id}`, item);
        },
      },

      remove: {
        params: { collection: { type: "enum", values: [...COLLECTIONS] }, id: { type: "string", min: 1, max: 60 } },
        async handler(ctx: Ctx<{ collection: Collection; id: string }>) {
          adminOf(ctx);
          const { collection, id } = ctx.params;
          const { rules } = await current();
          const list = rules[collection] as { id: string }[];
          const before = list.find((x) => x.id === id);
          if (!before) throw new NotFoundError(collection.slice(0, -1).replace(/^./, (c) => c.toUpperCase()), id);
          await this.saveRules(ctx, { ...rules, [collection]: list.filter((x) => x.id !== id) }, `${collection}.delete`, id, before, null);
          ctx.meta.$statusCode = 204;
          return null;
        },
      },

      setCities: {
        params: { cities: { type: "record", key: { type: "string", min: 1, max: 60 }, value: multiplier } },
        async handler(ctx: Ctx<{ cities: Record<string, number> }>) {
          adminOf(ctx);
          const { rules } = await current();
          await this.saveRules(ctx, { ...rules, cities: ctx.params.cities }, "cities.set", "cities", rules.cities, ctx.params.cities);
          return ctx.params.cities;
        },
      },

      setGuardRails: {
        params: { showId: { type: "string", min: 1, max: 100, optional: true }, rails },
        async handler(ctx: Ctx<{ showId?: string; rails: GuardRails }>) {
          adminOf(ctx);
          const { showId, rails: next } = ctx.params;
          const { rules } = await current();
          if (!showId) {
            await this.saveRules(ctx, { ...rules, guardRails: next }, "guardRails.set", "default", rules.guardRails, next);
            return next;
          }
          await this.show(ctx, showId);
          const problems = validateRules({ ...rules, guardRails: next });
          if (problems.length) throw new UnprocessableError(`Guard rails are invalid: ${problems.join("; ")}`, "INVALID_PRICING_RULES", { problems });
          const { overrides } = await current();
          await this.saveOverrides(ctx, { ...overrides, showRails: { ...overrides.showRails, [showId]: next } }, "guardRails.set", `show:${showId}`, overrides.showRails[showId], next);
          return next;
        },
      },

      setBasePrices: {
        params: { showId: { type: "string", min: 1, max: 100, optional: true }, cinemaId: { type: "string", min: 1, max: 100, optional: true }, prices: money },
        async handler(ctx: Ctx<{ showId?: string; cinemaId?: string; prices: Record<string, number> }>) {
          adminOf(ctx);
          const { showId, cinemaId, prices } = ctx.params;
          if (!showId === !cinemaId) throw new UnprocessableError("Give exactly one of showId or cinemaId", "VALIDATION_ERROR", { fields: ["showId", "cinemaId"] });
          const { overrides } = await current();
          if (showId) {
            const show: ShowToPrice = await this.show(ctx, showId);
            const missing = unpricedCategories(show.seats, prices);
            if (missing.length) throw new UnprocessableError(`Prices missing for categories: ${missing.join(", ")}`, "MISSING_CATEGORY_PRICES", { missing });
            await this.saveOverrides(ctx, { ...overrides, showPrices: { ...overrides.showPrices, [showId]: prices } }, "basePrices.set", `show:${showId}`, overrides.showPrices[showId], prices);
          } else {
            await call(ctx, "catalog.getCinema", { cinemaId: cinemaId! });
            await this.saveOverrides(ctx, { ...overrides, cinemaPrices: { ...overrides.cinemaPrices, [cinemaId!]: prices } }, "basePrices.set", `cinema:${cinemaId}`, overrides.cinemaPrices[cinemaId!], prices);
          }
          return prices;
        },
      },

      simulate: {
        params: {
          showId: { type: "string", min: 1, max: 100 },
          curve: {
            type: "array", min: 1, max: 200,
            items: { type: "object", props: { hoursBefore: { type: "number", min: 0, max: 24 * 365 }, occupancy: { type: "number", min: 0, max: 1 }, recentShare: { type: "number", min: 0, max: 1, optional: true } } },
          },
        },
        async handler(ctx: Ctx<{ showId: string; curve: { hoursBefore: number; occupancy: number; recentShare?: number }[] }>) {
          adminOf(ctx);
          const points = [...ctx.params.curve].sort((a, b) => b.hoursBefore - a.hoursBefore);
          const show: ShowToPrice = await this.show(ctx, ctx.params.showId);
          const forSale = show.seats.filter((s) => s.forSale).length;
          const startsAt = Date.parse(show.startsAt);
          const priceBook = await current();
          let previous: Published | undefined;
          const steps = [];
          for (const p of points) {
            const now = startsAt - p.hoursBefore * HOUR;
            const demand = { forSale, claimed: Math.round(p.occupancy * forSale), recentlyClaimed: Math.round((p.recentShare ?? 0) * forSale) };
            // Each step caps from the step before, whenever the rules last changed.
            const input: PricingInput = { ...pricingInput(priceBook, show, demand, now), ...(previous ? { previous } : {}) };
            const pricing = priceShow(input);
            previous = { multiplier: pricing.published, at: now };
            steps.push({ hoursBefore: p.hoursBefore, occupancy: p.occupancy, multiplier: Number(pricing.multiplier.toFixed(4)), categoryPrices: pricing.categoryPrices, factors: pricing.factors, guardNotes: pricing.guardNotes });
          }
          return { showId: show.id, currency: show.currency, steps };
        },
      },

      /** GST and convenience fee schedules: the default, per city and per cinema (audited). */
      setFees: {
        params: {
          default: feeSchedule,
          cities: { type: "record", optional: true, key: { type: "string", min: 1, max: 60 }, value: feeSchedule },
          cinemas: { type: "record", optional: true, key: { type: "string", min: 1, max: 100 }, value: feeSchedule },
        },
        async handler(ctx: Ctx<{ default: FeeSchedule; cities?: Record<string, FeeSchedule>; cinemas?: Record<string, FeeSchedule> }>) {
          adminOf(ctx);
          const next: FeeRules = { default: ctx.params.default, cities: ctx.params.cities ?? {}, cinemas: ctx.params.cinemas ?? {} };
          const problems = [
            ...scheduleProblems(next.default).map((p) => `default: ${p}`),
            ...Object.entries(next.cities).flatMap(([k, v]) => scheduleProblems(v).map((p) => `cities.${k}: ${p}`)),
            ...Object.entries(next.cinemas).flatMap(([k, v]) => scheduleProblems(v).map((p) => `cinemas.${k}: ${p}`)),
          ];
          if (problems.length) throw new UnprocessableError(`Fee schedules are invalid: ${problems.join("; ")}`, "INVALID_FEES", { problems });
          const before = (await current()).fees;
          await this.publish({ fees: next }, true);
          await this.audit(ctx, "fees.set", "fees", before, next);
          return next;
        },
      },

      auditLog: {
        params: { limit: { type: "number", integer: true, positive: true, max: 1000, optional: true, convert: true } },
        async handler(ctx: Ctx<{ limit?: number }>) {
          adminOf(ctx);
          const entries = await store.read<AuditEntry>("pricing:audit");
          return entries.slice(-(ctx.params.limit ?? 100)).reverse();
        },
      },

      retrain: {
        async handler(ctx: Ctx) {
          adminOf(ctx);
          await this.train();
          return { curves: Object.values((await current()).curves) };
        },
      },

      /** An operator reprices a show now, outside the hourly cap (audited like any rule change); the show's actor prices it. */
      reprice: {
        params: { showId: { type: "string", min: 1, max: 100 } },
        async handler(ctx: Ctx<{ showId: string }>) {
          const repriced = await call(ctx, "show.reprice", { showId: ctx.params.showId });
          const { previous, published, ...answer } = repriced;
          await this.audit(ctx, "show.reprice", ctx.params.showId, previous, published);
          return answer;
        },
      },
    },

    events: {
      "catalog.show.*"(ctx: Context<{ showId?: string }>) {
        if (ctx.params.showId) shows.delete(ctx.params.showId);
      },
      // Another pricing node published a book.
      "pricing.changed"(ctx: Context<{ book: PriceBook }>) {
        book = book ? newer(book, ctx.params.book) : ctx.params.book;
      },
    },

    async started() {
      const train = () => this.train().catch((error: unknown) => this.logger.warn("pricing: training booking curves failed; will retry", error));
      trainer = setInterval(train, TRAIN_EVERY_MS);
      trainer.unref();
      setTimeout(train, 1_000).unref();
    },

    async stopped() {
      clearInterval(trainer);
    },
  };
}
