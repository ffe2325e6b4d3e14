// Prices seats for a show: base prices x festivals, seasons, demand, lead time, location and a
// learned forecast, inside guard rails. Rules live in the store; each node caches them (and show
// details) and drops its copies when a `pricing.changed` or `catalog.show.*` event says so.
import type { Context, ServiceSchema } from "moleculer";
import { LRUCache } from "lru-cache";
import { DEFAULT_RULES } from "../domain/pricing/defaults.ts";
import { DEFAULT_FEE_RULES, scheduleFor, scheduleProblems, type FeeRules, type FeeSchedule } from "../domain/pricing/fees.ts";
import { priceShow, quoteDynamic, type PricingInput, type ShowPricing } from "../domain/pricing/engine.ts";
import type { CustomerLocation, DemandFacts } from "../domain/pricing/factors.ts";
import { comparableKey, forecastShow, trainCurves, type BookingCurve, type ShowHistory } from "../domain/pricing/forecast.ts";
import type { Published } from "../domain/pricing/guard.ts";
import { basePricesFor, guardRailsFor, noOverrides, unpricedCategories, type PriceOverrides } from "../domain/pricing/overrides.ts";
import { validateRules, type GuardRails, type PricingRules } from "../domain/pricing/rules.ts";
import { availabilityOf } from "../domain/show/availability.ts";
import { adminOf } from "./caller.ts";
import { created } from "./replies.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { NotFoundError, UnprocessableError } from "./errors.ts";

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

interface CatalogShow {
  id: string;
  movieId: string;
  startsAt: string;
  currency: string;
  prices: Record<string, number>;
  cinema: { id: string; city: string; timezone: string };
  seats: { id: string; category: string; forSale: boolean }[];
}

interface AuditEntry { at: string; by: string; change: string; target: string; old: unknown; new: unknown }

