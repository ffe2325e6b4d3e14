// A Marquee node whose hold path stops early, for bench/hold-stages.ts. Everything in front of the
// stop is the real node: HTTP, routes, authentication, body parsing, Moleculer, metrics.
//   BENCH_STAGE=gateway  a stand-in admin component answers holds and releases at once (a no-op);
//   BENCH_STAGE=admin    the real admin component, with a stand-in show actor that answers
//                        without deciding, pricing or storing anything (so no quote in the 201).
import type { Context, ServiceSchema } from "moleculer";
import { startMarquee } from "../app.ts";
import { readConfig, type ServiceName } from "../moleculer.config.ts";

const stage = process.env.BENCH_STAGE;
if (stage !== "gateway" && stage !== "admin") throw new Error("BENCH_STAGE must be gateway or admin");

const standInAdmin: ServiceSchema = {
  name: "admin",
  actions: {
    hold(ctx: Context<{ showId: string }, { $statusCode?: number }>) {
      ctx.meta.$statusCode = 201;
      return { id: `hold_bench.${ctx.params.showId}` };
    },
    releaseHold(ctx: Context<unknown, { $statusCode?: number }>) {
      ctx.meta.$statusCode = 204;
      return null;
    },
  },
};

const standInShow: ServiceSchema = {
  name: "show",
  actions: {
    hold(ctx: Context<{ showId: string; holdId: string; userId: string; seats: string[] }>) {
      const { showId, holdId, userId, seats } = ctx.params;
      return { id: holdId, showId, userId, seats, status: "active" };
    },
    release(ctx: Context<{ showId: string; holdId: string; userId: string }>) {
      const { showId, holdId, userId } = ctx.params;
      return { id: holdId, showId, userId, seats: [], status: "released" };
    },
  },
};

const config = readConfig();
const replaced: ServiceName = stage === "gateway" ? "admin" : "show";
const marquee = await startMarquee({ ...config, services: config.services.filter((s) => s !== replaced) });
await marquee.broker.createService(stage === "gateway" ? standInAdmin : standInShow);
await marquee.broker.waitForServices(replaced);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => { void marquee.stop().then(() => process.exit(0)); });
