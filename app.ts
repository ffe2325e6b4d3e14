// Assembles the platform from a config: one store, the services this node runs, one broker.
import { ServiceBroker } from "moleculer";
import { brokerOptions, type MarqueeConfig, type ServiceName } from "./moleculer.config.ts";
import { MemoryStore } from "./infra/memory-store.ts";
import { RedisStore } from "./infra/redis-store.ts";
import type { Store } from "./infra/store.ts";
import type { ServiceFactory } from "./services/deps.ts";
import adminService from "./services/admin.service.ts";
import apiService, { listeningPort } from "./services/api.service.ts";
import authService from "./services/auth.service.ts";
import catalogService from "./services/catalog.service.ts";
import paymentService from "./services/payment.service.ts";
import pricingService from "./services/pricing.service.ts";
import onsaleService from "./services/onsale.service.ts";
import showActor from "./services/show.actor.ts";
import { showRouting } from "./services/show.routing.ts";

const FACTORIES: Record<ServiceName, ServiceFactory> = {
  api: apiService,
  admin: adminService,
  show: showActor,
  catalog: catalogService,
  pricing: pricingService,
  payment: paymentService,
  auth: authService,
  onsale: onsaleService,
};

export interface Marquee {
  broker: ServiceBroker;
  config: MarqueeConfig;
  store: Store;
  /** The gateway's port, or 0 when this node runs no gateway. */
  port: number;
  stop(): Promise<void>;
}

/** Redis when REDIS_URL is set (keys prefixed by the namespace), else the embedded memory store. */
export function storeFor(config: MarqueeConfig): Store {
  return config.redisUrl ? new RedisStore(config.redisUrl, `marquee:${config.namespace}`) : new MemoryStore();
}

export async function startMarquee(config: MarqueeConfig, store: Store = storeFor(config)): Promise<Marquee> {
  const broker = new ServiceBroker({ ...brokerOptions(config), middlewares: [showRouting({ config, store })] });
  for (const name of config.services) broker.createService(FACTORIES[name]({ config, store }));
  try {
    await broker.start();
  } catch (error) {
    await broker.stop().catch(() => undefined);
    await store.close();
    throw error;
  }
  const api = config.services.includes("api") ? broker.getLocalService("api") : undefined;
  return {
    broker, config, store,
    port: api ? listeningPort(api) : 0,
    async stop() {
      await broker.stop();
      await store.close();
    },
  };
}