const COLLECTIONS = ["festivals", "seasons", "zones"] as const;
type Collection = (typeof COLLECTIONS)[number];
const TRAIN_EVERY_MS = 10 * 60_000;
const HOUR = 3_600_000;
const PRICE_FRESH_MS = 1_000;

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
  const shows = new LRUCache<string, CatalogShow>({ max: 5_000, ttl: 5 * 60_000 });
  // A show's price is recomputed at most once a second per node: a hot show is quoted thousands
  // of times a second, and demand a second old prices it just as fairly. Customer zones are
  // applied per quote and never cached.
  const fresh = new LRUCache<string, { input: PricingInput; pricing: ShowPricing }>({ max: 10_000, ttl: PRICE_FRESH_MS });
  let rulesCache: PricingRules | undefined;
  let overridesCache: PriceOverrides | undefined;
  let feesCache: FeeRules | undefined;
  let curves = new Map<string, BookingCurve>();
  /** Published prices from before the last rule change do not cap the next one. */
  let rulesChangedAt = 0;
  let trainer: NodeJS.Timeout | undefined;

  const loadRules = async (): Promise<PricingRules> => (rulesCache ??= (await store.get<PricingRules>("pricing", "rules")) ?? structuredClone(DEFAULT_RULES));
  const loadOverrides = async (): Promise<PriceOverrides> =>
    (overridesCache ??= (await store.get<PriceOverrides>("pricing", "overrides")) ?? noOverrides());
  const loadFees = async (): Promise<FeeRules> => (feesCache ??= (await store.get<FeeRules>("pricing", "fees")) ?? structuredClone(DEFAULT_FEE_RULES));

  return {
    name: "pricing",

    methods: {
      async show(ctx: Ctx<unknown>, showId: string): Promise<CatalogShow> {
        const cached = shows.get(showId);
        if (cached) return cached;
        const show = await ctx.call<CatalogShow, { showId: string }>("catalog.getShow", { showId });
        shows.set(showId, show);
        return show;
      },

      /** Everything the engine needs for one show at `now`. */
      async input(ctx: Ctx<unknown>, showId: string, now: number, customer?: CustomerLocation, demandOverride?: DemandFacts): Promise<PricingInput> {
        const [show, rules, overrides, fees] = await Promise.all([this.show(ctx, showId), loadRules(), loadOverrides(), loadFees()]);
        // The show's actor knows its demand and its last published price: every pricing node caps
        // from that one price, which survives restarts and failover in the show's journal. A rule
        // change (an admin's deliberate, audited act) applies at once, uncapped.
        const { published, ...demand }: DemandFacts & { published?: Published } = demandOverride
          ?? await ctx.call<DemandFacts & { published?: Published }, object>("show.demand", { showId, windowMinutes: rules.velocityWindowMinutes });
        const previous = published && published.at >= rulesChangedAt ? published : undefined;
        const startsAt = Date.parse(show.startsAt);
        const prices = basePricesFor({ id: show.id, cinemaId: show.cinema.id, prices: show.prices }, overrides);
        const curve = curves.get(comparableKey(show.cinema.id, startsAt, show.cinema.timezone));
        return {
          show: { id: show.id, currency: show.currency, prices, seats: show.seats, startsAt, city: show.cinema.city, timezone: show.cinema.timezone },
          rules: { ...rules, guardRails: guardRailsFor(showId, rules, overrides) },
          demand,
          forecast: forecastShow(curve, demand.forSale ? demand.claimed / demand.forSale : 0, (startsAt - now) / HOUR),
          ...(customer ? { customer } : {}),
          ...(previous ? { previous } : {}),
          fees: scheduleFor(fees, { city: show.cinema.city, cinemaId: show.cinema.id }),
          now,
        };
      },

      /** Prices the show now and publishes the show's multiplier when it moved; `uncapped` (an operator's reprice) ignores the hourly cap. */
      async price(ctx: Ctx<unknown>, showId: string, customer?: CustomerLocation, uncapped = false): Promise<{ input: PricingInput; pricing: ShowPricing }> {
        const now = Date.now();
        const cached = customer || uncapped ? undefined : fresh.get(showId);
        if (cached) return { input: { ...cached.input, now }, pricing: cached.pricing };
        const found: PricingInput = await this.input(ctx, showId, now, customer);
        const { previous, ...rest } = found;
        const input: PricingInput = uncapped ? rest : found;
        const pricing = priceShow(input);
        if (previous?.multiplier !== pricing.published) {
          // Recorded by the show's actor before anyone hears of it.
          await ctx.call("show.publishPrice", { showId, multiplier: pricing.published });
          if (previous) this.broker.broadcast("pricing.show.changed", { showId, multiplier: pricing.published });
        }
        if (!customer) fresh.set(showId, { input, pricing });
        return { input, pricing };
      },

      async audit(ctx: Ctx<unknown>, change: string, target: string, before: unknown, after: unknown) {
        const entry: AuditEntry = { at: new Date().toISOString(), by: adminOf(ctx).email, change, target, old: before ?? null, new: after ?? null };
        await store.append("pricing:audit", [entry]);
      },

      async saveRules(ctx: Ctx<unknown>, next: PricingRules, change: string, target: string, before: unknown, after: unknown) {
        const problems = validateRules(next);
        if (problems.length) throw new UnprocessableError(`Pricing rules are invalid: ${problems.join("; ")}`, "INVALID_PRICING_RULES", { problems });
        await store.put("pricing", "rules", next);
        await this.audit(ctx, change, target, before, after);
        rulesCache = next;
        this.broker.broadcast("pricing.changed", { what: change });
        return next;
      },

      async saveOverrides(ctx: Ctx<unknown>, next: PriceOverrides, change: string, target: string, before: unknown, after: unknown) {
        await store.put("pricing", "overrides", next);
        await this.audit(ctx, change, target, before, after);
        overridesCache = next;
        this.broker.broadcast("pricing.changed", { what: change, target });
      },

      /** Learns booking curves from finished shows; runs on a timer, never on a request. */
      async train() {
        const ended = await this.broker.call<{ id: string; endsAt: string }[], object>("catalog.listShows", {}).catch(() => []);
        const now = Date.now();
        const history: ShowHistory[] = [];
        for (const s of ended.filter((x) => Date.parse(x.endsAt) < now)) {
          const facts = await this.broker.call<{ capacity: number; claimHoursBefore: number[] }, object>("show.history", { showId: s.id }).catch(() => null);
          const show = await this.broker.call<CatalogShow, object>("catalog.getShow", { showId: s.id }).catch(() => null);
          if (!facts || !show) continue;
          history.push({ key: comparableKey(show.cinema.id, Date.parse(show.startsAt), show.cinema.timezone), ...facts });
        }
        curves = trainCurves(history);
        this.logger.debug(`pricing: trained ${curves.size} booking curves from ${history.length} finished shows`);
      },
    },

    actions: {
      quote: {
        params: {
          showId: { type: "string", min: 1, max: 100 },
          seats: [{ type: "array", items: { type: "string", max: 20 }, max: 1000 }, { type: "string", max: 5000 }],
          lat: { type: "number", min: -90, max: 90, convert: true, optional: true },
          lon: { type: "number", min: -180, max: 180, convert: true, optional: true },
        },
        async handler(ctx: Ctx<{ showId: string; seats: string[] | string; lat?: number; lon?: number }>) {
          const { showId, lat, lon } = ctx.params;
          // GET /quote?seats=A1,A2 sends one string; the workflow sends an array.
          const seats = typeof ctx.params.seats === "string" ? ctx.params.seats.split(",").map((s) => s.trim()).filter(Boolean) : ctx.params.seats;
          const customer = lat !== undefined && lon !== undefined ? { lat, lon } : undefined;
          const { input, pricing } = await this.price(ctx, showId, customer);
          return quoteDynamic(input, seats, pricing);
        },
      },

      /**
       * What a showtime chip shows for each show: the lowest ticket price ("from", before GST and
       * fees, which depend on the seats chosen), seats left and whether it is filling fast.
       */
      showtimes: {
        params: { ids: { type: "string", min: 1, max: 5_000 } },
        async handler(ctx: Ctx<{ ids: string }>) {
          const ids = [...new Set(ctx.params.ids.split(",").map((s) => s.trim()).filter(Boolean))].slice(0, 100);
          const each = await Promise.all(ids.map(async (showId) => {
            try {
              const { input, pricing } = await this.price(ctx, showId);
              const prices: number[] = Object.values(pricing.categoryPrices);
              const { forSale, claimed } = input.demand;
              return { showId, currency: input.show.currency, from: prices.length ? Math.min(...prices) : null, seatsLeft: Math.max(0, forSale - claimed), availability: availabilityOf(forSale, claimed) };
            } catch (error) {
              // A show that has gone is left out of the chips, not a failure of the whole list.
              if ((error as { code?: number }).code === 404) return null;
              throw error;
            }
          }));
          return each.filter((x) => x !== null);
        },
      },

      seatPrices: {
        params: { showId: { type: "string", min: 1, max: 100 } },
        async handler(ctx: Ctx<{ showId: string }>) {
          const { input, pricing } = await this.price(ctx, ctx.params.showId);
          const prices: Record<string, number> = {};
          for (const seat of input.show.seats) {
            const price = pricing.categoryPrices[seat.category];
            if (seat.forSale && price !== undefined) prices[seat.id] = price;
          }
          return { currency: input.show.currency, multiplier: pricing.multiplier, factors: pricing.factors, categoryPrices: pricing.categoryPrices, prices };
        },
      },

      // ---------- admin ----------
      rules: {
        async handler(ctx: Ctx) {
          adminOf(ctx);
          return { rules: await loadRules(), overrides: await loadOverrides(), fees: await loadFees() };
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
          const rules = await loadRules();
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
          const rules = await loadRules();
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
          const rules = await loadRules();
          await this.saveRules(ctx, { ...rules, cities: ctx.params.cities }, "cities.set", "cities", rules.cities, ctx.params.cities);
          return ctx.params.cities;
        },
      },

      setGuardRails: {
        params: { showId: { type: "string", min: 1, max: 100, optional: true }, rails },
        async handler(ctx: Ctx<{ showId?: string; rails: GuardRails }>) {
          adminOf(ctx);
          const { showId, rails: next } = ctx.params;
          const rules = await loadRules();
          if (!showId) {
            await this.saveRules(ctx, { ...rules, guardRails: next }, "guardRails.set", "default", rules.guardRails, next);
            return next;
          }
          await this.show(ctx, showId);
          const problems = validateRules({ ...rules, guardRails: next });
          if (problems.length) throw new UnprocessableError(`Guard rails are invalid: ${problems.join("; ")}`, "INVALID_PRICING_RULES", { problems });
          const overrides = await loadOverrides();
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
          const overrides = await loadOverrides();
          if (showId) {
            const show: CatalogShow = await this.show(ctx, showId);
            const missing = unpricedCategories(show.seats, prices);
            if (missing.length) throw new UnprocessableError(`Prices missing for categories: ${missing.join(", ")}`, "MISSING_CATEGORY_PRICES", { missing });
            await this.saveOverrides(ctx, { ...overrides, showPrices: { ...overrides.showPrices, [showId]: prices } }, "basePrices.set", `show:${showId}`, overrides.showPrices[showId], prices);
          } else {
            await ctx.call("catalog.getCinema", { cinemaId });
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
          const show: CatalogShow = await this.show(ctx, ctx.params.showId);
          const forSale = show.seats.filter((s) => s.forSale).length;
          const startsAt = Date.parse(show.startsAt);
          let previous: Published | undefined;
          const steps = [];
          for (const p of points) {
            const now = startsAt - p.hoursBefore * HOUR;
            const demand = { forSale, claimed: Math.round(p.occupancy * forSale), recentlyClaimed: Math.round((p.recentShare ?? 0) * forSale) };
            const input: PricingInput = { ...(await this.input(ctx, ctx.params.showId, now, undefined, demand)), previous };
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
          const before = await loadFees();
          await store.put("pricing", "fees", next);
          await this.audit(ctx, "fees.set", "fees", before, next);
          feesCache = next;
          this.broker.broadcast("pricing.changed", { what: "fees.set" });
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
          return { curves: [...curves.values()] };
        },
      },

      /** An operator reprices a show now, outside the hourly cap (audited like any rule change). */
      reprice: {
        params: { showId: { type: "string", min: 1, max: 100 } },
        async handler(ctx: Ctx<{ showId: string }>) {
          const { showId } = ctx.params;
          fresh.delete(showId);
          const { input, pricing } = await this.price(ctx, showId, undefined, true);
          await this.audit(ctx, "show.reprice", showId, input.previous?.multiplier ?? null, pricing.published);
          this.broker.broadcast("pricing.show.changed", { showId, multiplier: pricing.published });
          return { showId, multiplier: pricing.multiplier, factors: pricing.factors, categoryPrices: pricing.categoryPrices };
        },
      },
    },

    events: {
      "catalog.show.*"(ctx: Context<{ showId?: string }>) {
        if (ctx.params.showId) {
          shows.delete(ctx.params.showId);
          fresh.delete(ctx.params.showId);
        }
      },
      "pricing.changed"() {
        rulesCache = undefined;
        overridesCache = undefined;
        feesCache = undefined;
        fresh.clear();
        // The hourly cap smooths prices that move by themselves (demand, lead time, forecast);
        // an admin's deliberate, audited rule change applies at once.
        rulesChangedAt = Date.now();
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
