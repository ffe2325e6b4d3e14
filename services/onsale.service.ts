// The waiting room: admins schedule on-sales, customers join a show's queue and learn where they
// stand, and once a second one node per on-sale (the holder of its lease, fenced like the show
// shards) lets the next customers in. The queue is a ranked set in the store (Redis in a
// cluster), so any gateway serves any customer and a node dying loses no place; a customer
// costs one ranked-set entry and no timer.
import { randomInt } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import { LRUCache } from "lru-cache";
import { onsaleView, planOnSale, queueUrl, type OnSale, type OnSaleRequest } from "../domain/onsale/onsale.ts";
import { admit, initialAdmissions, joinScore, positionOf, queueSnapshot, type Admissions, type Position, type SeatsLeft } from "../domain/onsale/queue.ts";
import { queuePasses } from "../infra/auth/queue-pass.ts";
import { StaleEpochError, type Fence } from "../infra/store.ts";
import { adminOf, callerOf } from "./caller.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { ConflictError, type MarqueeError, NotFoundError, UnprocessableError } from "./errors.ts";
import { newId } from "./ids.ts";
import { idParam as id } from "./params.ts";
import { holdersOf, onsaleOfShow } from "./queue-guard.ts";
import { created } from "./replies.ts";
import { call } from "./contracts.ts";

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

export const TICK_MS = 1_000;
/** What a node reads of an on-sale's state stays this fresh: polling customers share one read. */
const READ_CACHE_MS = 250;
const queueOf = (onsaleId: string) => `queue:${onsaleId}`;
/**
 * A customer's entry in the queue: their account id, or for a later turn (after one lapsed) the
 * account id and the turn. A lapsed entry stays where it is: removing it would move everyone
 * behind it forward, past the line of those let in.
 */
const entryOf = (userId: string, turn: number) => (turn ? `${userId}#${turn}` : userId);
const turnKey = (onsaleId: string, userId: string) => `${onsaleId}:${userId}`;
const leaseOf = (onsaleId: string) => `onsale:${onsaleId}`;

/** A uniform draw in [0, 1) from the system's cryptographic generator: nobody can predict a lottery place. */
const fairDraw = () => randomInt(2 ** 47) / 2 ** 47;

export interface OnSaleOptions {
  /** The lottery's draw, uniform in [0, 1): injectable so tests can seed it. */
  random?: () => number;
  clock?: () => number;
}

export default function onsaleService({ config, store }: ServiceDeps, options: OnSaleOptions = {}): ServiceSchema {
  const random = options.random ?? fairDraw;
  const clock = options.clock ?? Date.now;
  const passes = queuePasses(config.tokenSecret);
  const reads = new LRUCache<string, { value: unknown }>({ max: 10_000, ttl: READ_CACHE_MS });
  const cached = async <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let hit = reads.get(key);
    if (!hit) reads.set(key, (hit = { value: await read() }));
    return hit.value as T;
  };
  const onsaleOf = (onsaleId: string) => cached(`onsale:${onsaleId}`, () => store.get<OnSale>("onsales", onsaleId));
  const admissionsOf = (onsaleId: string) => cached(`admissions:${onsaleId}`, () => store.get<Admissions>("admissions", onsaleId));

  let timer: NodeJS.Timeout | undefined;
  // Ticks run one after another: the timer skips a beat while one is running, an explicit tick waits for it.
  let ticks: Promise<void> = Promise.resolve();
  let ticking = 0;
  const owned = new Map<string, Fence>();
  const broadcast = new Map<string, string>();

  return {
    name: "onsale",

    methods: {
      async existing(onsaleId: string): Promise<OnSale> {
        const onsale = await onsaleOf(onsaleId);
        if (!onsale) throw new NotFoundError("OnSale", onsaleId, "ONSALE_NOT_FOUND");
        return onsale;
      },

      /** Where the caller stands, and their pass when it is their turn. */
      async standing(onsale: OnSale, userId: string) {
        const now = clock();
        const [entry, state] = await Promise.all([store.rankOf(queueOf(onsale.id), userId), admissionsOf(onsale.id)]);
        let position: Position = positionOf(onsale, state, entry?.rank, now);
        if (position.status === "lapsed") {
          const turn = await store.get<number>("queueTurns", turnKey(onsale.id, userId));
          if (turn) position = positionOf(onsale, state, (await store.rankOf(queueOf(onsale.id), entryOf(userId, turn)))?.rank, now);
        }
        const pass = position.status === "admitted" ? await passes.issue(userId, onsale.id, position.passExpiresAt) : undefined;
        return {
          onsaleId: onsale.id,
          opensAt: new Date(onsale.opensAt).toISOString(),
          shows: onsale.showIds,
          ...position,
          ...(position.status === "admitted" ? { passExpiresAt: new Date(position.passExpiresAt).toISOString(), pass } : {}),
          seatsLeft: state?.seats.available ?? null,
          queueLength: state?.queueLength ?? null,
          // Live updates; without them, poll this address every few seconds.
          eventsUrl: `${queueUrl(onsale.id)}/events`,
        };
      },

      /** Seats free, held and booked across the on-sale's shows, from their actors. */
      async seatsLeft(onsale: OnSale): Promise<SeatsLeft> {
        const stats = await Promise.all(onsale.showIds.map((showId) => call(this.broker, "show.stats", { showId })));
        return stats.reduce((sum, s) => ({ available: sum.available + s.available, held: sum.held + s.held, booked: sum.booked + s.booked, bookings: sum.bookings + s.bookings }), { available: 0, held: 0, booked: 0, bookings: 0 });
      },

      /** One admission tick for every on-sale still selling whose lease this node holds or can take. */
      tickAll(): Promise<void> {
        ticking++;
        ticks = ticks.then(async () => {
          const onsales = await store.all<OnSale>("onsales");
          await Promise.all(onsales.map((onsale) => this.tick(onsale).catch((error: unknown) => {
            if (error instanceof StaleEpochError) owned.delete(onsale.id);
            else this.logger.warn(`on-sale ${onsale.id}: admission tick failed: ${(error as Error).message}`);
          })));
        }).catch((error: unknown) => this.logger.warn(`admission ticks failed: ${(error as Error).message}`)).finally(() => { ticking--; });
        return ticks;
      },

      async tick(onsale: OnSale) {
        const now = clock();
        if (now > onsale.endsAt) return;
        const grant = await store.acquireLease(leaseOf(onsale.id), this.broker.nodeID, config.leaseTtlMs);
        if (!grant.granted) {
          owned.delete(onsale.id);
          return;
        }
        const fence = { lease: leaseOf(onsale.id), epoch: grant.epoch };
        owned.set(onsale.id, fence);
        const [state, queueLength, holders, seats] = await Promise.all([
          store.get<Admissions>("admissions", onsale.id),
          store.countRanked(queueOf(onsale.id)),
          store.countRanked(holdersOf(onsale.id)),
          this.seatsLeft(onsale),
        ]);
        const next = admit(state ?? initialAdmissions(onsale.id), onsale, { now: clock(), queueLength, holders, seats });
        await store.put("admissions", onsale.id, next, fence);
        // Every gateway relays it to the queue pages watching this on-sale (only when it changed).
        const snapshot = queueSnapshot(onsale, next);
        const text = JSON.stringify(snapshot);
        if (broadcast.get(onsale.id) !== text) {
          broadcast.set(onsale.id, text);
          this.broker.broadcast("onsale.queue", snapshot);
        }
      },
    },

    actions: {
      create: {
        params: {
          shows: { type: "array", items: id, min: 1, max: 50 },
          opensAt: { type: "string", max: 40 },
          admissionRate: [{ type: "number", integer: true }, { type: "equal", value: "automatic" }],
          finishWithinSeconds: { type: "number", integer: true },
          maxTicketsPerAccount: { type: "number", integer: true },
          closesAt: { type: "string", max: 40, optional: true },
        },
        async handler(ctx: Ctx<OnSaleRequest>) {
          const admin = adminOf(ctx);
          const now = clock();
          const shows = await Promise.all([...new Set(ctx.params.shows)].map((showId) => call(ctx, "catalog.getShow", { showId }).catch((error: MarqueeError) => {
            if (error.code === 404) throw new UnprocessableError(`Show ${showId} does not exist`, "UNKNOWN_SHOW", { showId });
            throw error;
          })));
          const endsAt = Math.max(...shows.map((s) => Date.parse(s.startsAt)));
          const plan = planOnSale(ctx.params, newId("ons"), admin.id, now, endsAt);
          if (!plan.ok) throw new UnprocessableError(plan.rejection.message, plan.rejection.code, { field: plan.rejection.field });
          const { onsale } = plan;
          const current = onsaleOfShow(store);
          for (const showId of onsale.showIds) {
            const other = await current(showId);
            if (other && now < (other.closesAt ?? other.endsAt)) throw new ConflictError(`Show ${showId} is already in on-sale ${other.id}`, "ONSALE_EXISTS", { showId, onsaleId: other.id });
          }
          await store.put("onsales", onsale.id, onsale);
          for (const showId of onsale.showIds) await store.put("onsaleByShow", showId, onsale.id);
          return created(ctx, `/api/onsales/${onsale.id}`, onsaleView(onsale));
        },
      },

      list: {
        async handler(ctx: Ctx) {
          adminOf(ctx);
          const onsales = (await store.all<OnSale>("onsales")).sort((a, b) => a.opensAt - b.opensAt);
          const states = await store.getMany<Admissions>("admissions", onsales.map((o) => o.id));
          return onsales.map((onsale, i) => {
            const state = states[i];
            return { ...onsaleView(onsale), status: state?.status ?? "scheduled", admitted: state?.admitted ?? 0, queueLength: state?.queueLength ?? 0, seats: state?.seats ?? null, admittedPerMinute: Math.round(state?.perMinute ?? 0) };
          });
        },
      },

      get: {
        params: { onsaleId: id },
        async handler(ctx: Ctx<{ onsaleId: string }>) {
          const onsale: OnSale = await this.existing(ctx.params.onsaleId);
          const state = await admissionsOf(onsale.id);
          return { ...onsaleView(onsale), ...queueSnapshot(onsale, state) };
        },
      },

      join: {
        params: { onsaleId: id },
        async handler(ctx: Ctx<{ onsaleId: string }>) {
          const caller = callerOf(ctx);
          const onsale: OnSale = await this.existing(ctx.params.onsaleId);
          const now = clock();
          if (now > onsale.endsAt) throw new ConflictError("This on-sale has ended: its shows have started", "ONSALE_ENDED", { onsaleId: onsale.id });
          const queue = queueOf(onsale.id);
          // One place per account: the store adds a member only once, however many tabs ask at once.
          if (!(await store.addRanked(queue, caller.id, joinScore(onsale, now, random())))) {
            const standing = await this.standing(onsale, caller.id);
            // A customer whose turn lapsed may queue again, at the back, as a new entry.
            if (standing.status !== "lapsed") return standing;
            const turn = ((await store.get<number>("queueTurns", turnKey(onsale.id, caller.id))) ?? 0) + 1;
            // Two tabs rejoining at once pick the same turn, and the store adds its entry once.
            await store.addRanked(queue, entryOf(caller.id, turn), joinScore(onsale, now, random()));
            await store.put("queueTurns", turnKey(onsale.id, caller.id), turn);
          }
          return created(ctx, queueUrl(onsale.id), await this.standing(onsale, caller.id));
        },
      },

      position: {
        params: { onsaleId: id },
        async handler(ctx: Ctx<{ onsaleId: string }>) {
          const caller = callerOf(ctx);
          return this.standing(await this.existing(ctx.params.onsaleId), caller.id);
        },
      },

      /** One admission tick now (tests and operators); the timer does the same every second. */
      tick: {
        visibility: "public",
        async handler() {
          await this.tickAll();
          return null;
        },
      },
    },

    started() {
      timer = setInterval(() => { if (ticking === 0) void this.tickAll(); }, TICK_MS);
      timer.unref();
    },

    async stopped() {
      clearInterval(timer);
      await ticks;
      // Hand the ticks over at once rather than after the leases lapse.
      await Promise.all([...owned].map(([, fence]) => store.releaseLease(fence, this.broker.nodeID).catch(() => undefined)));
      owned.clear();
    },
  };
}
